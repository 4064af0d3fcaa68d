import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default (cores − 1) runs one file at a time on CI's 2 cores; the test files are
    // single-threaded and CPU-bound, so one fork per core halves the wall time.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
