import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2eBrowser, loginAs, openBrowser, screenshot } from './support/browser.ts';
import { apiToken, E2E_USERS, type E2eStack, startE2eStack } from './support/e2e-stack.ts';

/**
 * End to end, in Russian at 1366×768: the staffing views of the reports over the captures (all 31
 * calls on 21 November 2026, 07:21–07:33 Moscow time; support: 21 offered, 10 answered, 9
 * abandoned, 2 missed, see reports.test.ts) — by hour and 15-minute interval, service level per
 * day — and a count's drill-down opens the journal listing exactly those calls.
 */

let stack: E2eStack;
let browser: E2eBrowser;
const DAY = 'from=2026-11-21&to=2026-11-21';
const SCREEN = { width: 1366, height: 768 };

/** The cell of `name` in the row whose first cell starts with `first`. */
function cell(page: Page, table: string, first: string, name: string) {
  return page
    .getByTestId(table)
    .locator('tbody tr', { has: page.locator('td:first-child', { hasText: new RegExp(`^${first}`) }) })
    .locator(`td[data-column="${name}"]`);
}

beforeAll(async () => {
  stack = await startE2eStack();
  const token = await apiToken(stack, E2E_USERS.admin);
  const period = `from=${encodeURIComponent('2026-11-20T00:00:00Z')}&to=${encodeURIComponent('2026-11-23T00:00:00Z')}`;
  for (let i = 0; i < 120; i++) {
    const res = await fetch(`${stack.url}/reports/facts?${period}&format=json&columns=linkedid`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (res.ok && (await res.text()).split('\n').filter(Boolean).length === 31) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  browser = await openBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

describe('staffing reports', () => {
  it('by hour and 15 minutes, service level per day, and a drill-down into the journal', async () => {
    const page = await browser.newPage({ viewport: SCREEN });
    await loginAs(page, stack, E2E_USERS.supervisor);
    await page.goto(`${stack.url}/app/reports/intervals?${DAY}`);
    await page.getByTestId('report-intervals').locator('tbody tr').first().waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('report-intervals').locator('tbody tr').count()).toBe(24);
    expect(await cell(page, 'report-intervals', '07:00', 'offered').textContent()).toBe('21');
    expect(await cell(page, 'report-intervals', '07:00', 'answered').textContent()).toBe('10');
    expect(await cell(page, 'report-intervals', '07:00', 'abandoned').textContent()).toBe('9');
    expect(await cell(page, 'report-intervals', '08:00', 'offered').textContent()).toBe('0');
    await screenshot(page, 'reports-intervals-ru-1366');

    await page.getByTestId('interval-size').getByText('По 15 минут').click();
    await expect.poll(() => page.getByTestId('report-intervals').locator('tbody tr').count()).toBe(96);
    const quarters = ['07:15', '07:30'].map((slot) =>
      cell(page, 'report-intervals', slot, 'offered').textContent(),
    );
    const [q1, q2] = await Promise.all(quarters);
    expect(Number(q1) + Number(q2)).toBe(21);

    await page.getByRole('tab', { name: 'Уровень обслуживания по дням' }).click();
    await page.getByTestId('report-service-level').locator('tbody tr').first().waitFor();
    expect(await cell(page, 'report-service-level', 'support', 'offered').textContent()).toBe('21');
    expect(
      (await cell(page, 'report-service-level', 'support', 'sl').textContent())?.replace(/\s/g, ''),
    ).toBe('47,6%');
    await screenshot(page, 'reports-service-level-ru-1366');

    // Drill-down: the abandoned count of the day opens the journal listing those 9 calls.
    await cell(page, 'report-service-level', 'support', 'abandoned').locator('a').click();
    await page.waitForURL(/\/app\/journal\?/);
    expect(new URL(page.url()).searchParams.get('status')).toBe('abandoned');
    await expect
      .poll(() => page.getByTestId('journal-total').textContent(), { timeout: 15_000 })
      .toMatch(/^9\D/);
    await screenshot(page, 'journal-drilldown-ru-1366');

    // The hour's drill-down carries the interval of the day in the report's zone.
    await page.goto(`${stack.url}/app/reports/intervals?${DAY}`);
    await cell(page, 'report-intervals', '07:00', 'offered').locator('a').click();
    await page.waitForURL(/time_from=07%3A00/);
    await expect
      .poll(() => page.getByTestId('journal-total').textContent(), { timeout: 15_000 })
      .toMatch(/^21\D/);
    await expect(page.getByTestId('filter-drilldown').textContent()).resolves.toContain('07:00–08:00');
  }, 120_000);
});
