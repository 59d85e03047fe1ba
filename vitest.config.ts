import { defineConfig } from 'vitest/config';

/**
 * One runner for the whole repo: every workspace's tests run here against real Postgres and chDB.
 * Two projects: `unit` (everything but the browser) never retries; `browser` (web/test/e2e,
 * Debian's Chromium driving the built web app on two shared cores) tries a failed test once more,
 * because a click Chromium swallows under load is not a defect of the product — a test that fails
 * twice is reported, and every retry is printed in the run's output.
 */
export default defineConfig({
  test: {
    exclude: ['**/node_modules/**', '.data/**', '**/*.pbx.test.ts', '**/*.chaos.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // chDB allows one data directory per process: each test file gets its own worker process.
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: [
            '**/node_modules/**',
            '.data/**',
            '**/*.pbx.test.ts',
            '**/*.chaos.test.ts',
            'web/test/e2e/**',
          ],
        },
      },
      {
        extends: true,
        test: { name: 'browser', include: ['web/test/e2e/**/*.test.ts'], retry: 1 },
      },
    ],
  },
});
