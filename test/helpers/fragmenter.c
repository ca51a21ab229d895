/*
 * Fragments this machine's free memory for tests: maps N MiB of anonymous memory, touches every
 * page, then gives back every other page, so the freed pages' buddies stay allocated and the
 * buddy allocator cannot merge them into larger blocks.
 *
 * usage: fragmenter [MIB] [pagetables]   (default 1024, at most 2048)
 *
 * With "pagetables", half of MIB goes to the holes and the other half to page tables (unmovable kernel
 * memory): one page touched every 2 MiB of a sparse mapping needs a page-table page of its own, so the
 * kernel must take pageblocks from other migrate types, as a process with a huge sparse heap makes it do.
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

  int page_tables = argc > 2 && strcmp(argv[2], "pagetables") == 0;
  if (argc > 2 && !page_tables) {
    fprintf(stderr, "fragmenter: the second argument can only be \"pagetables\", got \"%s\"\n", argv[2]);
    return 2;
  }
  long hole_mib = page_tables ? (mib + 1) / 2 : mib;

  /* No SA_RESTART: SIGTERM must interrupt the blocking read below. */
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = on_term;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, NULL);

  long page = sysconf(_SC_PAGESIZE);
  size_t bytes = (size_t)hole_mib << 20;
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

  /* Each touch costs a data page and a page-table page: 2 pages per 2 MiB of address space. */
  size_t sparse_touches = page_tables ? (((size_t)(mib - hole_mib) << 20) / (2 * (size_t)page)) : 0;
  size_t sparse_bytes = sparse_touches * (2UL << 20);
  char *sparse = NULL;
  if (sparse_touches > 0) {
    sparse = mmap(NULL, sparse_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (sparse == MAP_FAILED) {
      fprintf(stderr, "fragmenter: sparse mmap failed: %s\n", strerror(errno));
      munmap(region, bytes);
      return 1;
    }
    madvise(sparse, sparse_bytes, MADV_NOHUGEPAGE);
    for (size_t i = 0; i < sparse_touches && !stop_requested; i++) sparse[i * (2UL << 20)] = 1;
  }

  if (!stop_requested) {
    fprintf(stderr, "fragmenter: %zu pages touched, %zu given back, %zu page tables\n", pages, freed, sparse_touches);
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
  if (sparse) munmap(sparse, sparse_bytes);
  return 0;
}
