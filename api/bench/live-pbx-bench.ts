import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DTMF_PCAP_DIR,
  LAB_DID,
  type Lab,
  type LabServer,
  type SippProcess,
  startLab,
  startSipp,
} from '@callcenter/asterisk/lab';
import type { Database } from '@callcenter/platform/database';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { signAccessToken } from '../src/auth/access-token.ts';
import { upsertUser } from '../src/auth/users-repository.ts';

/**
 * `npm run bench:live -- --pbx` — the figures of bench:live measured on Debian's real Asterisk
 * (the lab of asterisk/src/lab: the product's rendered configuration, a main job started as
 * `npm start` starts it, ARI through the guarded ari-client) under SIPp load:
 *
 * - one SIPp caller on the provider's trunk places `calls` calls, at most `concurrency` at once
 *   (`-r rate -l concurrency -m calls`), each from its own number, through the IVR (digit 1) into
 *   the `registry` queue (rrmemory);
 * - `operators` desk phones (101…), all registered at one SIPp that answers every call after
 *   `ringMs` and hangs up after `talkMs` (its message trace gives the INVITE and BYE times);
 * - every operator's `GET /live/events` stream open in this process.
 *
 * Per call: INVITE at the operator's phone → `call.ringing` on that operator's SSE stream (the
 * screen-pop); the phone's BYE → the CEL-derived card committed (`NOTIFY call_changed` with a
 * version ≥ 1, LISTENed here); → its outbox row gone (the shipper deletes it after the ClickHouse
 * insert; polled every 25 ms). Each card is then compared with what the scenario did (inbound,
 * answered, queue registry, the DID, the caller's number, the operator whose phone got the
 * INVITE as the only attempt and the operator, talk within 1.5 s of `talkMs`): any difference,
 * or a call without a card, is a mismatched call.
 *
 * Prints the figures; the last line is one JSON object with at least `calls`, `pop_p50_ms`,
 * `pop_p95_ms`, `card_p95_ms`, `fact_p95_ms`, `mismatched_calls`. Targets: pop p95 ≤ 100 ms,
 * card p95 ≤ 1 s, no mismatched call.
 */

export interface PbxBenchOptions {
  calls: number;
  concurrency: number;
  /** New calls per second SIPp may start (it never exceeds `concurrency` at once). */
  rate: number;
  operators: number;
  ringMs: number;
  talkMs: number;
  log?: (line: string) => void;
}

export interface PbxBenchFigures {
  bench: 'live-pbx';
  calls: number;
  concurrency: number;
  operators: number;
  /** Most calls in progress at once (the provider's trunk channels alive at once, from CEL). */
  max_concurrent_calls: number;
  pops: number;
  pop_p50_ms: number;
  pop_p95_ms: number;
  pop_max_ms: number;
  card_p50_ms: number;
  card_p95_ms: number;
  fact_p50_ms: number;
  fact_p95_ms: number;
  mismatched_calls: number;
  /**
   * Times Asterisk logged its CEL queue (`stasis/m:cel:aggregator`) past the high-water mark:
   * CEL rows then reach PostgreSQL late, and every card with them.
   */
  cel_queue_warnings: number;
  mismatches: string[];
  targets: { pop_p95_ms: number; card_p95_ms: number; mismatched_calls: number };
}

const CLI_PREFIX = '7990';

const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const round = (n: number) => Number(n.toFixed(1));

interface PhoneSide {
  invitedAt: number;
  endpoint: string;
  callId: string;
  byeAt: number | null;
}

/**
 * The desk phones' SIPp message trace: per caller number, the first INVITE received (time, the
 * operator it was for, its Call-ID) and the BYE of that dialog (sent or received).
 */
export function parsePhoneTrace(text: string): Map<string, PhoneSide> {
  const byCaller = new Map<string, PhoneSide>();
  const callerOfCallId = new Map<string, string>();
  const blocks = text.split(/^-{20,} (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+)$/m);
  for (let i = 1; i + 1 < blocks.length; i += 2) {
    const at = Date.parse(`${blocks[i]!.replace(' ', 'T').slice(0, 23)}`);
    const body = blocks[i + 1]!;
    const start = body.split('\n').find((l) => /^(INVITE|BYE|SIP\/2\.0) /.test(l)) ?? '';
    const callId = /^Call-ID:\s*(\S+)/im.exec(body)?.[1];
    if (!callId) continue;
    if (start.startsWith('INVITE ') && /message received/.test(body)) {
      const to = /^To:.*?<sip:([^@>]+)@/im.exec(body)?.[1];
      const from = /^From:.*?<sip:([^@>]+)@/im.exec(body)?.[1];
      if (!to || !from) continue;
      callerOfCallId.set(callId, from);
      if (!byCaller.has(from)) byCaller.set(from, { invitedAt: at, endpoint: to, callId, byeAt: null });
    } else if (start.startsWith('BYE ')) {
      const caller = callerOfCallId.get(callId);
      const side = caller ? byCaller.get(caller) : undefined;
      if (side && side.callId === callId && side.byeAt === null) side.byeAt = at;
    }
  }
  return byCaller;
}

