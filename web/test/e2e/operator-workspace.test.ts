import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2eBrowser, loginAs, openBrowser, screenshot } from './support/browser.ts';
import { apiToken, E2E_USERS, type E2eStack, type E2eUser, startE2eStack } from './support/e2e-stack.ts';
import { setMyPresence } from './support/operator-presence.ts';

/**
 * The operator workspace against the real main job (embedded PostgreSQL + chDB), started without
 * the bundled replay so that one capture can be replayed live: `callcenter replay
 * fixtures/asterisk/scenarios/01-inbound-answered-caller-hangup --timing original` feeds
 * asterisk.cel row by row, the collector's CEL side announces the rings of the open call
 * (`call.ringing`), and the browser of operator 101 pops the card. In that capture the queue
 * `support` rings 101, 102 and 103 at once (ringall) and 101 answers after 2 s: 102's phone did
 * ring, so 102 sees the ring come and go ("answered by a colleague") and is left without the card.
 * 101 fills the card and saves it while the call is still going on (the provisional card); once the
 * collector has written the call, the saved card is what the API and a reload show.
 */

const OPERATOR_102: E2eUser = {
  login: 'e2e-op102',
  password: 'e2e-operator-102',
  role: 'operator',
  endpoint: '102',
};
const CAPTURE = 'fixtures/asterisk/scenarios/01-inbound-answered-caller-hangup';

let stack: E2eStack;
let browser: E2eBrowser;

