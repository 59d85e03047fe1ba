import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '@callcenter/web/testing/chromium';
import { setMyPresence } from '@callcenter/web/testing/operator-presence';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, LabApi } from './support/api-client.ts';
import { LAB_DID, type Lab, type LabServer, REPO_ROOT, startLab } from './support/lab.ts';
import { deskPhone, inboundCall } from './support/phones.ts';
import { expectSippSuccess, type SippProcess } from './support/sipp.ts';

/**
 * Operator 101 is the real web client: the web app's SIP.js softphone in Debian's Chromium
 * (playwright-core), registered over WebSocket to the lab's Asterisk with the credentials of
 * `GET /me/softphone` (operator-webrtc: DTLS-SRTP, ICE; Chromium's fake microphone). Callers come
 * through the provider's trunk and the IVR (digit 3 = the ring-all queue `support`); the screen pop
 * comes from the main job's ARI source. The operator answers, holds, resumes and transfers in the
 * workspace (Russian UI) — blind to desk phone 102, then, in a second call, attended (consult 102,
 * then join: REFER with Replaces). Expected cards are written from what the test and the SIP peers
 * did (the softphone's SIP messages, the desk phone's ring and talk times), never from the
 * reconciler's output; times within 1 s.
 */

interface Card {
  id: number;
  direction: string;
  status: string;
  operator_endpoint: string | null;
  queue: string | null;
  src_number: string | null;
  did: string | null;
  talk_sec: number;
  hold_sec: number;
  linkedids: string[];
  attempts: { operator_endpoint: string; outcome: string; queue: string | null }[];
  transfers: { kind: string; from_operator: string | null; to_target: string | null }[];
  segments: { operator_endpoint: string | null; talk_sec: number; hold_sec: number }[];
  holds: { operator_endpoint: string | null }[];
}

const SHOTS_DIR = join(REPO_ROOT, 'test-artifacts', 'pbx');
/** 102's desk phone rings this long before answering every call it gets. */
const DESK_RING_MS = 1500;
const SEC = 1000;

let lab: Lab;
let server: LabServer;
let supervisor: LabApi;
let browser: Browser;
let page: Page;
let desk102: SippProcess | null = null;
const pageErrors: string[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  // The main job serves web/dist: build it from this checkout's sources.
  execFileSync('npm', ['run', 'build', '-w', 'web'], { cwd: REPO_ROOT, stdio: 'ignore', timeout: 180_000 });
  lab = await startLab([{ id: 'pbx1', operators: { '101': 'webrtc', '102': 'sip' } }]);
  server = lab.servers[0]!;
  const supPassword = await lab.addUser('sup', 'supervisor', ['--queues', 'registry,support,sales']);
  supervisor = new LabApi(lab.apiUrl, await lab.login('sup', supPassword));
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      ...CHROMIUM_ARGS,
      // A microphone without hardware and without a permission prompt.
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  mkdirSync(SHOTS_DIR, { recursive: true });
}, 400_000);

afterAll(async () => {
  await desk102?.stop();
  await browser?.close().catch(() => {});
  await lab?.stop();
});

/** Seconds between two Date.now() readings. */
const secs = (from: number, to: number) => (to - from) / SEC;

/** Within 1 s of `expected` seconds. */
function near(actual: number, expected: number, what: string) {
  expect(
    Math.abs(actual - expected),
    `${what}: ${actual} s, expected ${expected.toFixed(2)} s ± 1`,
  ).toBeLessThanOrEqual(1);
}

async function finalCard(cli: string): Promise<Card> {
  const listed = await eventually(`the call from ${cli} in GET /calls`, 90_000, async () => {
    const list = await supervisor.get<{
      items: { id: number; src_number: string | null; status: string; live: boolean }[];
    }>('/calls?limit=20');
    return list.items.find((c) => c.src_number === cli && c.status !== 'ringing' && !c.live);
  });
  return supervisor.get<Card>(`/calls/${listed.id}`);
}

/** The workspace's screen pop of call `callId`. */
const popOf = (callId: number) =>
  page.locator(`[data-testid="call-card"][data-call-id="${callId}"] [data-testid="pop-phase"]`);

/** Waits until `locator`'s data-phase is `phase`. */
async function phaseIs(locator: Locator, phase: string, timeout = 20_000) {
  await expect.poll(() => locator.getAttribute('data-phase'), { timeout }).toBe(phase);
}

