/*
 * Fragments this machine's free memory for tests: maps N MiB of anonymous memory, touches every
 * page, then gives back every other page, so the freed pages' buddies stay allocated and the
 * buddy allocator cannot merge them into larger blocks.
 *
 * usage: fragmenter [MIB]   (default 1024, at most 2048)
 * Prints "ready" once the holes are made, then holds the memory until stdin reaches end of file
 * or SIGTERM arrives; then frees everything and exits 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define DEFAULT_MIB 1024L
#define MAX_MIB 2048L

static volatile sig_atomic_t stop_requested = 0;

static void on_term(int sig) {
  (void)sig;
  stop_requested = 1;
}

int main(int argc, char **argv) {
  long mib = DEFAULT_MIB;
  if (argc > 1) {
    char *end = NULL;
    errno = 0;
    mib = strtol(argv[1], &end, 10);
    if (errno != 0 || end == argv[1] || *end != '\0' || mib < 1 || mib > MAX_MIB) {
      fprintf(stderr, "fragmenter: MIB must be a whole number from 1 to %ld, got \"%s\"\n", MAX_MIB, argv[1]);
      return 2;
    }
  }

  /* No SA_RESTART: SIGTERM must interrupt the blocking read below. */
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = on_term;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, NULL);

  long page = sysconf(_SC_PAGESIZE);
  size_t bytes = (size_t)mib << 20;
  size_t pages = bytes / (size_t)page;
  char *region = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (region == MAP_FAILED) {
    fprintf(stderr, "fragmenter: mmap of %ld MiB failed: %s\n", mib, strerror(errno));
    return 1;
  }
  /* Huge pages would be split lazily and not freed by the holes below; ask for base pages. */
  madvise(region, bytes, MADV_NOHUGEPAGE);

  for (size_t i = 0; i < pages && !stop_requested; i++) region[i * (size_t)page] = (char)(i | 1);

  size_t freed = 0;
  for (size_t i = 1; i < pages && !stop_requested; i += 2) {
    if (madvise(region + i * (size_t)page, (size_t)page, MADV_DONTNEED) == 0) freed++;
  }

  if (!stop_requested) {
    fprintf(stderr, "fragmenter: %zu pages touched, %zu given back\n", pages, freed);
    printf("ready\n");
    fflush(stdout);
    char buffer[256];
    for (;;) {
      if (stop_requested) break;
      ssize_t n = read(STDIN_FILENO, buffer, sizeof buffer);
      if (n == 0) break;
      if (n < 0 && errno != EINTR) break;
    }
  }

  munmap(region, bytes);
  return 0;
}
