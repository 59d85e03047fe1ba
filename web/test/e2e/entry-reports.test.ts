import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2eBrowser, loginAs, openBrowser, screenshot } from './support/browser.ts';
import { apiToken, E2E_USERS, type E2eStack, startE2eStack } from './support/e2e-stack.ts';

/**
 * End to end, in Russian at 1366×768: the DID and repeat-caller views of the reports over the
 * captures (31 calls on 21 November 2026; 28 inbound, all by DID 74951234567, from 28 different
 * numbers — analytics/test/entry-reports.test.ts). The supervisor sees queue support: 21 calls,
 * 10 answered, 9 abandoned, 2 missed. Each view's drill-down opens the journal listing exactly the
 * counted calls.
 */

let stack: E2eStack;
let browser: E2eBrowser;
const DAY = 'from=2026-11-21&to=2026-11-21';
const SCREEN = { width: 1366, height: 768 };

/** The cell of `name` in the DID × IVR choice row of `choice` (its shown text, exact). */
function choiceCell(page: Page, choice: string, name: string) {
  return page
    .getByTestId('report-did-choices')
    .locator('tbody tr', {
      has: page.locator('td[data-column="ivrChoice"]', { hasText: new RegExp(`^${choice}$`) }),
    })
    .locator(`td[data-column="${name}"]`);
}

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