beforeAll(async () => {
  stack = await startE2eStack({ startArgs: ['--no-replay'], users: [E2E_USERS.operator, OPERATOR_102] });
  browser = await openBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

async function openWorkspace(user: E2eUser): Promise<Page> {
  const page = await browser.newPage();
  await loginAs(page, stack, user);
  await page.goto(`${stack.url}/app/operator`);
  await page.getByTestId('softphone').waitFor({ timeout: 20_000 });
  await page.locator('[data-testid="live-status"][data-status="open"]').waitFor({ timeout: 20_000 });
  // Operators start their shift: pops open only for an operator who is not offline.
  await setMyPresence(page, 'available');
  await expect.poll(() => page.getByTestId('pops-offline').count(), { timeout: 10_000 }).toBe(0);
  return page;
}

describe('operator workspace', () => {
  it('pops the card for 101 (who answers), leaves 102 (rung too, ringall) without it, and saves what 101 fills in', async () => {
    const page101 = await openWorkspace(E2E_USERS.operator);
    const page102 = await openWorkspace(OPERATOR_102);

    // No Asterisk runs here: the softphone says so, never "registered".
    for (const page of [page101, page102]) {
      await expect
        .poll(() => page.getByTestId('softphone-registration').getAttribute('data-state'), {
          timeout: 10_000,
        })
        .toBe('not-configured');
    }
    await expect(page101.getByTestId('no-card').isVisible()).resolves.toBe(true);

    // A quarter of the captured pace: the call lasts about 50 s, time enough to save its card
    // while it is still going on.
    const replay = stack.cli(['replay', CAPTURE, '--timing', 'original', '--speed', '0.25']);

    // 101: the card pops while the phone rings, with caller, DID and queue.
    const card = page101.getByTestId('call-card');
    await card.waitFor({ timeout: 45_000 });
    await expect(page101.getByTestId('caller-number').textContent()).resolves.toBe('79161234567');
    await expect(page101.getByTestId('card-did').textContent()).resolves.toBe('74951234567');
    await expect(page101.getByTestId('card-queue').textContent()).resolves.toBe('support');
    const callId = Number(await card.getAttribute('data-call-id'));
    expect(callId).toBeGreaterThan(0);
    await screenshot(page101, 'operator-screen-pop');

    // Typed and saved while the call is still live: no ARI runs here, so the card is the
    // provisional one the collector made from the ring's CEL until it writes the whole call.
    await page101.getByRole('textbox', { name: 'Цель обращения' }).click();
    await page101.getByRole('option', { name: 'Запись на приём' }).click();
    await page101.getByRole('textbox', { name: 'Категория', exact: true }).click();
    await page101.getByRole('option', { name: 'Медицинские услуги' }).click();
    await page101.getByLabel('Суть обращения').fill('Записан к терапевту на 25.11, 10:00');
    await page101.getByLabel('Нужен перезвон').check();
    await page101.getByTestId('card-provisional').waitFor({ timeout: 5_000 });
    await page101.getByRole('button', { name: 'Завершить карточку' }).click();
    await page101.getByText('Карточка заполнена').first().waitFor({ timeout: 15_000 });
    await expect(page101.getByTestId('card-state').textContent()).resolves.toContain('сохранено');
    const token = await apiToken(stack, E2E_USERS.operator);
    const readCard = async () =>
      (await (
        await fetch(`${stack.url}/calls/${callId}`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as Record<string, unknown>;
    expect(await readCard()).toMatchObject({ live: true, card_complete: true });

    const result = await replay;
    expect(result.code, result.stderr).toBe(0);

    // 102: its phone rang too (ringall), then 101 answered: the pop says so, no card is left open.
    await page102
      .locator('[data-testid="screen-pop"][data-phase="answered-elsewhere"]')
      .waitFor({ timeout: 60_000 });
    await page102.getByTestId('no-card').waitFor({ timeout: 10_000 });
    await expect(page102.getByTestId('call-card').count()).resolves.toBe(0);
    await screenshot(page102, 'operator-102-answered-elsewhere');

    // The collector writes the call from its CEL onto the same card: what 101 saved stays, and the
    // page follows the written card.
    await expect.poll(async () => (await readCard()).live, { timeout: 60_000, interval: 500 }).toBe(false);
    await page101.getByTestId('card-provisional').waitFor({ state: 'detached', timeout: 20_000 });
    const saved = await readCard();
    expect(saved).toMatchObject({
      card_complete: true,
      purpose_name: 'Запись на приём',
      category_name: 'Медицинские услуги',
      notes: 'Записан к терапевту на 25.11, 10:00',
      needs_callback: true,
      operator_endpoint: '101',
      status: 'answered',
    });

    // A reload shows the saved card (the open card is in the URL).
    await page101.reload();
    await page101.getByTestId('call-card').waitFor({ timeout: 20_000 });
    await expect(page101.getByLabel('Суть обращения').inputValue()).resolves.toBe(
      'Записан к терапевту на 25.11, 10:00',
    );
    await expect(page101.getByTestId('card-state').textContent()).resolves.toContain('Карточка заполнена');
    await screenshot(page101, 'operator-workspace');

    // Completion rules are checked before sending: blank notes name the field.
    const notes = page101.getByLabel('Суть обращения');
    await notes.fill('');
    await page101.getByRole('button', { name: 'Сохранить', exact: true }).click();
    await page101.getByText('Опишите суть обращения').waitFor({ timeout: 5_000 });

    // Someone else saves the card while 101 edits it: the form says so and re-applies 101's edits.
    await notes.fill('Записан к терапевту на 26.11, 09:00');
    const current = (await (
      await fetch(`${stack.url}/calls/${callId}`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { version: number };
    const other = await fetch(`${stack.url}/calls/${callId}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ version: current.version, resolved_first_call: true }),
    });
    expect(other.status).toBe(200);
    await page101.getByTestId('card-conflict').waitFor({ timeout: 15_000 });
    await screenshot(page101, 'operator-card-conflict');
    await page101.getByRole('button', { name: 'Загрузить их версию и применить мои правки' }).click();
    await page101.getByRole('button', { name: 'Сохранить', exact: true }).click();
    await expect
      .poll(
        async () =>
          (await (
            await fetch(`${stack.url}/calls/${callId}`, { headers: { authorization: `Bearer ${token}` } })
          ).json()) as Record<string, unknown>,
        { timeout: 15_000, interval: 500 },
      )
      .toMatchObject({
        notes: 'Записан к терапевту на 26.11, 09:00',
        resolved_first_call: true,
        card_complete: true,
      });

    // My calls lists it as complete; the callback worklist has it (needs_callback, not reached again).
    await page101.getByRole('tab', { name: 'Мои звонки' }).click();
    await page101.getByTestId('my-call-row').first().waitFor({ timeout: 15_000 });
    await expect(page101.getByTestId('my-call-row').first().getAttribute('data-incomplete')).resolves.toBe(
      'false',
    );
    await page101.getByRole('tab', { name: 'Перезвоны' }).click();
    await page101.getByTestId('callback-row').first().waitFor({ timeout: 15_000 });
    await screenshot(page101, 'operator-callbacks');
    expect(browser.pageErrors()).toEqual([]);
  }, 240_000);

  it('runs the softphone in one tab; another tab shows it is active elsewhere and can take it over', async () => {
    const first = await openWorkspace(E2E_USERS.operator);
    const second = await first.context().newPage();
    await second.goto(`${stack.url}/app/operator`);
    await second.getByTestId('softphone-elsewhere').waitFor({ timeout: 20_000 });
    await expect(first.getByTestId('softphone-elsewhere').count()).resolves.toBe(0);

    await second.getByRole('button', { name: 'Использовать здесь' }).click();
    await first.getByTestId('softphone-elsewhere').waitFor({ timeout: 10_000 });
    await second.getByTestId('softphone-elsewhere').waitFor({ state: 'detached', timeout: 10_000 });

    // Closing the active tab hands the softphone back to the waiting one.
    await second.close();
    await first.getByTestId('softphone-elsewhere').waitFor({ state: 'detached', timeout: 10_000 });
  }, 120_000);
});
