import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AriEvent } from '@callcenter/asterisk/ari';
import { AriPeer, scenarioEvents } from '@callcenter/asterisk/testing/ari-peer';
import { registerOperators } from '@callcenter/ingest/operators';
import { AriLiveSource } from '@callcenter/live/ari-source';
import { loadConfig } from '@callcenter/platform/config';
import { freePort } from '@callcenter/platform/embedded-postgres';
import { openPostgresStore } from '@callcenter/platform/stores';
import { Command } from 'commander';
import { signAccessToken } from '../src/auth/access-token.ts';
import type { AuthUser } from '../src/auth/auth-user.ts';
import { upsertUser } from '../src/auth/users-repository.ts';
import type { ApiConfig } from '../src/config/api-config.ts';
import { startApiServer } from '../src/server/api-server.ts';

/**
 * `npm run bench:live` — ring event → screen-pop on the browser's SSE stream, through the whole
 * production path on loopback: a local ARI peer sends the real capture of scenario 01 (inbound,
 * queue `support`, ringall 101/102/103) cloned with new channel ids and caller numbers per call →
 * the ARI source (WebSocket, provisional call state, provisional card upsert + `call_live` NOTIFY
 * in one transaction, embedded PostgreSQL) → the API (LISTEN, caller history query, LiveBus) →
 * `GET /live/events` of three operators over real HTTP (fetch streaming, as EventSource does).
 *
 * `--rings` ring events (default 10,000) at `--rate` ring events per second (default 200): each
 * cloned call carries 3 rings, sent with every event of the capture the tracker reads (creation,
 * Dial, state, connected line, bridge, hangup — the ChannelVarset/Dialplan/DeviceState chatter the
 * source skips is left out). Latency per ring = the SSE client receiving `call.ringing` for that
 * channel − the peer writing its Dial event to the socket. Prints p50/p95/p99/max; the last line
 * is one JSON object with the figures (target p95 ≤ 100 ms).
 *
 * `--wallboard` measures the live wallboard instead (wallboard-bench.ts): AMI queue events at
 * `--rate` per second (default 200) for `--seconds` (default 600) → `--streams` supervisors'
 * `GET /live/wallboard/events` (default 200); p95 target ≤ 200 ms, and the RSS before and after.
 *
 * `--pbx` measures on Debian's real Asterisk under SIPp load instead (live-pbx-bench.ts):
 * `--calls` (1000), `--concurrency` (20), `--call-rate` (new calls/s), `--operators`, `--ring-ms`,
 * `--talk-ms`.
 */

interface Options {
  rings: string;
  rate: string;
  keep: boolean;
  pbx: boolean;
  calls: string;
  concurrency: string;
  callRate: string;
  operators: string;
  ringMs: string;
  talkMs: string;
  wallboard: boolean;
  streams: string;
  seconds: string;
}

const USED_TYPES = new Set([
  'ChannelCreated',
  'Dial',
  'ChannelStateChange',
  'ChannelConnectedLine',
  'ChannelEnteredBridge',
  'ChannelLeftBridge',
  'BridgeCreated',
  'BridgeDestroyed',
  'ChannelHangupRequest',
  'ChannelDestroyed',
]);
const TEMPLATE = '01-inbound-answered-caller-hangup';
const TEMPLATE_CALLER = '79161234567';

const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const round = (n: number) => Number(n.toFixed(1));

/** The template's events as JSON text (ids and caller rewritten per call). */
function templateText(): string[] {
  return scenarioEvents(TEMPLATE)
    .filter((e) => USED_TYPES.has(e.type))
    .map((e) => JSON.stringify(e));
}

/** One cloned call: ids prefixed `c<n>-`, a caller number of its own. */
function cloneCall(template: readonly string[], n: number): AriEvent[] {
  const caller = `7916${String(1_000_000 + n).slice(-7)}`;
  return template.map(
    (text) =>
      JSON.parse(
        text.replace(/"(\d{10}\.\d+)"/g, `"c${n}-$1"`).replaceAll(TEMPLATE_CALLER, caller),
      ) as AriEvent,
  );
}

