import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseOwnPassword, type E2eBrowser, loginAs, openBrowser, screenshot } from './support/browser.ts';
import { apiToken, E2E_USERS, type E2eStack, startE2eStack } from './support/e2e-stack.ts';
import { setMyPresence } from './support/operator-presence.ts';

/**
 * What a new user meets in the first hour, through the real main job (replayed captures) and
 * Debian's Chromium: one time-zone rule on every page (the queue's zone, else the installation's,
 * never the browser's), queues by their display names, honest report periods, a journal that fits
 * 1366 px, a time-zone field that replaces its text, the callback button disabled with its reason
 * without ARI, the archive tab saying ARCHIVE_DIR is unset, the login lockout in minutes, and the
 * forced password change after an administrator chose the password.
 */

let stack: E2eStack;
let browser: E2eBrowser;
let adminToken: string;

// Captures (fixtures/asterisk): scenario 01 (linkedid 1795234908.0) entered `support` at
// 2026-11-21T04:21:48Z and was answered by 101; 1795235096.62 is an internal call 101 → 102 at
// 04:32:32Z, with no queue.
const S01_UTC = '04:21:48';
const INTERNAL_UTC = '04:32:32';

async function api(path: string, init: { method?: string; body?: unknown } = {}) {
  const res = await fetch(`${stack.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<unknown>;
}

async function supportQueue(): Promise<{ id: number; timeZone: string; displayName: string }> {
  const { items } = (await api('/queues')) as {
    items: { id: number; name: string; timeZone: string; displayName: string }[];
  };
  return items.find((q) => q.name === 'support')!;
}

async function rowTexts(page: Page): Promise<string[]> {
  await page.getByTestId('call-row').first().waitFor({ timeout: 30_000 });
  return page.getByTestId('call-row').allInnerTexts();
}

beforeAll(async () => {
  stack = await startE2eStack();
  adminToken = await apiToken(stack, E2E_USERS.admin);
  browser = await openBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

describe('one time zone on every page', () => {
  it("shows an operator's calls in their queue's zone, and calls without a queue in the installation's, whatever the browser's zone", async () => {
    const support = await supportQueue();
    await api(`/queues/${support.id}`, { method: 'PATCH', body: { timeZone: 'Asia/Yekaterinburg' } });
    try {
      // A browser far from the clinic: its zone must not matter.
      const page = await browser.newPage({ timezoneId: 'America/New_York' });
      await loginAs(page, stack, E2E_USERS.operator);
      await page.goto(`${stack.url}/app/journal`);
      const rows = await rowTexts(page);
      // support is UTC+5 now; the demo installation (ASTERISK_SERVERS default) is UTC.
      expect(rows.some((r) => r.includes('21.11.26, 09:21:48'))).toBe(true);
      expect(rows.some((r) => r.includes(`21.11.26, ${INTERNAL_UTC}`))).toBe(true);
      expect(rows.join('\n')).not.toContain(S01_UTC);
      // The zone is named on screen.
      await expect(page.locator('main').innerText()).resolves.toContain('UTC');
      // The same call in the operator's own list.
      await page.goto(`${stack.url}/app/operator`);
      await page.getByRole('tab', { name: 'Мои звонки' }).click();
      await page.getByTestId('my-call-row').first().waitFor({ timeout: 20_000 });
      const mine = await page.getByTestId('my-call-row').allInnerTexts();
      expect(mine.some((r) => r.includes('09:21:48'))).toBe(true);
    } finally {
      await api(`/queues/${support.id}`, { method: 'PATCH', body: { timeZone: support.timeZone } });
    }
  });
});

describe('queues by their display names', () => {
  it('shows the display name in the journal, the call drawer and the reports', async () => {
    const support = await supportQueue();
    await api(`/queues/${support.id}`, { method: 'PATCH', body: { displayName: 'Поддержка' } });
    try {
      const page = await browser.newPage();
      await loginAs(page, stack, E2E_USERS.supervisor);
      await page.goto(`${stack.url}/app/journal`);
      const rows = await rowTexts(page);
      expect(rows.some((r) => r.includes('Поддержка'))).toBe(true);
      expect(rows.some((r) => /\bsupport\b/.test(r))).toBe(false);
      await page.getByTestId('call-row').first().click();
      await page.getByTestId('call-detail').waitFor({ timeout: 15_000 });
      await expect(page.getByTestId('call-detail').innerText()).resolves.toContain('Поддержка');
      await page.goto(`${stack.url}/app/reports/queues?from=2026-11-21&to=2026-11-21`);
      await page.getByTestId('report-queues').locator('tbody tr').first().waitFor({ timeout: 30_000 });
      const cells = await page
        .getByTestId('report-queues')
        .locator('tbody td[data-column="queue"]')
        .allTextContents();
      expect(cells).toContain('Поддержка');
    } finally {
      await api(`/queues/${support.id}`, { method: 'PATCH', body: { displayName: support.displayName } });
    }
  });
});

describe('report periods', () => {
  it('opens on the newest calls, draws every day of a quiet week, and says what is wrong with a reversed period', async () => {
    const page = await browser.newPage();
    await loginAs(page, stack, E2E_USERS.supervisor);
    // No period in the URL: the captures are from 2026-11-21, so the default is the week ending then.
    await page.goto(`${stack.url}/app/reports/daily`);
    await page.getByTestId('report-daily').locator('tbody tr').first().waitFor({ timeout: 30_000 });
    const days = await page
      .getByTestId('report-daily')
      .locator('tbody td[data-column="day"]')
      .allTextContents();
    expect(days.length).toBe(7);
    expect(days.join(' ')).toContain('21.11.2026');
    // A week with calls on one day: seven rows (zeros for quiet days), not one.
    await page.goto(`${stack.url}/app/reports/daily?from=2026-11-18&to=2026-11-24`);
    await page.getByTestId('report-daily').locator('tbody tr').first().waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('report-daily').locator('tbody td[data-column="day"]').count()).toBe(7);
    // No developer figures for people.
    const text = await page.locator('main').innerText();
    expect(text).not.toMatch(/\d+[.,]\d+ мс|Загружено:/);
    // The period is picked with the UI library's date picker, not a native date input.
    expect(await page.locator('input[type="date"]').count()).toBe(0);
    await expect(page.getByTestId('report-period').innerText()).resolves.toContain('18.11.2026 – 24.11.2026');
    // Reversed: said at once, and nothing keeps loading.
    await page.goto(`${stack.url}/app/reports/daily?from=2026-11-24&to=2026-11-18`);
    await page.getByTestId('report-bad-period').waitFor({ timeout: 15_000 });
    await expect(page.getByTestId('report-bad-period').innerText()).resolves.toMatch(
      /Конец периода раньше начала/,
    );
    await page.waitForTimeout(1000);
    expect(await page.getByTestId('report-progress').count()).toBe(0);
  });
});

describe('layout at 1366×768', () => {
  it('fits the journal table without cutting its badges, and the time-zone field replaces what it shows', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await loginAs(page, stack, E2E_USERS.admin);
    await page.goto(`${stack.url}/app/journal`);
    await rowTexts(page);
    const overflow = await page
      .getByTestId('call-table')
      .evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(overflow.scroll).toBeLessThanOrEqual(overflow.client);
    const cut = await page
      .locator('[data-testid="call-row"] .mantine-Badge-label')
      .evaluateAll((labels) =>
        labels.filter((l) => l.scrollWidth > l.clientWidth + 1).map((l) => l.textContent),
      );
    expect(cut).toEqual([]);
    await page.goto(`${stack.url}/app/admin/queues`);
    const field = page.locator('[data-queue="support"] [data-testid="queue-tz"]');
    await field.click();
    await page.keyboard.type('Yekaterin');
    await page.getByRole('option', { name: 'Asia/Yekaterinburg' }).waitFor({ timeout: 5_000 });
    expect(await field.inputValue()).toBe('Yekaterin');
  });
});

/** A silent WAV (8 kHz, 16-bit mono) of `seconds`, as MixMonitor would leave. */
function wav(seconds: number): Buffer {
  const data = 8000 * 2 * seconds;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(16000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data, 40);
  return Buffer.concat([header, Buffer.alloc(data)]);
}

describe('recordings stream', () => {
  it('plays an hour-long recording at once with Range requests, and seeking fetches from the new place', async () => {
    // Scenario 01's recording (fixtures/asterisk), an hour long: 57.6 MB.
    const file = join(stack.recordingsDir, '20261121-042148-in-1795234908.0.wav');
    mkdirSync(dirname(file), { recursive: true });
    const size = wav(3600).length;
    writeFileSync(file, wav(3600));
    const page = await browser.newPage();
    const ranges: string[] = [];
    page.on('request', (request) => {
      if (/\/calls\/\d+\/recording/.test(request.url())) ranges.push(request.headers().range ?? 'none');
    });
    await loginAs(page, stack, E2E_USERS.operator);
    await page.goto(`${stack.url}/app/journal`);
    await page.locator('[data-testid="call-row"][data-linkedid="1795234908.0"]').click();
    await page.getByTestId('recording-listen').click();
    const audio = page.getByTestId('recording-audio');
    await audio.waitFor();
    const duration = await audio.evaluate(
      (el: HTMLAudioElement) =>
        new Promise<number>((resolve) =>
          el.readyState >= 1
            ? resolve(el.duration)
            : el.addEventListener('loadedmetadata', () => resolve(el.duration)),
        ),
    );
    expect(duration).toBeCloseTo(3600, 0);
    // The element streams the API's URL itself, not a blob of the whole file.
    expect(await audio.getAttribute('src')).toMatch(/^\/calls\/\d+\/recording\?access_token=/);
    expect(ranges.some((r) => r.startsWith('bytes=0-'))).toBe(true);
    // Seek to the middle: the browser asks from there.
    await audio.evaluate((el: HTMLAudioElement) => {
      el.currentTime = 1800;
    });
    await expect
      .poll(
        () => ranges.some((r) => /^bytes=(\d+)-/.test(r) && Number(/^bytes=(\d+)-/.exec(r)![1]) > size / 3),
        {
          timeout: 15_000,
        },
      )
      .toBe(true);
  });
});

describe('honest states', () => {
  it('disables the callback button without ARI, with the reason in Russian', async () => {
    const page = await browser.newPage();
    await loginAs(page, stack, E2E_USERS.operator);
    await page.getByRole('tab', { name: 'Перезвоны' }).click();
    const button = page.getByTestId('callback-call').first();
    await button.waitFor({ timeout: 20_000 });
    await expect(button.isDisabled()).resolves.toBe(true);
    await expect(button.getAttribute('data-reason')).resolves.toBe('noTelephony');
    await button.locator('..').hover();
    await expect(page.getByRole('tooltip').innerText()).resolves.toMatch(/Звонок невозможен/);
  });

  it('names the operator’s own status apart from the server link, times a pause, and opens no pops after the shift', async () => {
    const page = await browser.newPage();
    await loginAs(page, stack, E2E_USERS.operator);
    const status = page.getByTestId('operator-status');
    await page.getByTestId('my-presence').waitFor({ timeout: 20_000 });
    await expect(status.innerText()).resolves.toContain('Мой статус:');
    // The header's badge is about the server link, not about being "online".
    await expect(page.locator('header').innerText()).resolves.not.toMatch(/онлайн/i);
    await setMyPresence(page, {});
    await expect
      .poll(() => page.getByTestId('my-presence').innerText(), { timeout: 10_000 })
      .toMatch(/^Пауза: .+ · 0:0[1-9]$/);
    await setMyPresence(page, 'offline');
    await expect
      .poll(() => page.getByTestId('my-presence').innerText(), { timeout: 10_000 })
      .toBe('Смена завершена');
    await page.getByTestId('pops-offline').waitFor({ timeout: 5_000 });
    await setMyPresence(page, 'available');
    await expect.poll(() => page.getByTestId('pops-offline').count(), { timeout: 10_000 }).toBe(0);
  });

  it('says on the archive tab that ARCHIVE_DIR is unset, with "run now" disabled', async () => {
    const page = await browser.newPage();
    await loginAs(page, stack, E2E_USERS.admin);
    await page.goto(`${stack.url}/app/admin/archive`);
    await page.getByTestId('archive-unconfigured').waitFor({ timeout: 15_000 });
    await expect(page.getByTestId('archive-unconfigured').innerText()).resolves.toContain('ARCHIVE_DIR');
    await expect(page.getByTestId('archive-run-now').isDisabled()).resolves.toBe(true);
  });

  it('tells a locked-out user in Russian, in minutes', async () => {
    await stack.addUser({
      login: 'e2e-forgetful',
      password: 'right-password-1',
      role: 'operator',
      endpoint: '102',
    });
    const page = await browser.newPage();
    await page.goto(`${stack.url}/app/login`);
    for (let i = 0; i < 6; i++) {
      await page.getByTestId('login-name').fill('e2e-forgetful');
      await page.getByTestId('login-password').fill(`wrong-${i}`);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('login-error').waitFor();
      await page.waitForTimeout(200);
    }
    const message = await page.getByTestId('login-error').innerText();
    expect(message).toMatch(/через 15 мин\./);
    expect(message).not.toMatch(/[A-Za-z]/);
  });

  it('holds a user whose password an administrator chose on the password page until they choose their own', async () => {
    await api('/users', {
      method: 'POST',
      body: { login: 'e2e-newcomer', password: 'given-by-admin', role: 'operator', endpoint: '103' },
    });
    const page = await browser.newPage();
    await page.goto(`${stack.url}/app/login`);
    await page.getByTestId('login-name').fill('e2e-newcomer');
    await page.getByTestId('login-password').fill('given-by-admin');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('password-change').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('app-nav').count()).toBe(0);
    // Another page of the app shows the same form: nothing is open before the change.
    await page.goto(`${stack.url}/app/journal`);
    await page.getByTestId('password-change').waitFor({ timeout: 20_000 });

    await page.getByTestId('password-current').fill('wrong-password');
    await page.getByTestId('password-next').fill('my-own-secret-1');
    await page.getByTestId('password-repeat').fill('my-own-secret-1');
    await page.getByTestId('password-submit').click();
    // A wrong current password is named as such (its own error code), in Russian.
    const error = await page.getByTestId('password-error').innerText();
    expect(error).toBe('Текущий пароль указан неверно.');
    await screenshot(page, 'password-change-ru-1366');

    await chooseOwnPassword(page, 'given-by-admin', 'my-own-secret-1');
    expect(await page.getByTestId('password-change').count()).toBe(0);
    await page.close();
  });
});