interface PageLog {
  phases: { key: string; phase: string; at: number }[];
}
const pageLog = () => page.evaluate(() => (window as unknown as { labLog: PageLog }).labLog);

/** The phases the screen pop of `callId` showed, in order. */
async function popHistory(callId: number): Promise<string[]> {
  return (await pageLog()).phases.filter((p) => p.key === `pop:${callId}`).map((p) => p.phase);
}

/** SIP messages the browser sent over its WebSocket, with the time this process saw them go. */
const sipSent: { at: number; text: string }[] = [];

/**
 * When (ms) the browser sent the first SIP message matching `pattern` at or after `after`: the
 * times the expected cards are written from are those of the softphone's own SIP messages (the
 * 200 OK answering, the re-INVITEs holding and resuming, the REFER), not of the page's rendering.
 */
async function sentAt(pattern: RegExp, after: number, what: string): Promise<number> {
  return eventually(`the browser's ${what}`, 10_000, async () => {
    return sipSent.find((m) => m.at >= after && pattern.test(m.text))?.at;
  });
}
const ANSWER = /^SIP\/2\.0 200 OK\r\n[\s\S]*^CSeq: \d+ INVITE\r$/m;
const HOLD = /^INVITE [\s\S]*^a=sendonly\r$/m;
const RESUME = /^INVITE [\s\S]*^a=sendrecv\r$/m;
const REFER = /^REFER /;

/**
 * A softphone line reads whole in the workspace's narrow column: the phase badge shows its whole
 * word (not cut to "Р…"), the number is not cut and does not run into the badge.
 */
async function expectReadableLine(line: Locator) {
  const badge = line.getByTestId('softphone-call-phase');
  const { scroll, client, text } = await badge.locator('.mantine-Badge-label').evaluate((el) => ({
    scroll: el.scrollWidth,
    client: el.clientWidth,
    text: el.textContent,
  }));
  expect(scroll, `the phase badge "${text}" is cut`).toBeLessThanOrEqual(client);
  const number = line.getByTestId('softphone-call-remote');
  const whole = await number.evaluate((el) => el.scrollWidth <= el.clientWidth);
  expect(whole, `the number "${await number.textContent()}" overflows its place`).toBe(true);
  const a = (await number.boundingBox())!;
  const b = (await badge.boundingBox())!;
  const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  expect(overlap, 'the number and the phase badge overlap').toBe(false);
}

async function shot(name: string) {
  const path = join(SHOTS_DIR, `web-operator-${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Pauses 102 in every queue through the product's presence API (AMI QueuePause). */
async function pauseDeskOperator() {
  // 102 is listed once the main job has read the queue membership over AMI (QueueStatus).
  const op102 = await eventually('operator 102 in GET /presence', 60_000, async () => {
    const { operators } = await supervisor.get<{ operators: { operatorId: number; endpoint: string }[] }>(
      '/presence',
    );
    return operators.find((o) => o.endpoint === '102');
  });
  const { reasons } = await supervisor.get<{ reasons: { code: string }[] }>('/presence/reasons');
  const res = await fetch(`${lab.apiUrl}/presence/${op102.operatorId}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${supervisor.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ state: 'paused', reason: reasons[0]!.code }),
  });
  const body = (await res.json()) as { asterisk?: { applied: boolean; reason: string | null } };
  expect(res.status, JSON.stringify(body)).toBe(200);
  expect(body.asterisk?.applied, JSON.stringify(body)).toBe(true);
  expect(await server.cli('queue show support')).toMatch(/PJSIP\/102\b.*\bpaused/i);
}