/** Reads `call.ringing` events of an SSE response; calls `onRing(channelId, at)` for each. */
async function readRings(response: Response, onRing: (channelId: string, at: number) => void): Promise<void> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    const at = performance.timeOrigin + performance.now();
    buffer += decoder.decode(value, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (!block.includes('event: call.ringing')) continue;
      const data = block.split('\n').find((l) => l.startsWith('data: '));
      if (data) onRing((JSON.parse(data.slice(6)) as { call: { channelId: string } }).call.channelId, at);
    }
  }
}

async function main(options: Options): Promise<void> {
  const rings = Number(options.rings);
  const rate = Number(options.rate);
  if (!(rings > 0 && rate > 0)) throw new Error('--rings and --rate must be positive numbers');
  const dataDir = mkdtempSync(join(tmpdir(), 'callcenter-live-bench-'));
  chmodSync(dataDir, 0o755);
  const log = (line: string) => console.log(line);
  const config = loadConfig({ DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()) });
  const store = await openPostgresStore(config);
  const peer = await AriPeer.start('callcenter', 'bench-secret');
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const { db, pool } = store.postgres;
    await registerOperators(db, 'pbx1', ['101', '102', '103']);
    const apiConfig: ApiConfig = {
      port: 0,
      jwtSecret: 'live-bench-secret-that-is-long-enough-0123456789',
      accessTokenTtlSec: 3600,
      refreshTokenTtlSec: 3600,
      recordingsDir: join(dataDir, 'recordings'),
      bodyLimitBytes: 64 * 1024,
    };
    const api = await startApiServer({ db, pool, clickhouse: null, config: apiConfig }, 0, '127.0.0.1');
    cleanups.push(() => api.close());
    const source = new AriLiveSource({
      connection: { url: peer.url, username: 'callcenter', password: 'bench-secret' },
      app: 'callcenter',
      serverId: 'pbx1',
      pool,
      log: (line) => {
        if (!line.startsWith('ARI: connected')) log(line);
      },
    });
    await source.start(true);
    cleanups.push(() => source.stop());

    // Three operators' browsers on the live stream.
    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    const aborts: AbortController[] = [];
    for (const endpoint of ['101', '102', '103']) {
      const { id } = await upsertUser(db, {
        login: `bench-${endpoint}`,
        passwordHash: 'bench',
        role: 'operator',
        displayName: `Bench operator ${endpoint}`,
        serverId: 'pbx1',
        endpoint,
        queues: [],
      });
      const user: AuthUser = {
        id,
        login: `bench-${endpoint}`,
        role: 'operator',
        endpoint,
        serverId: 'pbx1',
        queues: [],
      };
      const token = await signAccessToken(user, apiConfig.jwtSecret, 3600);
      const abort = new AbortController();
      aborts.push(abort);
      const response = await fetch(`${api.url}/live/events`, {
        headers: { authorization: `Bearer ${token}` },
        signal: abort.signal,
      });
      if (response.status !== 200) throw new Error(`GET /live/events answered ${response.status}`);
      void readRings(response, (channelId, at) => {
        const t0 = sentAt.get(channelId);
        if (t0 !== undefined) latencies.push(at - t0);
      }).catch(() => {});
    }
    cleanups.push(async () => {
      for (const a of aborts) a.abort();
    });
    // The streams listen once their `ready` is written; give them a moment.
    await new Promise((r) => setTimeout(r, 300));

    const template = templateText();
    const ringsPerCall = template.filter(
      (t) => t.includes('"type":"Dial"') && t.includes('"dialstatus":""'),
    ).length;
    const calls = Math.ceil(rings / ringsPerCall);
    log(
      `live bench: ${rings} ring events (${calls} cloned calls of ${TEMPLATE}, ${ringsPerCall} rings and ${template.length} events each) at ${rate} rings/s`,
    );
    const started = performance.now();
    let sentRings = 0;
    for (let n = 0; n < calls && sentRings < rings; n++) {
      // Pace by ring events: call n starts when its first ring is due.
      const due = started + (sentRings / rate) * 1000;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      for (const event of cloneCall(template, n)) {
        if (event.type === 'Dial' && event.dialstatus === '' && event.peer) {
          if (sentRings >= rings) continue;
          sentRings++;
          sentAt.set(event.peer.id, performance.timeOrigin + performance.now());
        }
        peer.send([event]);
      }
      if (n > 0 && n % 500 === 0)
        log(`  … ${sentRings} rings sent, ${latencies.length} screen-pops received`);
    }
    const sendSeconds = (performance.now() - started) / 1000;
    const until = Date.now() + 30_000;
    while (latencies.length < sentRings && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    await source.idle();

    const sorted = [...latencies].sort((a, b) => a - b);
    const figures = {
      bench: 'live',
      rings: sentRings,
      delivered: latencies.length,
      lost: sentRings - latencies.length,
      rateRingsPerSec: round(sentRings / sendSeconds),
      p50Ms: round(percentile(sorted, 50)),
      p95Ms: round(percentile(sorted, 95)),
      p99Ms: round(percentile(sorted, 99)),
      maxMs: round(sorted.at(-1) ?? Number.NaN),
      targetP95Ms: 100,
      transport: 'ARI WebSocket → provisional card + NOTIFY call_live (PostgreSQL) → LISTEN → SSE over HTTP',
    };
    log(
      `screen-pops: ${figures.delivered} of ${figures.rings} delivered at ${figures.rateRingsPerSec} rings/s; ` +
        `p50 ${figures.p50Ms} ms, p95 ${figures.p95Ms} ms, p99 ${figures.p99Ms} ms, max ${figures.maxMs} ms ` +
        `(target p95 ≤ 100 ms: ${figures.p95Ms <= 100 ? 'met' : 'NOT met'})`,
    );
    console.log(JSON.stringify(figures));
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    await peer.close();
    await store.close();
    if (!options.keep) rmSync(dataDir, { recursive: true, force: true });
  }
}

