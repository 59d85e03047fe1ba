import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '@callcenter/web/testing/chromium';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabApi } from './support/api-client.ts';
import { LAB_DID, type Lab, type LabServer, REPO_ROOT, startLab } from './support/lab.ts';
import { deskPhone, inboundCall } from './support/phones.ts';
import { expectSippSuccess, type SippProcess } from './support/sipp.ts';

/**
 * The live wallboard (`/app/live`) in Debian's Chromium, signed in as a supervisor of `support`,
 * on the real Asterisk of the lab with the product's configuration. Desk phone 102 (SIPp) is the
 * only registered member of the ring-all queue `support` (101 is configured but never registers:
 * offline on the wall). A SIPp caller comes through the trunk and the IVR (digit 3 = support) and
 * 102 lets it ring {@link RING_MS} before answering: the wall shows the caller waiting with the
 * longest wait moving, 102 ringing, then talking with the caller's number, then available when
 * the phone hangs up. Then the supervisor pauses 102 from the wall (AMI QueuePause): the wall and
 * Asterisk's `queue show` both say paused; resuming clears it. During a second call the supervisor
 * listens in from the wall: their own desk phone 103 (SIPp, registered only once 102 talks, so the
 * ring-all queue never rings it) rings and runs ChanSpy on 102's channel until the call ends. TV
 * mode fills the screen. A
 * supervisor of `sales` never sees `support` or its caller. The page is photographed in Russian at 1366×768.
 */

const SHOTS_DIR = join(REPO_ROOT, 'test-artifacts', 'pbx');
/** 102 rings this long before answering; the caller waits in the queue meanwhile. */
const RING_MS = 9000;
const TALK_MS = 5000;
const CLI = '79161237001';

let lab: Lab;
let server: LabServer;
let browser: Browser;
let page: Page;
let desk102: SippProcess | null = null;
let supervisorPhone: SippProcess | null = null;
let salesSupervisor: LabApi;
const pageErrors: string[] = [];

beforeAll(async () => {
  // The main job serves web/dist: build it from this checkout's sources.
  execFileSync('npm', ['run', 'build', '-w', 'web'], { cwd: REPO_ROOT, stdio: 'ignore', timeout: 300_000 });
  lab = await startLab([{ id: 'pbx1', operators: { '101': 'sip', '102': 'sip', '103': 'sip' } }]);
  server = lab.servers[0]!;
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS],
  });
  mkdirSync(SHOTS_DIR, { recursive: true });
  const salesPassword = await lab.addUser('sup-sales', 'supervisor', ['--queues', 'sales']);
  salesSupervisor = new LabApi(lab.apiUrl, await lab.login('sup-sales', salesPassword));
}, 500_000);

afterAll(async () => {
  await desk102?.stop();
  await supervisorPhone?.stop();
  await browser?.close().catch(() => {});
  await lab?.stop();
});

const tile = (queue: string) => page.getByTestId(`wallboard-queue-${queue}`);
const row = (endpoint: string) => page.getByTestId(`wallboard-operator-${endpoint}`);
const stateOf = (endpoint: string) => row(endpoint).getAttribute('data-state');

/**
 * Opens the menu of `button` and clicks its item (`itemTestId`, else the first), then waits until
 * `read()` gives `expected`; a menu a re-render closed before the click is opened again.
 */
async function pickFromMenu(
  button: ReturnType<Page['getByTestId']>,
  read: () => Promise<string | null>,
  expected: string,
  itemTestId?: string,
) {
  for (let attempt = 1; ; attempt++) {
    await button.click();
    const item = itemTestId ? page.getByTestId(itemTestId) : page.getByRole('menuitem').first();
    try {
      await item.click({ timeout: 5_000 });
      await expect.poll(read, { timeout: 10_000 }).toBe(expected);
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
      await page.keyboard.press('Escape');
    }
  }
}

async function shot(name: string) {
  await page.screenshot({ path: join(SHOTS_DIR, `wallboard-${name}.png`) });
}

