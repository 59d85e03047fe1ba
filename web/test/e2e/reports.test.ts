import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2eBrowser, loginAs, openBrowser, screenshot } from './support/browser.ts';
import { apiToken, E2E_USERS, type E2eStack, startE2eStack } from './support/e2e-stack.ts';

/**
 * End to end: the real main job replays every capture (fixtures/asterisk), the reports page of a
 * supervisor (queue `support` only) and of an admin shows the figures the captures imply, counted
 * by hand (analytics/test/aggregate-fixtures.test.ts derives them call by call): all 31 calls
 * happened on 21 November 2026, 07:21–07:33 Moscow time. Slicing happens in the worker without a
 * new request; every view exports CSV; screenshots go to test-artifacts/e2e/.
 */

let stack: E2eStack;
let browser: E2eBrowser;
const DAY = 'from=2026-11-21&to=2026-11-21';

/** Text of the cells of `column` in a report table, row by row (footer excluded). */
async function column(page: Page, table: string, name: string): Promise<string[]> {
  return page.getByTestId(table).locator(`tbody td[data-column="${name}"]`).allTextContents();
}

const digits = (text: string) => text.replace(/\s/g, '');

async function collected(): Promise<void> {
  const token = await apiToken(stack, E2E_USERS.admin);
  const period = `from=${encodeURIComponent('2026-11-20T00:00:00Z')}&to=${encodeURIComponent('2026-11-23T00:00:00Z')}`;
  for (let i = 0; i < 120; i++) {
    const res = await fetch(`${stack.url}/reports/facts?${period}&format=json&columns=linkedid`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (res.ok && (await res.text()).split('\n').filter(Boolean).length === 31) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error('the 31 captured calls never reached the facts');
}

beforeAll(async () => {
  stack = await startE2eStack();
  await collected();
  browser = await openBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

describe('reports', () => {
  it("a supervisor's reports show the support queue's figures from the captures", async () => {
    const page = await browser.newPage();
    const reportRequests: string[] = [];
    page.on('request', (req) => {
      if (new URL(req.url()).pathname.startsWith('/reports/')) reportRequests.push(req.url());
    });
    await loginAs(page, stack, E2E_USERS.supervisor);
    await page.goto(`${stack.url}/app/reports/daily?${DAY}`);
    await page.getByTestId('report-daily').locator('tbody tr').first().waitFor({ timeout: 30_000 });
    // Support: 21 offered; 10 answered (all within 20 s), 9 abandoned + 2 missed; nothing outbound
    // (outbound calls have no queue, so they are outside a queue supervisor's scope).
    expect(await column(page, 'report-daily', 'day')).toEqual(['21.11.2026']);
    expect(await column(page, 'report-daily', 'answered')).toEqual(['10']);
    expect(await column(page, 'report-daily', 'lost')).toEqual(['11']);
    expect(await column(page, 'report-daily', 'outbound')).toEqual(['0']);
    expect((await column(page, 'report-daily', 'sl')).map(digits)).toEqual(['47,6%']);
    expect(await page.getByTestId('report-zone').textContent()).toBe('Europe/Moscow');
    await screenshot(page, 'reports-daily');

    await page.getByRole('tab', { name: 'Очереди' }).click();
    await page.getByTestId('report-queues').locator('tbody tr').first().waitFor();
    expect(await column(page, 'report-queues', 'queue')).toEqual(['support']);
    expect(await column(page, 'report-queues', 'offered')).toEqual(['21']);
    expect(await column(page, 'report-queues', 'abandoned')).toEqual(['9']);
    expect(await column(page, 'report-queues', 'missed')).toEqual(['2']);
    // ASA 54.158 / 10; AHT 149.924 / 10.
    expect(await column(page, 'report-queues', 'asa')).toEqual(['5,4']);
    expect(await column(page, 'report-queues', 'aht')).toEqual(['15,0']);
    await expect(page.getByTestId('sl-definition').textContent()).resolves.toMatch(/короткие сбросы/);
    await screenshot(page, 'reports-queues');

    await page.getByRole('tab', { name: 'Эффективность операторов' }).click();
    await page.getByTestId('report-operators').locator('tbody tr').first().waitFor();
    // Rings of support calls: 101 answered 01, 09, 10, 11, .45, .51, .55 and rang out on 03 and
    // three times on 05; 102 answered the transfers 09, 10 and .46, .48; 103 answered .47.
    // Operators by name with the endpoint beside it, `Name (101)` (web/src/ui/operator-names.ts).
    const operators = await column(page, 'report-operators', 'operator');
    expect(operators.map((o) => /^\S.* \((\d+)\)$/.exec(o)?.[1])).toEqual(['101', '102', '103']);
    expect(await column(page, 'report-operators', 'answered')).toEqual(['7', '4', '1']);
    expect(await column(page, 'report-operators', 'missed')).toEqual(['4', '4', '4']);
    expect(await column(page, 'report-operators', 'talked')).toEqual(['7', '4', '1']);
    await screenshot(page, 'reports-operators');

    await page.getByRole('tab', { name: 'Категории' }).click();
    await page.getByTestId('report-categories').waitFor();
    await screenshot(page, 'reports-categories');
    await page.getByRole('tab', { name: 'Динамика по неделям' }).click();
    await page.getByTestId('report-weekly').locator('tbody tr').first().waitFor();
    expect(await column(page, 'report-weekly', 'day')).toEqual(['16.11.2026']);
    await screenshot(page, 'reports-weekly');
    // One load: the facts, the rings and the segments; switching views refetched nothing.
    expect(reportRequests.map((u) => new URL(u).pathname).sort()).toEqual([
      '/reports/attempts',
      '/reports/facts',
      '/reports/segments',
    ]);
  });

  it('an admin slices by queue in the worker without refetching, and exports CSV', async () => {
    const page = await browser.newPage();
    let requests = 0;
    page.on('request', (req) => {
      if (new URL(req.url()).pathname.startsWith('/reports/')) requests++;
    });
    await loginAs(page, stack, E2E_USERS.admin);
    await page.goto(`${stack.url}/app/reports/daily?${DAY}`);
    await page.getByTestId('report-daily').locator('tbody tr').first().waitFor({ timeout: 30_000 });
    // Every call: inbound answered 12, lost 16 (with the IVR abandon 14), outbound 06 and 07; SL 12 / 27.
    expect(await column(page, 'report-daily', 'answered')).toEqual(['12']);
    expect(await column(page, 'report-daily', 'lost')).toEqual(['16']);
    expect(await column(page, 'report-daily', 'outbound')).toEqual(['2']);
    expect((await column(page, 'report-daily', 'sl')).map(digits)).toEqual(['44,4%']);
    expect(requests).toBe(3);

    await page.getByTestId('report-queue').click();
    await page.getByRole('option', { name: 'sales' }).click();
    await page.waitForURL(/queue=sales/);
    await expect.poll(() => column(page, 'report-daily', 'answered'), { timeout: 10_000 }).toEqual(['2']);
    expect(await column(page, 'report-daily', 'lost')).toEqual(['4']);
    expect(requests).toBe(3);

    const download = page.waitForEvent('download');
    await page.getByTestId('report-daily').getByRole('button', { name: 'Экспорт CSV' }).click();
    const file = await (await download).path();
    const csv = readFileSync(file, 'utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).trim().split(/\r?\n/);
    expect(lines[0]).toBe(
      'Дата,Отвеченные,Упущенные,Короткие сбросы,Исходящие,Исходящие отвеченные,Ур. обслуж.',
    );
    expect(lines[1]).toBe('2026-11-21,2,4,0,0,0,33.3');
    expect(lines[2]).toBe('Итого,2,4,0,0,0,33.3');
    await screenshot(page, 'reports-admin-sales');
    expect(browser.pageErrors()).toEqual([]);
  });
});
