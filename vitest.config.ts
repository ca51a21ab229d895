import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // End-to-end tests drive real terminals; keep them from fighting over the two cores.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
