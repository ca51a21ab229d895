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
await import(entry.href);
