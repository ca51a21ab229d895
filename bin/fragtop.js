#!/usr/bin/env node
// Starts the bundled CLI; in a git checkout where dist/ was never built, builds it first (the package ships it built).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const entry = new URL('../dist/fragtop.js', import.meta.url);

if (!existsSync(entry)) {
  // `npm ci` no longer builds (the package is built on prepack), so a fresh clone builds on first run.
  const canBuild = existsSync(`${root}scripts/build.mjs`) && existsSync(`${root}node_modules/esbuild`);
  if (!canBuild) {
    process.stderr.write(
      `fragtop: ${root}dist/fragtop.js is missing; in a checkout run "npm ci && npm run build", or install the published package\n`,
    );
    process.exit(1);
  }
  process.stderr.write('fragtop: building dist/ (first run from a checkout)…\n');
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (built.status !== 0) process.exit(1);
}
// guard runs for days on nodes short of memory: without the JIT and V8's helper threads it takes about a fifth less
// memory and less CPU (measured: 60 MB to 49 MB). The screen needs the JIT (its layout is WebAssembly), metrics too
// (on Node 22 its HTTP stack loads WebAssembly), and check is over before a second start would pay.
const HEADLESS = new Set(['guard']);
// --no-expose-wasm says outright what --jitless implies, so Node prints no warning about it.
const HEADLESS_FLAGS = ['--jitless', '--no-expose-wasm', '--single-threaded', '--max-semi-space-size=1'];
const command = process.argv[2];
if (HEADLESS.has(command) && !process.execArgv.includes('--jitless') && !process.env.FRAGTOP_KEEP_JIT) {
  const { spawn } = await import('node:child_process');
  const child = spawn(
    process.execPath,
    [...HEADLESS_FLAGS, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    {
      stdio: 'inherit',
    },
  );
  // A service manager or kubelet signals this process: the one doing the work must hear it. Ctrl-C in a terminal
  // already reaches both (one process group), so SIGINT is passed on only when no terminal sent it.
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  process.on('SIGINT', () => {
    if (!process.stdin.isTTY) child.kill('SIGINT');
  });
  child.on('exit', (code, signal) =>
    process.exit(code ?? 128 + ({ SIGTERM: 15, SIGINT: 2, SIGHUP: 1 }[signal] ?? 0)),
  );
} else {
  await import(entry.href);
}
