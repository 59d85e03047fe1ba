import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2eBrowser, loginAs, openBrowser, screenshot } from './support/browser.ts';
import { apiToken, E2E_USERS, type E2eStack, startE2eStack } from './support/e2e-stack.ts';
import { setMyPresence } from './support/operator-presence.ts';

/**
 * End to end: the real main job replays every capture (fixtures/asterisk: 31 calls on 21 November
 * 2026, 07:21–07:33 Moscow). The supervisor of `support` opens the missed-calls worklist (the
 * queue's 9 abandoned + 2 missed calls, nobody reached again in the captures) and the operator
 * sessions page; operator 101 starts a shift, pauses for lunch and comes back from the workspace,
 * then sees that session on their own sessions page. Figures on the screen are compared with the
 * API's answer for the same user and period. Screenshots (Russian, 1366×768) go to
 * test-artifacts/e2e/.
 */

let stack: E2eStack;
let browser: E2eBrowser;
const DAY = 'from=2026-11-21&to=2026-11-21';
const VIEWPORT = { width: 1366, height: 768 };

async function api<T>(who: keyof typeof E2E_USERS, path: string): Promise<T> {
  const token = await apiToken(stack, E2E_USERS[who]);
  const res = await fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

const moscowDay = `from=${encodeURIComponent('2026-11-21T00:00:00+03:00')}&to=${encodeURIComponent('2026-11-22T00:00:00+03:00')}`;

async function collected(): Promise<void> {
  for (let i = 0; i < 120; i++) {
    const body = await api<{ kpi: { lost: number } }>('admin', `/callbacks/worklist?${moscowDay}`);
    if (body.kpi.lost === 16) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error('the 16 lost calls of the captures never reached app.calls');
}

const cells = (page: Page, table: string, column: string) =>
  page.getByTestId(table).locator(`tbody td[data-column="${column}"]`).allInnerTexts();

beforeAll(async () => {
  stack = await startE2eStack();
  await collected();
  browser = await openBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

describe('missed calls worklist', () => {
  it("shows the support supervisor the queue's 11 lost calls and the callback KPI, as the API says", async () => {
    const page = await browser.newPage({ viewport: VIEWPORT });
    await loginAs(page, stack, E2E_USERS.supervisor);
    await page.getByTestId('nav-missed').click();
    await page.waitForURL(/\/app\/missed/);
    await page.goto(`${stack.url}/app/missed?${DAY}`);
    await page.getByTestId('missed-table').locator('tbody tr').first().waitFor({ timeout: 20_000 });

    const body = await api<{ kpi: Record<string, number | null>; items: { linkedid: string }[] }>(
      'supervisor',
      `/callbacks/worklist?${moscowDay}&limit=5000`,
    );
    expect(body.kpi).toMatchObject({ lost: 11, abandoned: 9, missed: 2, withNumber: 11, reached: 0 });
    await expect(page.getByTestId('kpi-lost-value').innerText()).resolves.toBe('11');
    await expect(page.getByTestId('kpi-lost').innerText()).resolves.toContain('брошено 9, пропущено 2');
    await expect(page.getByTestId('kpi-reached-value').innerText()).resolves.toMatch(/^0\s?%$/);
    await expect(page.getByTestId('kpi-median-value').innerText()).resolves.toBe('—');
    await expect(page.getByTestId('kpi-owed-value').innerText()).resolves.toBe('11');
    const rows = page.getByTestId('missed-table').locator('tbody tr');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-linkedid')))).toEqual(
      body.items.map((i) => i.linkedid),
    );
    // Only the supervisor's queue; every caller is still owed a callback.
    expect(new Set(await cells(page, 'missed-table', 'queue')).size).toBe(1);
    expect(new Set(await cells(page, 'missed-table', 'reached'))).toEqual(new Set(['не дозвонились']));
    // Scenario 03: abandoned after 7 s in the queue.
    const s03 = page.locator('tr[data-linkedid="1795234962.8"]');
    await expect(s03.locator('td[data-column="wait"]').innerText()).resolves.toBe('0:07');
    await expect(s03.locator('td[data-column="number"]').innerText()).resolves.toBe('+79161234569');
    await screenshot(page, 'missed-calls-ru-1366');

    // "Not called back" keeps all 11; "reached" none.
    await page.getByTestId('missed-state').getByText('Дозвонились').click();
    await page.getByTestId('missed-empty').waitFor();
    await expect(page.url()).toContain('state=reached');

    // A call opens in the journal.
    await page.goto(`${stack.url}/app/missed?${DAY}`);
    await s03.locator('td[data-column="when"] a').click();
    await page.waitForURL(/\/app\/journal\/calls\/\d+/);
    expect(browser.pageErrors()).toEqual([]);
  });
});

describe('operator sessions', () => {
  it("a shift and a lunch pause taken in the workspace appear on the operator's own sessions page", async () => {
    const page = await browser.newPage({ viewport: VIEWPORT });
    await loginAs(page, stack, E2E_USERS.operator);
    const status = page.getByTestId('operator-status');
    await page.getByTestId('my-presence').waitFor({ timeout: 20_000 });
    await setMyPresence(page, 'available');
    await setMyPresence(page, { pause: 'Обед' });
    await expect
      .poll(() => page.getByTestId('my-presence').innerText(), { timeout: 10_000 })
      .toMatch(/^Пауза: Обед · 0:0[1-9]$/);
    await setMyPresence(page, 'available');
    await expect
      .poll(() => page.getByTestId('my-presence').innerText(), { timeout: 10_000 })
      .toBe('Доступен');

    await page.getByTestId('nav-sessions').click();
    const table = page.getByTestId('sessions-table');
    await table.locator('tbody tr').first().waitFor({ timeout: 20_000 });
    // Only themself; today's row has the session and the lunch.
    const operators = await table
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-operator')));
    expect(new Set(operators)).toEqual(new Set(['101']));
    const today = DateTime.now().setZone('Europe/Moscow').toISODate();
    const row = table.locator(`tr[data-day="${today}"]`);
    await expect(row.locator('td[data-column="reasons"]').innerText()).resolves.toMatch(/^Обед 0:0\d × 1$/);
    await expect(row.locator('[data-column="login"]').innerText()).resolves.toMatch(/^\d{2}:\d{2}/);
    await page.mouse.move(800, 700);
    await screenshot(page, 'sessions-operator-ru-1366');
    expect(browser.pageErrors()).toEqual([]);
  }, 120_000);

  it("the supervisor sees 101's captured day: talk and calls as the API counts them", async () => {
    const page = await browser.newPage({ viewport: VIEWPORT });
    await loginAs(page, stack, E2E_USERS.supervisor);
    const today = DateTime.now().setZone('Europe/Moscow').toISODate()!;
    await page.goto(`${stack.url}/app/sessions?from=2026-11-21&to=${today}`);
    const table = page.getByTestId('sessions-table');
    await table.locator('tbody tr').first().waitFor({ timeout: 20_000 });
    const to = DateTime.fromISO(today, { zone: 'Europe/Moscow' }).plus({ days: 1 }).toISO()!;
    const body = await api<{ days: { endpoint: string; day: string; talkSec: number; calls: number }[] }>(
      'supervisor',
      `/reports/operator-sessions?from=${encodeURIComponent('2026-11-21T00:00:00+03:00')}&to=${encodeURIComponent(to)}&zone=Europe/Moscow`,
    );
    const rows = table.locator('tbody tr');
    expect(
      await rows.evaluateAll((trs) =>
        trs.map((tr) => `${tr.getAttribute('data-operator')} ${tr.getAttribute('data-day')}`),
      ),
    ).toEqual(body.days.map((d) => `${d.endpoint} ${d.day}`));
    // 101 on the captures' day: 67.023 s on 7 calls (api/test/operator-sessions.test.ts adds them up).
    const day101 = table.locator('tr[data-operator="101"][data-day="2026-11-21"]');
    await expect(day101.locator('td[data-column="talk"]').innerText()).resolves.toMatch(/^1:07\s+7 звонков$/);
    await expect(day101.locator('td[data-column="occupancy"]').innerText()).resolves.toBe('—');
    // The footer adds the rows up: 67.023 + 59.926 + 63.982 s on 7 + 7 + 2 calls.
    await expect(
      page.getByTestId('sessions-total').locator('td[data-column="talk"]').innerText(),
    ).resolves.toMatch(/^3:11\s+16 звонков$/);
    await screenshot(page, 'sessions-supervisor-ru-1366');
    expect(browser.pageErrors()).toEqual([]);
  });
});