/** Registers every operator's endpoint with its contact at `port` (one SIPp answers for all). */
async function registerAll(lab: Lab, server: LabServer, endpoints: string[], port: number): Promise<void> {
  for (const endpoint of endpoints) {
    const sipp = startSipp({
      scenario: 'phone-register.xml',
      values: { USER: endpoint, EXPIRES: 3600 },
      workDir: join(lab.dir, 'sipp'),
      localPort: port,
      mediaPort: await lab.port(),
      remote: server.remote,
      calls: 1,
      auth: { username: endpoint, password: server.secrets[endpoint]! },
      timeoutSec: 30,
    });
    const result = await sipp.done;
    if (result.code !== 0) throw new Error(`REGISTER ${endpoint} failed:\n${result.errors}`);
  }
}

interface Stream {
  close(): void;
}

/** Opens `GET /live/events` as `token`; calls `onEvent(type, data, at)` per event. */
async function openStream(
  apiUrl: string,
  token: string,
  onEvent: (type: string, data: string, at: number) => void,
): Promise<Stream> {
  const abort = new AbortController();
  const res = await fetch(`${apiUrl}/live/events`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: abort.signal,
  });
  if (res.status !== 200) throw new Error(`GET /live/events answered ${res.status}`);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      const at = Date.now();
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const type = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (type && data) onEvent(type, data, at);
      }
    }
  })().catch(() => {});
  return { close: () => abort.abort() };
}

