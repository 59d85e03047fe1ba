import { defineConfig } from 'vitest/config';

/**
 * `npm run test:pbx`: the scenarios on Debian's real Asterisk (asterisk/pbx/install.sh installs it;
 * asterisk/test/pbx/support/lab.ts runs it with the product's rendered configuration beside a
 * main job). One file at a time: each lab owns an Asterisk, a main job and SIPp peers.
 */
export default defineConfig({
  test: {
    include: ['asterisk/test/pbx/**/*.pbx.test.ts'],
    exclude: ['**/node_modules/**', '.data/**'],
    testTimeout: 180_000,
    hookTimeout: 240_000,
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
  },
});
