// The tests that change this machine's memory (fragment, compact, drop caches), one file at a time, nothing beside them.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  cacheDir: join(tmpdir(), `fragtop-vitest-${process.getuid?.() ?? 'user'}`),
  test: {
    include: ['test/machine/**/*.test.{ts,tsx}'],
    testTimeout: 120_000,
    fileParallelism: false,
    env: { TZ: 'UTC' },
  },
});