/** Runs the bench on a lab of its own and returns the figures (the lab is stopped at the end). */
export async function runPbxLiveBench(options: PbxBenchOptions): Promise<PbxBenchFigures> {
  const log = options.log ?? ((line: string) => console.log(line));
  if (options.operators < options.concurrency)
    throw new Error('--operators must be at least --concurrency (an operator takes one call at a time)');
  const endpoints = Array.from({ length: options.operators }, (_, i) => String(101 + i));
  log(`live bench (pbx): starting the lab with ${endpoints.length} operators …`);
  const lab = await startLab([
    { id: 'pbx1', operators: Object.fromEntries(endpoints.map((e) => [e, 'sip' as const])) },
  ]);
  const server = lab.servers[0]!;
  const processes: SippProcess[] = [];
  const streams: Stream[] = [];
  const listener = new pg.Client({ connectionString: lab.databaseUrl });
  const pool = new pg.Pool({ connectionString: lab.databaseUrl, max: 3 });
  pool.on('error', () => {});
  listener.on('error', () => {});
  let polling = true;
  try {
    const phonePort = await lab.port();
    await registerAll(lab, server, endpoints, phonePort);
    log(`live bench (pbx): ${endpoints.length} desk phones registered at 127.0.0.1:${phonePort}`);
    const tracePath = join(lab.dir, 'sipp', 'desk-phones.messages.log');
    const phones = startSipp({
      scenario: 'phone-answer.xml',
      values: { USER: 'desk', RING_MS: options.ringMs, TALK_MS: options.talkMs },
      workDir: join(lab.dir, 'sipp'),
      localPort: phonePort,
      mediaPort: await lab.port(),
      remote: server.remote,
      timeoutSec: 3600,
      extraArgs: ['-trace_msg', '-message_file', tracePath],
    });
    processes.push(phones);

    // Every operator's screen: a user per endpoint (written as `callcenter user add` writes it) and
    // an access token signed with the main job's secret, as POST /auth/login would issue it.
    const popAt = new Map<string, { at: number; callId: number; endpoint: string }>();
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    for (const endpoint of endpoints) {
      const login = `bench${endpoint}`;
      const { id } = await upsertUser(db, {
        login,
        passwordHash: 'not-used-by-the-bench',
        role: 'operator',
        displayName: `Bench operator ${endpoint}`,
        serverId: server.id,
        endpoint,
        queues: [],
      });
      const token = await signAccessToken(
        { id: Number(id), login, role: 'operator', endpoint, serverId: server.id, queues: [] },
        lab.env.JWT_SECRET!,
        3600,
      );
      streams.push(
        await openStream(lab.apiUrl, token, (type, data, at) => {
          if (type !== 'call.ringing') return;
          const call = (JSON.parse(data) as { call: { id: number; callerNumber: string | null } }).call;
          if (call.callerNumber && !popAt.has(call.callerNumber))
            popAt.set(call.callerNumber, { at, callId: call.id, endpoint });
        }),
      );
    }
    log(`live bench (pbx): ${streams.length} operators on GET /live/events`);

    // Cards committed (version ≥ 1: the CEL-derived call) and facts shipped (outbox row gone).
    const cardAt = new Map<number, number>();
    const factAt = new Map<number, number>();
    await listener.connect();
    listener.on('notification', (message) => {
      const at = Date.now();
      for (const pair of (message.payload ?? '').split(',')) {
        const [id, version] = pair.split(':').map(Number);
        if (id && version && version >= 1 && !cardAt.has(id)) cardAt.set(id, at);
      }
    });
    await listener.query('LISTEN call_changed');
    const poller = (async () => {
      while (polling) {
        const waiting = [...cardAt.keys()].filter((id) => !factAt.has(id));
        if (waiting.length) {
          const { rows } = await pool.query<{ call_id: string }>(
            'SELECT DISTINCT call_id FROM app.outbox WHERE call_id = ANY($1::bigint[])',
            [waiting],
          );
          const now = Date.now();
          const queued = new Set(rows.map((r) => Number(r.call_id)));
          for (const id of waiting) if (!queued.has(id)) factAt.set(id, now);
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    })();

    // The load: one SIPp caller, `rate` new calls per second, at most `concurrency` at once.
    const caller = startSipp({
      scenario: 'caller-load.xml',
      values: {
        CLI_PREFIX,
        DTMF_AFTER_MS: 800,
        DTMF_ACTION: `<nop><action><exec play_pcap_audio="${DTMF_PCAP_DIR}/dtmf_2833_1.pcap"/></action></nop>`,
        HOLD_MS: options.talkMs + 60_000,
      },
      workDir: join(lab.dir, 'sipp'),
      localPort: server.trunkPort,
      mediaPort: await lab.port(),
      remote: server.remote,
      service: LAB_DID,
      calls: options.calls,
      timeoutSec: Math.ceil((options.calls / options.rate) * 4 + 600),
      extraArgs: ['-r', String(options.rate), '-l', String(options.concurrency)],
    });
    processes.push(caller);
    log(
      `live bench (pbx): ${options.calls} calls, ${options.rate}/s, at most ${options.concurrency} at once; ` +
        `IVR digit 1 → queue registry; phones ring ${options.ringMs} ms, talk ${options.talkMs} ms`,
    );
    const started = Date.now();
    const progress = setInterval(() => {
      log(
        `  … ${popAt.size} screen-pops, ${cardAt.size} cards, ${factAt.size} facts after ${Math.round((Date.now() - started) / 1000)} s`,
      );
    }, 30_000);
    const result = await caller.done;
    clearInterval(progress);
    if (result.code !== 0)
      log(`live bench (pbx): the caller SIPp exited ${result.code}: ${result.errors.slice(-600)}`);

    // Let the last cards and facts land.
    const until = Date.now() + 60_000;
    while (Date.now() < until && (cardAt.size < popAt.size || factAt.size < cardAt.size))
      await new Promise((r) => setTimeout(r, 200));
    polling = false;
    await poller;
    await phones.stop();

    const phoneSide = parsePhoneTrace(readFileSync(tracePath, 'utf8'));
    const callers = [...phoneSide.keys()].filter((c) => c.startsWith(CLI_PREFIX));
    const pops: number[] = [];
    const cards: number[] = [];
    const facts: number[] = [];
    const mismatches: string[] = [];
    const { rows: stored } = await pool.query<{
      id: string;
      direction: string;
      status: string;
      queue: string | null;
      did: string | null;
      src_number: string | null;
      operator_endpoint: string | null;
      talk_sec: number;
      version: string;
      attempts: { endpoint: string; outcome: string }[] | null;
    }>(
      `SELECT c.id, c.direction, c.status, c.queue, c.did, c.src_number, c.operator_endpoint, c.talk_sec, c.version,
              (SELECT json_agg(json_build_object('endpoint', a.operator_endpoint, 'outcome', a.outcome) ORDER BY a.seq)
                 FROM app.call_attempts a WHERE a.call_id = c.id) AS attempts
         FROM app.calls c WHERE c.server_id = 'pbx1' AND c.src_number LIKE $1`,
      [`${CLI_PREFIX}%`],
    );
    const cardOf = new Map(stored.map((r) => [r.src_number!, r]));
    for (const cli of callers) {
      const phone = phoneSide.get(cli)!;
      const pop = popAt.get(cli);
      if (pop && pop.endpoint === phone.endpoint) pops.push(pop.at - phone.invitedAt);
      const card = cardOf.get(cli);
      if (card && phone.byeAt !== null) {
        const id = Number(card.id);
        const at = cardAt.get(id);
        if (at !== undefined) cards.push(at - phone.byeAt);
        const shipped = factAt.get(id);
        if (shipped !== undefined) facts.push(shipped - phone.byeAt);
      }
      const problems: string[] = [];
      if (!pop) problems.push('no screen-pop');
      else if (pop.endpoint !== phone.endpoint)
        problems.push(`popped for ${pop.endpoint}, rang ${phone.endpoint}`);
      if (!card) problems.push('no card');
      else {
        const want = {
          direction: 'inbound',
          status: 'answered',
          queue: 'registry',
          did: LAB_DID,
          operator_endpoint: phone.endpoint,
        };
        for (const [field, value] of Object.entries(want))
          if (card[field as keyof typeof card] !== value)
            problems.push(`${field} ${String(card[field as keyof typeof card])} ≠ ${value}`);
        if (Number(card.version) < 1) problems.push('still provisional');
        if (Math.abs(card.talk_sec - options.talkMs / 1000) > 1.5)
          problems.push(`talk ${card.talk_sec} s ≠ ${options.talkMs / 1000} s`);
        const attempts = (card.attempts ?? []).map((a) => `${a.endpoint}:${a.outcome}`);
        if (attempts.join(',') !== `${phone.endpoint}:answered`)
          problems.push(`attempts ${attempts.join(',') || 'none'} ≠ ${phone.endpoint}:answered`);
      }
      if (problems.length) mismatches.push(`${cli}: ${problems.join('; ')}`);
    }

    const { rows: concurrent } = await pool.query<{ n: number | null }>(
      `SELECT max(open)::int AS n FROM (
         SELECT sum(CASE WHEN eventtype = 'CHAN_START' THEN 1 ELSE -1 END) OVER (ORDER BY eventtime, id) AS open
           FROM "${server.schema}".cel
          WHERE channame LIKE 'PJSIP/trunk-%' AND eventtype IN ('CHAN_START', 'CHAN_END')) s`,
    );
    let messages = '';
    try {
      messages = readFileSync(join(server.work, 'log', 'messages.log'), 'utf8');
    } catch {
      // no Asterisk log: nothing to count
    }
    const celQueueWarnings = (
      messages.match(/Taskprocessor 'stasis\/m:cel:aggregator[^']*' queue reached/g) ?? []
    ).length;
    const figures: PbxBenchFigures = {
      bench: 'live-pbx',
      calls: callers.length,
      concurrency: options.concurrency,
      operators: endpoints.length,
      max_concurrent_calls: concurrent[0]?.n ?? 0,
      pops: pops.length,
      pop_p50_ms: round(percentile(pops, 50)),
      pop_p95_ms: round(percentile(pops, 95)),
      pop_max_ms: round(Math.max(...pops)),
      card_p50_ms: round(percentile(cards, 50)),
      card_p95_ms: round(percentile(cards, 95)),
      fact_p50_ms: round(percentile(facts, 50)),
      fact_p95_ms: round(percentile(facts, 95)),
      mismatched_calls: mismatches.length,
      cel_queue_warnings: celQueueWarnings,
      mismatches: mismatches.slice(0, 20),
      targets: { pop_p95_ms: 100, card_p95_ms: 1000, mismatched_calls: 0 },
    };
    log(
      `screen-pops (INVITE at the phone → call.ringing on the operator's SSE): ${pops.length} of ${callers.length} calls, ` +
        `p50 ${figures.pop_p50_ms} ms, p95 ${figures.pop_p95_ms} ms, max ${figures.pop_max_ms} ms (target p95 ≤ 100 ms)`,
    );
    log(
      `hangup → card in PostgreSQL: p50 ${figures.card_p50_ms} ms, p95 ${figures.card_p95_ms} ms (target p95 ≤ 1000 ms); ` +
        `→ fact in ClickHouse: p50 ${figures.fact_p50_ms} ms, p95 ${figures.fact_p95_ms} ms`,
    );
    log(`calls at once at most: ${figures.max_concurrent_calls}`);
    if (celQueueWarnings > 0)
      log(
        `Asterisk's CEL queue (stasis/m:cel:aggregator) passed its high-water mark ${celQueueWarnings} times: ` +
          'CEL rows reached PostgreSQL late, and the cards with them',
      );
    log(`calls whose card differs from what the scenario did: ${mismatches.length}`);
    for (const line of mismatches.slice(0, 20)) log(`  ${line}`);
    return figures;
  } finally {
    polling = false;
    for (const stream of streams) stream.close();
    for (const sipp of processes) await sipp.stop().catch(() => {});
    await listener.end().catch(() => {});
    await pool.end().catch(() => {});
    await lab.stop();
  }
}
