import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2eBrowser, loginAs, openBrowser, screenshot } from './support/browser.ts';
import { E2E_USERS, type E2eStack, startE2eStack } from './support/e2e-stack.ts';
import { setMyPresence } from './support/operator-presence.ts';

/**
 * The README's live demo as a new user meets it: `npm start -- --demo-live` (the bundled
 * captures loaded at start, then replayed again with their original timing, moved to now), an
 * operator logs in, sets themself available, and a call pops — then shows talking when 101's leg
 * is answered, all from CEL (no ARI runs here). Before `--demo-live` the captures replayed at
 * start are all in the past: nothing pops.
 */

let stack: E2eStack;
let browser: E2eBrowser;

beforeAll(async () => {
  stack = await startE2eStack({ startArgs: ['--demo-live'], users: [E2E_USERS.operator] });
  browser = await openBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

describe('npm start -- --demo-live', () => {
  it('pops calls for operator 101 and follows them to talking, from the replayed CEL', async () => {
    await stack.waitForOutput(/demo-live: replaying \d+ captures/, 30_000);
    const page = await browser.newPage();
    await loginAs(page, stack, E2E_USERS.operator);
    await page.goto(`${stack.url}/app/operator`);
    await page.locator('[data-testid="live-status"][data-status="open"]').waitFor({ timeout: 20_000 });
    await setMyPresence(page, 'available');
    await expect.poll(() => page.getByTestId('pops-offline').count(), { timeout: 10_000 }).toBe(0);

    // Most captures ring 101 within seconds of their start; a round is a few minutes long.
    await page.getByTestId('screen-pop').first().waitFor({ timeout: 150_000 });
    await page
      .locator('[data-testid="screen-pop"][data-phase="talking"]')
      .first()
      .waitFor({ timeout: 150_000 });
    const card = page.getByTestId('call-card');
    await card.waitFor({ timeout: 10_000 });
    expect(Number(await card.getAttribute('data-call-id'))).toBeGreaterThan(0);
    await screenshot(page, 'demo-live-pop');
    expect(stack.output()).toMatch(/demo-live: round 1: \d\d-/);
  }, 400_000);
});