describe('operator 101 is the web app in Chromium', () => {
  it('registers the softphone over WebSocket with the credentials of GET /me/softphone', async () => {
    const opPassword = await lab.addUser('op101', 'operator', ['--endpoint', '101']);
    const context = await browser.newContext({
      viewport: { width: 1366, height: 768 },
      locale: 'ru-RU',
      timezoneId: 'Europe/Moscow',
      permissions: ['microphone'],
    });
    // Every phase each screen pop (`pop:<call id>`) and softphone line (`line:<SIP.js session id>`)
    // showed, in order: transient states are not missed between two looks.
    await context.addInitScript(() => {
      const log: { phases: { key: string; phase: string; at: number }[] } = { phases: [] };
      (window as unknown as { labLog: typeof log }).labLog = log;
      const last: Record<string, string> = {};
      const record = (el: Element) => {
        const testId = el.getAttribute('data-testid');
        const phase = el.getAttribute('data-phase');
        let key: string | null = null;
        if (testId === 'pop-phase')
          key = `pop:${el.closest('[data-testid="call-card"]')?.getAttribute('data-call-id') ?? ''}`;
        else if (testId === 'softphone-call') key = `line:${el.getAttribute('data-session-id') ?? ''}`;
        if (!key || !phase || last[key] === phase) return;
        last[key] = phase;
        log.phases.push({ key, phase, at: Date.now() });
      };
      new MutationObserver((mutations) => {
        for (const m of mutations) {
          if (m.type === 'attributes') record(m.target as Element);
          m.addedNodes.forEach((node) => {
            if (!(node instanceof Element)) return;
            record(node);
            node.querySelectorAll('[data-phase]').forEach(record);
          });
        }
      }).observe(document, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ['data-phase'],
      });
    });
    page = await context.newPage();
    page.on('websocket', (ws) =>
      ws.on('framesent', ({ payload }) => sipSent.push({ at: Date.now(), text: String(payload) })),
    );
    page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text()))
        pageErrors.push(`console: ${m.text()}`);
    });
    await page.goto(`${lab.apiUrl}/app/login`);
    await page.getByTestId('login-name').fill('op101');
    await page.getByTestId('login-password').fill(opPassword);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('app-nav').waitFor({ timeout: 30_000 });
    await page.goto(`${lab.apiUrl}/app/operator`);
    await page.getByRole('heading', { name: 'Рабочее место оператора' }).waitFor({ timeout: 20_000 });
    await page.locator('[data-testid="live-status"][data-status="open"]').waitFor({ timeout: 30_000 });

    const registration = page.getByTestId('softphone-registration');
    await expect.poll(() => registration.getAttribute('data-state'), { timeout: 30_000 }).toBe('registered');
    await expect(registration.textContent()).resolves.toBe('зарегистрирован');
    const contacts = await eventually('101 in pjsip show contacts', 10_000, async () => {
      const out = await server.cli('pjsip show contacts');
      return /Contact:\s+101\/sip:\S+;transport=wss?\b/i.test(out) ? out : undefined;
    });
    expect(contacts).toMatch(/Contact:\s+101\/sip:\S+;transport=wss?\b/i);
    expect(lab.mainJobLog()).not.toMatch(/softphone.*error/i);

    // The operator starts the shift: screen-pops open only for an operator who is not offline.
    await setMyPresence(page, 'available');
    await expect.poll(() => page.getByTestId('pops-offline').count(), { timeout: 10_000 }).toBe(0);
  });

  it('answers, holds, resumes and blind-transfers an inbound queue call to desk phone 102', async () => {
    await pauseDeskOperator();
    desk102 = await deskPhone(lab, server, '102', {
      scenario: 'phone-answer.xml',
      ringMs: DESK_RING_MS,
      talkMs: 4000,
    });
    const cli = '79161230101';
    const caller = await inboundCall(lab, server, { cli, did: LAB_DID, digit: '3', holdMs: 90_000 });

    // The ring: the softphone line and the screen pop (from ARI) with the card of the call.
    const line = page.locator('[data-testid="softphone-call"]').last();
    await phaseIs(line, 'incoming', 30_000);
    const card = page.getByTestId('call-card');
    await card.waitFor({ timeout: 20_000 });
    const callId = Number(await card.getAttribute('data-call-id'));
    await phaseIs(popOf(callId), 'ringing');
    await expect.poll(() => page.getByTestId('caller-number').textContent()).toBe(cli);
    await expect.poll(() => page.getByTestId('card-queue').textContent()).toBe('support');
    await expect(line.getByTestId('softphone-call-remote').textContent()).resolves.toBe(cli);
    await expectReadableLine(line);
    await shot('ringing');

    await sleep(1000);
    const answerClickedAt = Date.now();
    await line.getByRole('button', { name: 'Ответить' }).click();
    await phaseIs(line, 'active');
    await phaseIs(popOf(callId), 'talking');
    await expectReadableLine(line);
    await shot('talking');

    await sleep(2500);
    const holdClickedAt = Date.now();
    await line.getByRole('button', { name: 'Удержать' }).click();
    await phaseIs(line, 'held');
    await phaseIs(popOf(callId), 'held');
    // Asterisk plays music on hold to the caller (CEL STREAM_BEGIN of a MOH class).
    const moh = await eventually('music on hold for the caller', 10_000, async () => {
      const rows = await lab.query<{ channame: string }>(
        `SELECT channame FROM asterisk.cel
          WHERE eventtype = 'STREAM_BEGIN' AND extra LIKE '%"class"%' AND eventtime >= $1::timestamptz AT TIME ZONE 'UTC'`,
        [new Date(holdClickedAt - 500).toISOString()],
      );
      return rows.length > 0 ? rows : undefined;
    });
    expect(moh[0]!.channame).toMatch(/^PJSIP\/trunk-/);
    await expectReadableLine(line);
    await shot('hold');

    await sleep(3000 - (Date.now() - holdClickedAt));
    const resumeClickedAt = Date.now();
    await line.getByRole('button', { name: 'Снять с удержания' }).click();
    await phaseIs(line, 'active');
    await phaseIs(popOf(callId), 'talking');

    await sleep(2000);
    await line.getByRole('button', { name: 'Перевод' }).click();
    await line.getByLabel('Куда перевести').fill('102');
    const transferClickedAt = Date.now();
    await line.getByRole('button', { name: 'Перевести', exact: true }).click();
    await phaseIs(line, 'ended', 30_000);
    await expect.poll(() => line.textContent()).toContain('переведён');
    await expectReadableLine(line);

    // 102 rings, answers, talks 4 s and hangs up: the caller gets the BYE.
    await expectSippSuccess(caller, 'caller');
    // ARI's BridgeBlindTransfer: the pop says transferred, and stays so after the legs hang up.
    await phaseIs(popOf(callId), 'transferred');
    expect(await popHistory(callId)).toEqual(['ringing', 'talking', 'held', 'talking', 'transferred']);

    // Expected from what was done (written before looking at the reconciler's output): talk from
    // the softphone's 200 OK to its REFER, minus the hold between its two re-INVITEs.
    const answeredAt = await sentAt(ANSWER, answerClickedAt, '200 OK');
    const hold = secs(
      await sentAt(HOLD, holdClickedAt, 'hold re-INVITE'),
      await sentAt(RESUME, resumeClickedAt, 'resume re-INVITE'),
    );
    const talk101 = secs(answeredAt, await sentAt(REFER, transferClickedAt, 'REFER')) - hold;
    const talk102 = 4;
    const final = await finalCard(cli);
    expect(final).toMatchObject({
      direction: 'inbound',
      status: 'answered',
      queue: 'support',
      did: LAB_DID,
      operator_endpoint: '102',
    });
    expect(
      final.transfers.map(({ kind, from_operator, to_target }) => ({ kind, from_operator, to_target })),
    ).toEqual([{ kind: 'blind', from_operator: '101', to_target: '102' }]);
    expect(final.attempts.map((a) => [a.operator_endpoint, a.outcome, a.queue])).toEqual([
      ['101', 'answered', 'support'],
      ['102', 'answered', null],
    ]);
    expect(final.segments.map((s) => s.operator_endpoint)).toEqual(['101', '102']);
    near(final.segments[0]!.talk_sec, talk101, '101 talk');
    near(final.segments[0]!.hold_sec, hold, '101 hold');
    near(final.segments[1]!.talk_sec, talk102, '102 talk');
    near(final.hold_sec, hold, 'hold_sec');
    expect(final.hold_sec).toBeGreaterThan(0);
    near(final.talk_sec, talk101 + talk102, 'talk_sec');
  });

  it('transfers a second call attended: consults 102, then joins the caller to 102 (REFER with Replaces)', async () => {
    const cli = '79161230102';
    // 102 answers the consultation after DESK_RING_MS; after the transfer Asterisk updates its
    // connected line (a re-INVITE) and it talks 10 s more with the caller, then hangs up. (Until
    // then it would also hang up 10 s after answering: the consultation is shorter.)
    const deskTalkMs = 10_000;
    await desk102?.stop();
    desk102 = await deskPhone(lab, server, '102', {
      scenario: 'phone-answer-reinvite.xml',
      ringMs: DESK_RING_MS,
      talkMs: deskTalkMs,
    });
    const caller = await inboundCall(lab, server, { cli, did: LAB_DID, digit: '3', holdMs: 90_000 });
    const line = page.locator('[data-testid="softphone-call"][data-phase="incoming"]');
    await line.waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('caller-number').textContent(), { timeout: 20_000 }).toBe(cli);
    const callId = Number(await page.getByTestId('call-card').getAttribute('data-call-id'));
    await phaseIs(popOf(callId), 'ringing');

    const primary = page.locator('[data-testid="softphone-call"]').filter({ hasText: cli }).last();
    await sleep(1000);
    const answerClickedAt = Date.now();
    await line.getByRole('button', { name: 'Ответить' }).click();
    await phaseIs(primary, 'active');
    await phaseIs(popOf(callId), 'talking');

    await sleep(2000);
    await primary.getByRole('button', { name: 'Перевод' }).click();
    await primary.getByLabel('Куда перевести').fill('102');
    const consultClickedAt = Date.now();
    await primary.getByRole('button', { name: 'С консультацией' }).click();
    // The caller is held while the operator talks to 102.
    await phaseIs(primary, 'held');
    await phaseIs(popOf(callId), 'held');
    const consult = page.locator('[data-testid="softphone-call"]').filter({ hasText: 'консультация' }).last();
    await phaseIs(consult, 'active', 20_000);
    const consultUpAt = Date.now();
    await expectReadableLine(primary);
    await expectReadableLine(consult);
    await shot('consult');

    await sleep(2000 - (Date.now() - consultUpAt));
    const joinClickedAt = Date.now();
    await consult.getByRole('button', { name: 'Соединить' }).click();
    await phaseIs(consult, 'ended', 30_000);
    await phaseIs(primary, 'ended', 30_000);
    await expectSippSuccess(caller, 'caller');
    await phaseIs(popOf(callId), 'transferred');
    // Asterisk takes the caller off hold as the REFER joins it to 102 (an UNHOLD and the
    // transfer event in the same instant, in either order): a 'talking' between 'held' and
    // 'transferred' is that unhold, nothing else may appear there.
    const history = await popHistory(callId);
    expect(history.slice(0, 3)).toEqual(['ringing', 'talking', 'held']);
    expect(history.at(-1)).toBe('transferred');
    expect(history.slice(3, -1).every((phase) => phase === 'talking')).toBe(true);
    expect(history.length).toBeLessThanOrEqual(5);

    // Talk from the softphone's 200 OK to the consultation's hold re-INVITE; held from then until
    // the REFER with Replaces that joins the caller to 102.
    const heldAt = await sentAt(HOLD, consultClickedAt, 'hold re-INVITE');
    const joinedAt = await sentAt(REFER, joinClickedAt, 'REFER with Replaces');
    expect(sipSent.find((m) => m.at === joinedAt && REFER.test(m.text))?.text).toMatch(
      /^Refer-To: .*Replaces/im,
    );
    const hold = secs(heldAt, joinedAt);
    const talk101 = secs(await sentAt(ANSWER, answerClickedAt, '200 OK'), heldAt);
    const talk102 = deskTalkMs / SEC;
    const final = await finalCard(cli);
    expect(final).toMatchObject({
      direction: 'inbound',
      status: 'answered',
      queue: 'support',
      did: LAB_DID,
      operator_endpoint: '102',
    });
    expect(
      final.transfers.map(({ kind, from_operator, to_target }) => ({ kind, from_operator, to_target })),
    ).toEqual([{ kind: 'attended', from_operator: '101', to_target: '102' }]);
    expect(final.linkedids).toHaveLength(2);
    // 101 rang from the queue and answered; 102 rang for the consultation and answered.
    expect(final.attempts.map((a) => [a.operator_endpoint, a.outcome, a.queue])).toEqual([
      ['101', 'answered', 'support'],
      ['102', 'answered', null],
    ]);
    expect(final.segments.map((s) => s.operator_endpoint)).toEqual(['101', '102']);
    near(final.segments[0]!.talk_sec, talk101, '101 talk');
    near(final.segments[0]!.hold_sec, hold, '101 hold');
    near(final.segments[1]!.talk_sec, talk102, '102 talk');
    near(final.hold_sec, hold, 'hold_sec');
    near(final.talk_sec, talk101 + talk102, 'talk_sec');
    expect(pageErrors).toEqual([]);
  });
});
