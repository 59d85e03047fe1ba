import { defineConfig } from 'vitest/config';

/** One runner for the whole repo: every workspace's tests run here against real Postgres and chDB. */
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '.data/**', '**/*.pbx.test.ts', '**/*.chaos.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // chDB allows one data directory per process: each test file gets its own worker process.
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
