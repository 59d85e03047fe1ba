import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseOwnPassword, type E2eBrowser, loginAs, openBrowser, screenshot } from './support/browser.ts';
import { apiToken, E2E_USERS, type E2eStack, startE2eStack } from './support/e2e-stack.ts';

/**
 * End to end through the real main job (replayed captures → collector → API → web app) and
 * Debian's Chromium: each role signs in and sees its navigation; the journal lists the replayed
 * calls with filters in the URL; recordings are listened to by everyone in scope and downloaded
 * by supervisors only (the operator gets 403 from the API); admin pages render and a dictionary
 * entry is edited.
 */

let stack: E2eStack;
let browser: E2eBrowser;

// Captures (fixtures/asterisk): scenario 01, linkedid 1795234908.0, support queue, answered by 101.
const S01_LINKEDID = '1795234908.0';
const S01_RECORDING = '20261121-042148-in-1795234908.0.wav';
// Scenario 04: sales queue, answered by 103 — outside the support supervisor's scope.
const S04_LINKEDID = '1795234985.12';

/** A short valid WAV (8 kHz, 16-bit mono, 1 s of silence), as MixMonitor would leave. */
function wavBytes(seconds = 1): Buffer {
  const rate = 8000;
  const data = rate * 2 * seconds;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data, 40);
  return Buffer.concat([header, Buffer.alloc(data)]);
}