const program = new Command('bench:live')
  .description('ring event → SSE screen-pop latency through ARI, PostgreSQL NOTIFY and the API')
  .option('--rings <n>', 'ring events to replay', '10000')
  .option('--rate <n>', 'ring events per second', '200')
  .option('--keep', 'keep the temporary data directory', false)
  .option('--wallboard', "the live wallboard: AMI events → supervisors' SSE wallboard updates", false)
  .option('--streams <n>', "--wallboard: supervisors' SSE streams", '200')
  .option('--seconds <n>', '--wallboard: how long events are sent', '600')
  .option('--pbx', "on Debian's real Asterisk under SIPp load (asterisk/src/lab)", false)
  .option('--calls <n>', '--pbx: calls in total', '1000')
  .option('--concurrency <n>', '--pbx: calls at once at most (SIPp -l)', '20')
  .option('--call-rate <n>', '--pbx: new calls per second (SIPp -r)', '5')
  .option('--operators <n>', '--pbx: operators with a desk phone (at least --concurrency)', '24')
  .option('--ring-ms <n>', '--pbx: how long a desk phone rings before answering', '300')
  .option('--talk-ms <n>', '--pbx: how long an operator talks before hanging up', '4000')
  .action(async (options: Options) => {
    if (options.wallboard) {
      const { runWallboardBench } = await import('./wallboard-bench.ts');
      const [streams, rate, seconds] = [options.streams, options.rate, options.seconds].map(Number) as [
        number,
        number,
        number,
      ];
      if (!(streams > 0 && rate > 0 && seconds > 0))
        throw new Error('--streams, --rate and --seconds must be positive numbers');
      console.log(JSON.stringify(await runWallboardBench({ streams, rate, seconds })));
      return;
    }
    if (!options.pbx) return main(options);
    const { runPbxLiveBench } = await import('./live-pbx-bench.ts');
    const numbers = [
      options.calls,
      options.concurrency,
      options.callRate,
      options.operators,
      options.ringMs,
      options.talkMs,
    ].map(Number);
    if (!numbers.every((n) => Number.isFinite(n) && n > 0))
      throw new Error('--pbx options must be positive numbers');
    const [calls, concurrency, rate, operators, ringMs, talkMs] = numbers as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const { mismatches: _list, ...figures } = await runPbxLiveBench({
      calls,
      concurrency,
      rate,
      operators,
      ringMs,
      talkMs,
    });
    console.log(JSON.stringify(figures));
  });

program.parseAsync(process.argv).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench:live: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
