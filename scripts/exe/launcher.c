// Starts the bundled Node.js through the bundled glibc loader, so the executable needs no library from the host.
//
// Built static and without a C library (the host's may be too old, or absent in an empty container): it finds its
// own folder from /proc/self/exe and execs  lib/LOADER --library-path lib lib/node dist/fragtop.js ARGS...
// LOADER is the glibc dynamic loader's file name, given at compile time (-DLOADER="ld-linux-x86-64.so.2").

#ifndef LOADER
#error "compile with -DLOADER=\"<the dynamic loader's file name>\""
#endif

#define AT_FDCWD (-100)
#define PATH_MAX 4096
#define MAX_ARGS 1024

#if defined(__x86_64__)
#define SYS_write 1
#define SYS_execve 59
#define SYS_exit 60
#define SYS_readlinkat 267
static long syscall3(long n, long a, long b, long c) {
  long ret;
  __asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
  return ret;
}
static long syscall4(long n, long a, long b, long c, long d) {
  long ret;
  register long r10 __asm__("r10") = d;
  __asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
  return ret;
}
// The kernel starts us with argc, argv and envp on the stack; hand that address to launch().
__asm__(".text\n.global _start\n_start:\n xor %rbp,%rbp\n mov %rsp,%rdi\n and $-16,%rsp\n call launch\n hlt\n");
#elif defined(__aarch64__)
#define SYS_readlinkat 78
#define SYS_write 64
#define SYS_exit 93
#define SYS_execve 221
static long syscall4(long n, long a, long b, long c, long d) {
  register long x8 __asm__("x8") = n;
  register long x0 __asm__("x0") = a;
  register long x1 __asm__("x1") = b;
  register long x2 __asm__("x2") = c;
  register long x3 __asm__("x3") = d;
  __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
  return x0;
}
static long syscall3(long n, long a, long b, long c) { return syscall4(n, a, b, c, 0); }
__asm__(".text\n.global _start\n_start:\n mov x29, #0\n mov x30, #0\n mov x0, sp\n bl launch\n brk #0\n");
#else
#error "unsupported architecture"
#endif

static unsigned long length(const char *s) {
  unsigned long n = 0;
  while (s[n]) n++;
  return n;
}

static void fail(const char *message) {
  syscall3(SYS_write, 2, (long)"fragtop: ", 9);
  syscall3(SYS_write, 2, (long)message, (long)length(message));
  syscall3(SYS_write, 2, (long)"\n", 1);
  syscall3(SYS_exit, 127, 0, 0);
}

static int starts_with(const char *s, const char *prefix) {
  while (*prefix)
    if (*s++ != *prefix++) return 0;
  return 1;
}

static int equals(const char *a, const char *b) {
  while (*a && *a == *b) a++, b++;
  return *a == *b;
}

// Joins the folder and a relative path into out (static storage: the launcher runs once and execs).
static char *join(char *out, const char *dir, unsigned long dir_length, const char *relative) {
  unsigned long n = 0;
  for (unsigned long i = 0; i < dir_length; i++) out[n++] = dir[i];
  out[n++] = '/';
  for (const char *p = relative; *p && n < PATH_MAX - 1; p++) out[n++] = *p;
  out[n] = 0;
  return out;
}

static char self[PATH_MAX];
static char loader[PATH_MAX], libs[PATH_MAX], node[PATH_MAX], entry[PATH_MAX];
static char *args[MAX_ARGS + 16];
static char *env[MAX_ARGS];

__attribute__((used, noreturn)) void launch(long *stack) {
  long argc = stack[0];
  char **argv = (char **)(stack + 1);
  char **envp = argv + argc + 1;

  long n = syscall4(SYS_readlinkat, AT_FDCWD, (long)"/proc/self/exe", (long)self, PATH_MAX - 1);
  if (n <= 0) {
    // Without /proc, a path in argv[0] still tells where we are.
    if (argc < 1 || argv[0][0] == 0) fail("cannot find my own folder: /proc is not mounted");
    n = 0;
    for (const char *p = argv[0]; *p && n < PATH_MAX - 1; p++) self[n++] = *p;
    int has_slash = 0;
    for (long i = 0; i < n; i++)
      if (self[i] == '/') has_slash = 1;
    if (!has_slash) fail("cannot find my own folder: /proc is not mounted; run me by path");
  }
  self[n] = 0;
  long dir_length = n;
  while (dir_length > 0 && self[dir_length - 1] != '/') dir_length--;
  if (dir_length > 1) dir_length--; // drop the slash, keep "/" for the root
  if (dir_length == 0) self[dir_length++] = '.';
  if (argc > MAX_ARGS) fail("too many arguments");

  long k = 0;
  args[k++] = join(loader, self, dir_length, "lib/" LOADER);
  args[k++] = "--library-path";
  args[k++] = join(libs, self, dir_length, "lib");
  args[k++] = join(node, self, dir_length, "lib/node");
  // guard runs for days on nodes short of memory: without the JIT and V8's helper threads it takes about a fifth
  // less memory and CPU (bin/fragtop.js does the same for the npm package; metrics needs WebAssembly on Node 22).
  if (argc > 1 && equals(argv[1], "guard")) {
    args[k++] = "--jitless";
    args[k++] = "--no-expose-wasm";
    args[k++] = "--single-threaded";
    args[k++] = "--max-semi-space-size=1";
  }
  args[k++] = join(entry, self, dir_length, "dist/fragtop.js");
  for (long i = 1; i < argc; i++) args[k++] = argv[i];
  args[k] = 0;

  // The host's preloads and library paths point at libraries built for the host's C library, not ours.
  long e = 0;
  for (char **p = envp; *p && e < MAX_ARGS - 1; p++)
    if (!starts_with(*p, "LD_PRELOAD=") && !starts_with(*p, "LD_LIBRARY_PATH=")) env[e++] = *p;
  env[e] = 0;

  syscall3(SYS_execve, (long)args[0], (long)args, (long)env);
  fail("cannot start the bundled loader (lib/" LOADER "): is the folder complete?");
  __builtin_unreachable();
}