describe('the wallboard on a real queue', () => {
  it('opens for a supervisor of support in Russian, on AMI, with the offline member', async () => {
    // The supervisor has a desk phone of their own (103) to listen in with.
    const password = await lab.addUser('sup', 'supervisor', ['--queues', 'support', '--endpoint', '103']);
    const context = await browser.newContext({
      viewport: { width: 1366, height: 768 },
      locale: 'ru-RU',
      timezoneId: 'Europe/Moscow',
    });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text()))
        pageErrors.push(`console: ${m.text()}`);
    });
    await page.goto(`${lab.apiUrl}/app/login`);
    await page.getByTestId('login-name').fill('sup');
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('app-nav').waitFor({ timeout: 30_000 });
    await page.goto(`${lab.apiUrl}/app/live`);
    await page.getByRole('heading', { name: 'Табло' }).waitFor({ timeout: 30_000 });
    await tile('support').waitFor({ timeout: 30_000 });
    // The main job's AMI session has read QueueStatus: no CEL-timing note; 101 never registered.
    await page
      .locator('[data-testid="wallboard-stream"][data-streaming="true"]')
      .waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('wallboard-cel-note').count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => stateOf('101'), { timeout: 30_000 }).toBe('offline');
    await expect.poll(() => stateOf('103'), { timeout: 30_000 }).toBe('offline');
    expect(await page.locator('[data-testid^="wallboard-queue-"]').count()).toBe(1);
  });

  it('shows the caller waiting with the longest wait moving, 102 ringing, then talking, then available', async () => {
    desk102 = await deskPhone(lab, server, '102', {
      scenario: 'phone-answer.xml',
      ringMs: RING_MS,
      talkMs: TALK_MS,
    });
    await expect.poll(() => stateOf('102'), { timeout: 30_000 }).toBe('available');

    const caller = await inboundCall(lab, server, { cli: CLI, did: LAB_DID, digit: '3', holdMs: 60_000 });
    await expect.poll(() => tile('support').getAttribute('data-waiting'), { timeout: 30_000 }).toBe('1');
    await expect.poll(() => stateOf('102'), { timeout: 10_000 }).toBe('ringing');
    const wait = tile('support').getByTestId('queue-longest-wait');
    const first = Number(await wait.getAttribute('data-seconds'));
    await expect
      .poll(async () => Number(await wait.getAttribute('data-seconds')), { timeout: 5_000 })
      .toBeGreaterThan(first);
    await shot('waiting');
    // The sales supervisor's wall never shows support or its caller, even now.
    const sales = await salesSupervisor.get<{ queues: { queue: string }[]; operators: unknown[] }>(
      '/live/wallboard',
    );
    expect(sales.queues.map((q) => q.queue)).toEqual(['sales']);
    expect(JSON.stringify(sales)).not.toContain(CLI);
    expect(JSON.stringify(sales)).not.toContain('"support"');

    // 102 answers: the caller leaves the queue, 102 talks on the caller's number.
    await expect.poll(() => stateOf('102'), { timeout: RING_MS + 10_000 }).toBe('talking');
    await expect.poll(() => tile('support').getAttribute('data-waiting'), { timeout: 10_000 }).toBe('0');
    await expect.poll(() => row('102').textContent(), { timeout: 10_000 }).toContain(CLI);
    await shot('talking');

    await expectSippSuccess(caller, 'caller');
    await expect.poll(() => stateOf('102'), { timeout: 20_000 }).toBe('available');
    // Once the collector has written the call: one offered and answered today, 102's one call.
    await expect
      .poll(() => tile('support').getByTestId('queue-today').textContent(), { timeout: 90_000 })
      .toContain('поступило 1, отвечено 1, брошено 0');
    await expect.poll(() => row('102').textContent(), { timeout: 30_000 }).toContain('1 звонк.');
  });

  it('pauses 102 from the wall (AMI QueuePause) and resumes it', async () => {
    await pickFromMenu(row('102').getByTestId('wallboard-pause-102'), () => stateOf('102'), 'paused');
    await expect
      .poll(() => server.cli('queue show support'), { timeout: 10_000 })
      .toMatch(/PJSIP\/102\b.*\bpaused/i);
    await expect.poll(() => tile('support').textContent()).toContain('На паузе: 1');
    await shot('paused');

    await row('102').getByTestId('wallboard-resume-102').click();
    await expect.poll(() => stateOf('102'), { timeout: 10_000 }).toBe('available');
    expect(await server.cli('queue show support')).not.toMatch(/PJSIP\/102\b.*\bpaused/i);
  });

  it("listens in on 102's call from the supervisor's own phone (ChanSpy) until the call ends", async () => {
    await desk102?.stop();
    desk102 = await deskPhone(lab, server, '102', {
      scenario: 'phone-answer.xml',
      ringMs: 1000,
      talkMs: 60_000,
    });
    await expect.poll(() => stateOf('102'), { timeout: 30_000 }).toBe('available');
    const caller = await inboundCall(lab, server, { cli: CLI, did: LAB_DID, digit: '3', holdMs: 25_000 });
    await expect.poll(() => stateOf('102'), { timeout: 30_000 }).toBe('talking');
    // Only now the supervisor's phone registers: the queue's ring-all has nobody left to ring.
    supervisorPhone = await deskPhone(lab, server, '103', {
      scenario: 'phone-answer.xml',
      ringMs: 1000,
      talkMs: 60_000,
    });
    await pickFromMenu(
      row('102').getByTestId('wallboard-listen-102'),
      () => page.getByTestId('wallboard-listen-ringing').count().then(String),
      '1',
      'wallboard-listen-listen',
    );
    // Asterisk runs ChanSpy on the supervisor's channel (103), listening to 102's.
    await expect
      .poll(() => server.cli('core show channels concise'), { timeout: 20_000 })
      .toMatch(/^PJSIP\/103-[^!]*!supervisor-listen!102!\d+!Up!ChanSpy!PJSIP\/102-,qE/m);
    await shot('listening');
    // The call ends: ChanSpy's E option hangs the supervisor's phone up too.
    await expectSippSuccess(caller, 'caller');
    await expect
      .poll(() => server.cli('core show channels concise'), { timeout: 15_000 })
      .not.toMatch(/^PJSIP\/103-/m);
    await expect.poll(() => stateOf('102'), { timeout: 20_000 }).toBe('available');
    const audit = await lab.query<{ details: { operator: string; mode: string } }>(
      "SELECT details FROM app.audit_log WHERE action = 'call_listen'",
    );
    expect(audit.map((r) => [r.details.operator, r.details.mode])).toEqual([['102', 'listen']]);
    // Listening is not one of 102's calls: the wall counts the queue call only.
    await expect.poll(() => row('102').textContent(), { timeout: 90_000 }).toContain('2 звонк.');
    // The listening is a call of its own: 103's internal call to 102, answered, no talk
    // (docs/reconciliation.md#listening-in).
    await expect
      .poll(
        () =>
          lab.query(
            "SELECT direction, status, operator_endpoint, dst_number, talk_sec::float AS talk FROM app.calls WHERE operator_endpoint = '103'",
          ),
        { timeout: 60_000 },
      )
      .toEqual([
        { direction: 'internal', status: 'answered', operator_endpoint: '103', dst_number: '102', talk: 0 },
      ]);
  });

  it('fills the screen in TV mode, still live, and leaves it', async () => {
    await page.getByTestId('wallboard-tv-button').click();
    const tv = page.getByTestId('wallboard-tv');
    await tv.waitFor({ timeout: 10_000 });
    expect(await tv.boundingBox()).toMatchObject({ x: 0, y: 0, width: 1366, height: 768 });
    await expect
      .poll(() => tv.getByTestId('wallboard-operator-102').getAttribute('data-state'))
      .toBe('available');
    await shot('tv');
    await page.getByRole('button', { name: 'Выйти из режима ТВ' }).click();
    await expect.poll(() => tv.count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
