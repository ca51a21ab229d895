import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Outside the checkout, per user: a normal user may run the tests in a tree it cannot write to.
  cacheDir: join(tmpdir(), `fragtop-vitest-${process.getuid?.() ?? 'user'}`),
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    // Tests that fragment, compact or drop this machine's memory run alone afterwards (vitest.machine.config.ts):
    // other tests allocating memory at the same time would blur what they measure.
    exclude: ['test/machine/**', '**/node_modules/**'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Two cores: end-to-end tests drive real terminals and should not starve each other.
    maxWorkers: 2,
    env: { TZ: 'UTC' },
  },
});