describe('DID and repeat-caller reports', () => {
  it('per DID and per queue, each drilling down to as many calls in the journal', async () => {
    const page = await browser.newPage({ viewport: SCREEN });
    await loginAs(page, stack, E2E_USERS.supervisor);
    await page.goto(`${stack.url}/app/reports/dids?${DAY}`);
    await page.getByTestId('report-dids').locator('tbody tr').first().waitFor({ timeout: 30_000 });
    expect(await cell(page, 'report-dids', '74951234567', 'offered').textContent()).toBe('21');
    expect(await cell(page, 'report-dids', '74951234567', 'answered').textContent()).toBe('10');
    expect(await cell(page, 'report-dids', '74951234567', 'abandoned').textContent()).toBe('9');
    expect(await cell(page, 'report-dids', '74951234567', 'missed').textContent()).toBe('2');
    // Queue support's callers all pressed 1: one IVR choice row with the same counts.
    await expect(page.getByTestId('report-did-choices').locator('tbody tr').count()).resolves.toBe(1);
    expect(await choiceCell(page, '1', 'offered').textContent()).toBe('21');
    expect(await choiceCell(page, '1', 'abandoned').textContent()).toBe('9');
    await screenshot(page, 'reports-dids-ru-1366');

    await cell(page, 'report-dids', '74951234567', 'offered').locator('a').click();
    await page.waitForURL(/\/app\/journal\?/);
    expect(new URL(page.url()).searchParams.get('did')).toBe('74951234567');
    await expect
      .poll(() => page.getByTestId('journal-total').textContent(), { timeout: 15_000 })
      .toMatch(/^21\D/);
    // The journal names the operator, endpoint beside: scenario 01 was answered by 101.
    const operator = page.locator('tr[data-linkedid="1795234908.0"] td[data-column="operator_endpoint"]');
    await expect.poll(() => operator.textContent(), { timeout: 15_000 }).toMatch(/^\S.* \(101\)$/);
    await screenshot(page, 'journal-did-drilldown-ru-1366');

    await page.goto(`${stack.url}/app/reports/repeats?${DAY}&repeat_days=3`);
    await page.getByTestId('report-repeats').locator('tbody tr').first().waitFor({ timeout: 30_000 });
    expect(await cell(page, 'report-repeats', 'support', 'calls').textContent()).toBe('21');
    expect(await cell(page, 'report-repeats', 'support', 'unique').textContent()).toBe('21');
    expect(await cell(page, 'report-repeats', 'support', 'repeatCalls').textContent()).toBe('0');
    expect((await cell(page, 'report-repeats', 'support', 'fcr').textContent())?.replace(/\s/g, '')).toBe(
      '100,0%',
    );
    await expect(page.getByTestId('repeat-window').inputValue()).resolves.toBe('3');
    await screenshot(page, 'reports-repeats-ru-1366');

    await cell(page, 'report-repeats', 'support', 'calls').locator('a').click();
    await page.waitForURL(/\/app\/journal\?/);
    expect(new URL(page.url()).searchParams.get('queue')).toBe('support');
    await expect
      .poll(() => page.getByTestId('journal-total').textContent(), { timeout: 15_000 })
      .toMatch(/^21\D/);
  }, 120_000);

  it('shows the calls that ended in the IVR apart from the queue abandons, drilling down to them', async () => {
    const page = await browser.newPage({ viewport: SCREEN });
    await loginAs(page, stack, E2E_USERS.admin);
    await page.goto(`${stack.url}/app/reports/dids?${DAY}`);
    await page.getByTestId('report-dids').locator('tbody tr').first().waitFor({ timeout: 30_000 });
    // Of 28 inbound calls, 10 abandoned: capture 14's caller hung up in the IVR, before any queue.
    expect(await cell(page, 'report-dids', '74951234567', 'offered').textContent()).toBe('28');
    expect(await cell(page, 'report-dids', '74951234567', 'abandoned').textContent()).toBe('10');
    expect(await cell(page, 'report-dids', '74951234567', 'endedInIvr').textContent()).toBe('1');
    expect(await cell(page, 'report-dids', '74951234567', 'refused').textContent()).toBe('0');
    await cell(page, 'report-dids', '74951234567', 'endedInIvr').locator('a').click();
    await page.waitForURL(/\/app\/journal\?/);
    expect(new URL(page.url()).searchParams.get('ended_at_stage')).toBe('ivr');
    await expect
      .poll(() => page.getByTestId('journal-total').textContent(), { timeout: 15_000 })
      .toMatch(/^1\D/);
    await page.locator('tr[data-linkedid="1795235572.99"]').waitFor({ timeout: 15_000 });
  }, 120_000);

  it('splits the DID by IVR choice, each count drilling down to those calls, the choice in the drawer', async () => {
    const page = await browser.newPage({ viewport: SCREEN });
    await loginAs(page, stack, E2E_USERS.admin);
    await page.goto(`${stack.url}/app/reports/dids?${DAY}`);
    await page.getByTestId('report-did-choices').locator('tbody tr').first().waitFor({ timeout: 30_000 });
    // From the READMEs: 1 (support) 21 calls — 10 answered, 9 abandoned, 2 missed; 2 (sales: 04 and
    // the burst's group D) 6 — 2 answered, 4 missed to voicemail; no choice: 14, hung up in the menu.
    const rows = page.getByTestId('report-did-choices').locator('tbody tr');
    await expect(rows.count()).resolves.toBe(3);
    const figures = async (choice: string) =>
      Promise.all(
        ['offered', 'answered', 'abandoned', 'missed'].map((n) => choiceCell(page, choice, n).textContent()),
      );
    expect(await figures('1')).toEqual(['21', '10', '9', '2']);
    expect(await figures('2')).toEqual(['6', '2', '0', '4']);
    expect(await figures('без выбора')).toEqual(['1', '0', '1', '0']);
    await screenshot(page, 'reports-did-ivr-choices-ru-1366');

    await choiceCell(page, '2', 'answered').locator('a').click();
    await page.waitForURL(/\/app\/journal\?/);
    const params = new URL(page.url()).searchParams;
    expect([params.get('did'), params.get('ivr_choice'), params.get('status')]).toEqual([
      '74951234567',
      '2',
      'answered',
    ]);
    await expect
      .poll(() => page.getByTestId('journal-total').textContent(), { timeout: 15_000 })
      .toMatch(/^2\D/);
    await expect(page.getByTestId('filter-ivr-choice').textContent()).resolves.toContain('2');
    // Scenario 04 (pressed 2, answered by 103): the drawer names the choice.
    await page.locator('tr[data-linkedid="1795234985.12"]').click();
    await expect.poll(() => page.getByTestId('call-ivr-choice').textContent(), { timeout: 15_000 }).toBe('2');

    await page.goto(`${stack.url}/app/reports/dids?${DAY}`);
    await choiceCell(page, 'без выбора', 'offered').locator('a').click();
    await page.waitForURL(/\/app\/journal\?/);
    expect(new URL(page.url()).searchParams.get('ivr_choice')).toBe('-');
    await expect
      .poll(() => page.getByTestId('journal-total').textContent(), { timeout: 15_000 })
      .toMatch(/^1\D/);
    await page.locator('tr[data-linkedid="1795235572.99"]').waitFor({ timeout: 15_000 });
  }, 120_000);
});
