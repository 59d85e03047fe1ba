import { defineConfig } from 'vitest/config';

/**
 * `npm run test:chaos`: the main job under outages, signals, kill -9 and bad rows
 * (cli/test/chaos/*.chaos.test.ts; excluded from `npm test`). One file at a time: each runs whole
 * main jobs with their embedded PostgreSQL and chDB, and measures how long recovery takes.
 */
export default defineConfig({
  test: {
    include: ['**/*.chaos.test.ts'],
    exclude: ['**/node_modules/**', '.data/**'],
    testTimeout: 600_000,
    hookTimeout: 240_000,
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
  },
});
