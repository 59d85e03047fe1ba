/**
 * Debian's Chromium (/usr/bin/chromium, installed by bin/install-system-packages.sh and .ci/run;
 * `CHROMIUM_PATH` overrides it) and the flags it is launched with through playwright-core by the
 * e2e tests (browser.ts) and `npm run bench:web` (web/bench/web-bench.ts) — never a downloaded
 * browser.
 */

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a quiet, sandbox-free headless run in CI containers (no network calls of its own). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
