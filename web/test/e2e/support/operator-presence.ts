import type { Page } from 'playwright-core';

/**
 * Sets the signed-in operator's own status through the workspace's status control
 * (web/src/operator/presence/operator-status.tsx), the way an operator does, and waits until the
 * control shows it.
 *
 * - `'available'` starts the shift (pops open only for an operator who is not offline),
 * - `'offline'` ends it,
 * - `{ pause: label }` picks that pause reason from the «Пауза» menu (`label` omitted: the first).
 *
 * Waits for the presence to load first (the buttons are disabled while `data-state` is
 * `loading`, and a click on a disabled button is lost). A click the page swallowed — the pause menu
 * closed by a re-render before its item was clicked, a button re-rendered under the pointer — is
 * tried again, up to `attempts` times; a status the server refuses still fails.
 *
 * @throws Error naming the status wanted and the one shown when it never showed.
 */
export async function setMyPresence(
  page: Page,
  target: 'available' | 'offline' | { pause?: string },
  { attempts = 4, timeoutMs = 10_000 }: { attempts?: number; timeoutMs?: number } = {},
): Promise<void> {
  const status = page.getByTestId('operator-status');
  const wanted = typeof target === 'string' ? target : 'paused';
  await waitForState(page, (state) => state !== null && state !== 'loading', 20_000);
  let shown: string | null = null;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    shown = await status.getAttribute('data-state');
    if (shown === wanted && typeof target === 'string') return;
    try {
      if (target === 'available') {
        await status.getByRole('button', { name: 'Доступен' }).click({ timeout: timeoutMs });
      } else if (target === 'offline') {
        await status.getByRole('button', { name: 'Завершить смену' }).click({ timeout: timeoutMs });
      } else {
        await status.getByRole('button', { name: 'Пауза' }).click({ timeout: timeoutMs });
        const items = page.getByRole('menuitem');
        const item = target.pause ? items.filter({ hasText: target.pause }).first() : items.first();
        await item.click({ timeout: 3_000 });
      }
      if (await waitForState(page, (state) => state === wanted, timeoutMs)) {
        if (typeof target === 'string' || !target.pause) return;
        const text = await page.getByTestId('my-presence').innerText();
        if (text.includes(target.pause)) return;
      }
    } catch {
      // The click was swallowed (see above): close a menu left open and try again.
      await page.keyboard.press('Escape').catch(() => {});
    }
  }
  shown = await status.getAttribute('data-state');
  throw new Error(`the operator's status did not become ${JSON.stringify(target)} (shows ${shown})`);
}

/** Polls the status control's `data-state` until `accept` holds; false after `timeoutMs`. */
async function waitForState(
  page: Page,
  accept: (state: string | null) => boolean,
  timeoutMs: number,
): Promise<boolean> {
  const status = page.getByTestId('operator-status');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await status.getAttribute('data-state', { timeout: timeoutMs }).catch(() => null);
    if (accept(state)) return true;
    if (Date.now() > deadline) return false;
    await page.waitForTimeout(200);
  }
}