async function callIdOf(linkedid: string, token: string): Promise<number> {
  const res = await fetch(`${stack.url}/calls?limit=500`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { items: { id: number; linkedid: string }[] };
  const call = body.items.find((c) => c.linkedid === linkedid);
  if (!call) throw new Error(`call ${linkedid} not in the admin's journal`);
  return call.id;
}

const navIds = async (page: Page) =>
  page
    .getByTestId('app-nav')
    .locator('[data-testid^="nav-"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));

beforeAll(async () => {
  stack = await startE2eStack();
  // The demo has no recording files (Asterisk's MixMonitor writes them): give scenario 01 its file
  // where the API looks for it (RECORDINGS_DIR + the stored name).
  const file = join(stack.recordingsDir, S01_RECORDING);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, wavBytes());
  browser = await openBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

describe('sign-in and navigation by role', () => {
  it('an operator gets Workspace, Journal and Sessions, and lands on the workspace', async () => {
    const page = await browser.newPage();
    await loginAs(page, stack, E2E_USERS.operator);
    expect(new URL(page.url()).pathname).toBe('/app/operator');
    expect(await navIds(page)).toEqual(['nav-operator', 'nav-journal', 'nav-sessions']);
    expect(await page.getByTestId('user-role').getAttribute('data-role')).toBe('operator');
    // A section of another role shows "no access", not the page.
    await page.goto(`${stack.url}/app/admin/users`);
    await page.getByTestId('status-403').waitFor();
    await screenshot(page, 'operator-workspace');
  });

  it('a supervisor gets Journal, Reports, the wallboard, missed calls and sessions; an admin everything', async () => {
    const sup = await browser.newPage();
    await loginAs(sup, stack, E2E_USERS.supervisor);
    expect(new URL(sup.url()).pathname).toBe('/app/journal');
    expect(await navIds(sup)).toEqual([
      'nav-journal',
      'nav-reports',
      'nav-live',
      'nav-missed',
      'nav-sessions',
    ]);
    const admin = await browser.newPage();
    await loginAs(admin, stack, E2E_USERS.admin);
    expect(await navIds(admin)).toEqual([
      'nav-operator',
      'nav-journal',
      'nav-reports',
      'nav-live',
      'nav-missed',
      'nav-sessions',
      'nav-admin',
    ]);
    // Alt+7 is the keyboard way to Administration (the seventh section an admin sees).
    await admin.keyboard.press('Alt+7');
    await admin.waitForURL(/\/app\/admin\/users$/);
  });

  it('refuses a wrong password with the API message, keeps the session over a reload, signs out', async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.url}/`);
    await page.waitForURL(/\/app\/login$/);
    await page.getByTestId('login-name').fill(E2E_USERS.supervisor.login);
    await page.getByTestId('login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    await expect(page.getByTestId('login-error').textContent()).resolves.toMatch(/Неверный логин или пароль/);
    await screenshot(page, 'login-error');
    await loginAs(page, stack, E2E_USERS.supervisor);
    await page.reload();
    await page.getByTestId('app-nav').waitFor();
    expect(new URL(page.url()).pathname).toBe('/app/journal');
    // English, persisted across reloads.
    await page.getByTestId('language-switch').getByText('EN').click();
    await page.getByRole('heading', { name: 'Call journal' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Call journal' }).waitFor();
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await page.waitForURL(/\/app\/login$/);
    await page.reload();
    await page.getByTestId('login-name').waitFor();
  });
});

describe('journal', () => {
  it('shows the replayed calls in scope, with filters and sort kept in the URL', async () => {
    const page = await browser.newPage();
    await loginAs(page, stack, E2E_USERS.supervisor);
    await page.getByTestId('call-row').first().waitFor();
    const linkedids = () =>
      page.getByTestId('call-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-linkedid')));
    const all = await linkedids();
    expect(all).toContain(S01_LINKEDID);
    expect(all).not.toContain(S04_LINKEDID); // sales is not the supervisor's queue
    // The total is the API's count of the scope (support calls of the captures).
    const token = await apiToken(stack, E2E_USERS.supervisor);
    const api = (await (
      await fetch(`${stack.url}/calls?limit=1`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as {
      total: number;
    };
    expect(await page.getByTestId('journal-total').textContent()).toContain(String(api.total));
    expect(all.length).toBe(api.total);
    // No card has been filled in the demo: every row is marked incomplete.
    expect(await page.locator('[data-testid="call-row"][data-incomplete="true"]').count()).toBe(all.length);
    await screenshot(page, 'journal');

    // Filter by status: the URL carries it, and a reload keeps it.
    await page.getByTestId('filter-status').click();
    await page.getByRole('option', { name: 'Брошен' }).click();
    await page.waitForURL(/status=abandoned/);
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('[data-testid="call-row"] [data-status]')).every(
        (e) => e.getAttribute('data-status') === 'abandoned',
      ),
    );
    await page.getByTestId('sort-talk_sec').click();
    await page.waitForURL(/sort=talk_sec/);
    await page.reload();
    await page.getByTestId('call-row').first().waitFor();
    const statuses = await page
      .locator('[data-testid="call-row"] [data-status]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set(['abandoned']));
    expect(await page.getByTestId('filter-status').inputValue()).toBe('Брошен');
  });

  it('an operator listens to their call but has no download button, and the API refuses the download', async () => {
    const page = await browser.newPage();
    await loginAs(page, stack, E2E_USERS.operator);
    await page.getByTestId('nav-journal').click();
    const row = page.locator(`[data-testid="call-row"][data-linkedid="${S01_LINKEDID}"]`);
    await row.click();
    await page.getByTestId('call-detail').waitFor();
    await page.getByTestId('call-attempts').waitFor();
    expect(await page.getByTestId('recording-download').count()).toBe(0);
    await page.getByTestId('recording-listen').click();
    await page.getByTestId('recording-audio').waitFor();
    const duration = await page
      .getByTestId('recording-audio')
      .evaluate(
        (audio: HTMLAudioElement) =>
          new Promise<number>((resolve) =>
            audio.readyState >= 1
              ? resolve(audio.duration)
              : audio.addEventListener('loadedmetadata', () => resolve(audio.duration)),
          ),
      );
    expect(duration).toBeCloseTo(1, 1);
    await screenshot(page, 'journal-call-operator');

    const token = await apiToken(stack, E2E_USERS.operator);
    const id = await callIdOf(S01_LINKEDID, await apiToken(stack, E2E_USERS.admin));
    const res = await fetch(`${stack.url}/calls/${id}/recording?download=true`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(403);
  });

  it('a supervisor downloads the recording', async () => {
    const page = await browser.newPage();
    await loginAs(page, stack, E2E_USERS.supervisor);
    const id = await callIdOf(S01_LINKEDID, await apiToken(stack, E2E_USERS.admin));
    await page.goto(`${stack.url}/app/journal/calls/${id}`);
    await page.getByTestId('call-detail').waitFor();
    // "Why": the decisions and the CEL rows by channel of scenario 01 (answered by 101 from support).
    await page.getByTestId('call-why-open').click();
    await page.locator('[data-testid="call-why-decisions"] tr[data-field="status"]').waitFor();
    expect(
      await page.locator('[data-testid="call-why-decisions"] tr[data-field="operator"]').textContent(),
    ).toContain('101');
    expect(await page.getByTestId('call-why-channel').count()).toBeGreaterThanOrEqual(4);
    await page.getByTestId('call-why-cdr').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('recording-download').click(),
    ]);
    expect(download.suggestedFilename()).toBe(S01_RECORDING);
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(path).subarray(0, 4).toString()).toBe('RIFF');
    await screenshot(page, 'journal-call-supervisor');

    // CSV export of the current filter (answered calls of the supervisor's queues).
    await page.goto(`${stack.url}/app/journal?status=answered`);
    await page.getByTestId('call-row').first().waitFor();
    const rows = await page.getByTestId('call-row').count();
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('journal-export').click(),
    ]);
    const text = readFileSync(await csv.path(), 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff); // UTF-8 BOM for Excel
    const lines = text.slice(1).trim().split(/\r?\n/);
    expect(lines.length).toBe(rows + 1); // header + one line per call shown
  });
});

describe('journal at volume', () => {
  it('keeps only the visible rows in the DOM and loads further pages while scrolling', async () => {
    // 230 calls entered by hand (POST /calls), older than the captures: with the replayed ones,
    // 261 calls, three pages of 100.
    const token = await apiToken(stack, E2E_USERS.admin);
    const base = Date.parse('2026-10-01T08:00:00Z');
    for (let start = 0; start < 230; start += 23) {
      await Promise.all(
        Array.from({ length: 23 }, (_, k) =>
          fetch(`${stack.url}/calls`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              direction: 'inbound',
              started_at: new Date(base - (start + k) * 60_000).toISOString(),
              src_number: `7916000${String(start + k).padStart(4, '0')}`,
              duration_sec: 30,
            }),
          }).then((res) => expect(res.status).toBe(201)),
        ),
      );
    }
    const page = await browser.newPage();
    await loginAs(page, stack, E2E_USERS.admin);
    await page.getByTestId('nav-journal').click();
    await page.getByTestId('call-row').first().waitFor();
    expect(await page.getByTestId('journal-total').textContent()).toMatch(/261/);
    const inDom = () => page.getByTestId('call-row').count();
    expect(await inDom()).toBeLessThan(60);
    // Scroll to the end until the oldest manual call (the last one in started_at desc) shows up.
    const oldest = page.locator('[data-testid="call-row"]').filter({ hasText: '79160000229' });
    for (let i = 0; i < 20 && (await oldest.count()) === 0; i++) {
      await page.getByTestId('call-table').evaluate((el) => el.scrollTo(0, el.scrollHeight));
      await page.waitForTimeout(250);
    }
    await oldest.waitFor();
    expect(await inDom()).toBeLessThan(60);
    // ↑ moves the focus to the row above, Enter opens it.
    await oldest.focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await page.getByTestId('call-detail').waitFor();
    expect(await page.getByTestId('call-src').textContent()).toBe('79160000228');
    await page.keyboard.press('Escape');
    await page.getByTestId('call-detail').waitFor({ state: 'detached' });
    expect(new URL(page.url()).pathname).toBe('/app/journal');
  });
});

describe('admin', () => {
  it('renders every admin page and renames a dictionary entry', async () => {
    const page = await browser.newPage();
    await loginAs(page, stack, E2E_USERS.admin);
    await page.goto(`${stack.url}/app/admin/users`);
    await page.locator(`[data-testid="user-row"][data-login="${E2E_USERS.operator.login}"]`).waitFor();
    await screenshot(page, 'admin-users');

    // Create an operator; a second attempt with the same login shows the API's 409 as a conflict.
    const newcomer = {
      login: 'e2e-new-op',
      password: 'newcomer-pass-1',
      role: 'operator',
      endpoint: '102',
    } as const;
    for (const attempt of [1, 2]) {
      await page.getByTestId('user-new').click();
      await page.getByTestId('user-login').fill(newcomer.login);
      await page.getByTestId('user-password').fill(newcomer.password);
      await page.getByTestId('user-endpoint').fill(newcomer.endpoint);
      await page.getByTestId('user-save').click();
      if (attempt === 1) {
        await page.locator(`[data-testid="user-row"][data-login="${newcomer.login}"]`).waitFor();
      } else {
        await expect(page.getByTestId('api-error').textContent()).resolves.toMatch(/Конфликт/);
        await page.keyboard.press('Escape');
      }
    }
    // The newcomer signs in with the password the admin chose and must choose their own first
    // (docs/roles.md#sign-in).
    const newPage = await browser.newPage();
    await newPage.goto(`${stack.url}/app/login`);
    await newPage.getByTestId('login-name').fill(newcomer.login);
    await newPage.getByTestId('login-password').fill(newcomer.password);
    await newPage.getByTestId('login-submit').click();
    await chooseOwnPassword(newPage, newcomer.password, 'newcomer-own-2');
    expect(await newPage.getByTestId('user-role').textContent()).toContain('102');

    await page.getByTestId('admin-tab-dictionaries').click();
    await page.getByTestId('admin-dictionaries').waitFor();
    await page.getByTestId('dict-new-name').fill('Справка для бассейна');
    await page.getByTestId('dict-add').click();
    const added = page.getByTestId('dict-row').filter({ hasText: 'Справка для бассейна' });
    await added.waitFor();
    // Keep hold of the row by id: while renamed, its name is in an input, not in its text.
    const row = page.locator(
      `[data-testid="dict-row"][data-entry-id="${await added.getAttribute('data-entry-id')}"]`,
    );
    await row.getByTestId('dict-rename').click();
    await row.getByTestId('dict-rename-input').fill('Справка в бассейн');
    await row.getByTestId('dict-rename-input').press('Enter');
    await page.getByTestId('dict-row').filter({ hasText: 'Справка в бассейн' }).waitFor();
    expect(await page.getByTestId('api-error').count()).toBe(0);
    const token = await apiToken(stack, E2E_USERS.admin);
    const purposes = async () =>
      (
        (await (
          await fetch(`${stack.url}/dictionaries/purposes`, { headers: { authorization: `Bearer ${token}` } })
        ).json()) as { items: { name: string }[] }
      ).items.map((p) => p.name);
    // The API has it under the new name.
    const before = await purposes();
    expect(before).toContain('Справка в бассейн');
    expect(before).not.toContain('Справка для бассейна');
    // Moving it up one place is what the API's order says next.
    const position = before.indexOf('Справка в бассейн');
    expect(position).toBeGreaterThan(0);
    await row.getByTestId('dict-up').click();
    await expect.poll(async () => (await purposes()).indexOf('Справка в бассейн')).toBe(position - 1);
    await screenshot(page, 'admin-dictionaries');

    await page.getByTestId('admin-tab-queues').click();
    await page.locator('[data-testid="queue-row"][data-queue="support"]').waitFor();
    await screenshot(page, 'admin-queues');
    await page.getByTestId('admin-tab-quality').click();
    await page.getByTestId('admin-quality').waitFor();
    await screenshot(page, 'admin-quality');
    await page.getByTestId('admin-tab-archive').click();
    await page
      .locator('[data-testid="admin-archive"], [data-testid="archive-empty"], [data-testid="api-error"]')
      .first()
      .waitFor();
    await screenshot(page, 'admin-archive');
    expect(browser.pageErrors()).toEqual([]);
  });
});
