import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AmiClient } from '@callcenter/asterisk/ami';
import { AmiPeer } from '@callcenter/asterisk/testing/ami-peer';
import { registerOperators } from '@callcenter/ingest/operators';
import { loadConfig } from '@callcenter/platform/config';
import { freePort } from '@callcenter/platform/embedded-postgres';
import { openPostgresStore } from '@callcenter/platform/stores';
import { signAccessToken } from '../src/auth/access-token.ts';
import type { AuthUser } from '../src/auth/auth-user.ts';
import { upsertUser } from '../src/auth/users-repository.ts';
import type { ApiConfig } from '../src/config/api-config.ts';
import { WallboardService } from '../src/live/wallboard/wallboard-service.ts';
import { AmiPresence, AmiPresenceLink } from '../src/presence/asterisk-presence.ts';
import { startApiServer } from '../src/server/api-server.ts';

/**
 * `npm run bench:live -- --wallboard`: AMI event → wallboard update on supervisors' SSE streams,
 * through the production path on loopback: a local AMI protocol peer (the lab's queues.conf
 * membership) sends `QueueCallerJoin` events at `--rate` per second for `--seconds` → the API's AMI
 * session (ami-client.ts, the presence link) → the wallboard state (live/wallboard/) →
 * `GET /live/wallboard/events` of `--streams` supervisors of `support` over real HTTP. Event i is
 * the i-th caller joining, so a stream has seen it once its `support.waiting` reaches i; latency =
 * that snapshot's arrival − the peer writing the event. Every 5th event a caller leaves again
 * (`QueueCallerLeave`), so the count is the joins minus the leaves so far. Prints p50/p95/p99/max
 * over every (stream, event) pair and the process RSS at the start and the end (the API and the
 * streams' clients share the process); the last line is one JSON object (target p95 ≤ 200 ms).
 */

export interface WallboardBenchOptions {
  streams: number;
  rate: number;
  seconds: number;
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const round = (n: number) => Number(n.toFixed(1));
const mb = (bytes: number) => round(bytes / 1024 / 1024);
const SUPPORT_WAITING = /"queue":"support","name":"[^"]*","waiting":(\d+)/;
const nowMs = () => performance.timeOrigin + performance.now();

/** Reads `wallboard` events; calls `onWaiting(waiting of support, at)` for each. */
async function readBoards(
  response: Response,
  onWaiting: (waiting: number, at: number) => void,
): Promise<void> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    const at = nowMs();
    buffer += decoder.decode(value, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (!block.includes('event: wallboard')) continue;
      const data = block.split('\n').find((l) => l.startsWith('data: '));
      if (!data) continue;
      // A browser parses its own copy in its own process; here 200 clients share the API's
      // process, so they read only the figure measured.
      const waiting = SUPPORT_WAITING.exec(data);
      if (waiting) onWaiting(Number(waiting[1]), at);
    }
  }
}

export async function runWallboardBench(options: WallboardBenchOptions): Promise<Record<string, unknown>> {
  const log = (line: string) => console.log(line);
  const dataDir = mkdtempSync(join(tmpdir(), 'callcenter-wallboard-bench-'));
  chmodSync(dataDir, 0o755);
  const config = loadConfig({ DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()) });
  const store = await openPostgresStore(config);
  const peer = new AmiPeer();
  await peer.listen();
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const { db, pool } = store.postgres;
    await registerOperators(db, 'pbx1', ['101', '102', '103']);
    const client = new AmiClient({
      host: '127.0.0.1',
      port: peer.port,
      ...peer.credentials,
      name: 'pbx1',
      eventMask: 'agent',
    });
    const link = new AmiPresenceLink('pbx1', client, db);
    const wallboard = new WallboardService({ db, links: [link] });
    link.start();
    const presence = new AmiPresence([link]);
    cleanups.push(async () => {
      wallboard.close();
      await presence.close();
    });
    await client.whenReady(10_000);
    while (!wallboard.isLive('pbx1')) await new Promise((r) => setTimeout(r, 20));
    const apiConfig: ApiConfig = {
      port: 0,
      jwtSecret: 'wallboard-bench-secret-that-is-long-enough-0123456789',
      accessTokenTtlSec: 3600,
      refreshTokenTtlSec: 3600,
      recordingsDir: join(dataDir, 'recordings'),
      bodyLimitBytes: 64 * 1024,
    };
    const api = await startApiServer(
      { db, pool, clickhouse: null, config: apiConfig, asterisk: presence, wallboard },
      0,
      '127.0.0.1',
    );
    cleanups.push(() => api.close());

    // The supervisors' streams: every (support.waiting, arrival) each received, in order.
    const received: { count: number; at: number }[][] = [];
    const aborts: AbortController[] = [];
    for (let s = 0; s < options.streams; s++) {
      const login = `bench-sup-${s}`;
      const { id } = await upsertUser(db, {
        login,
        passwordHash: 'bench',
        role: 'supervisor',
        displayName: `Bench supervisor ${s}`,
        serverId: 'pbx1',
        endpoint: null,
        queues: ['support'],
      });
      const user: AuthUser = {
        id,
        login,
        role: 'supervisor',
        endpoint: null,
        serverId: 'pbx1',
        queues: ['support'],
      };
      const token = await signAccessToken(user, apiConfig.jwtSecret, 3600);
      const abort = new AbortController();
      aborts.push(abort);
      const response = await fetch(`${api.url}/live/wallboard/events`, {
        headers: { authorization: `Bearer ${token}` },
        signal: abort.signal,
      });
      if (response.status !== 200) throw new Error(`GET /live/wallboard/events answered ${response.status}`);
      const arrivals: { count: number; at: number }[] = [];
      received.push(arrivals);
      void readBoards(response, (count, at) => arrivals.push({ count, at })).catch(() => {});
    }
    cleanups.push(async () => {
      for (const a of aborts) a.abort();
    });
    await new Promise((r) => setTimeout(r, 1000));
    const rssStart = process.memoryUsage().rss;

    // Event i changes support.waiting to expected[i]; sentAt[i] when the peer wrote it.
    const total = Math.round(options.rate * options.seconds);
    log(
      `wallboard bench: ${total} AMI events at ${options.rate}/s over ${options.seconds} s to ${options.streams} supervisors' SSE streams`,
    );
    const sentAt: number[] = [];
    const expected: number[] = [];
    let waiting = 0;
    let nextCaller = 0;
    const queued: string[] = [];
    const started = performance.now();
    for (let i = 0; i < total; i++) {
      const due = started + (i / options.rate) * 1000;
      const delay = due - performance.now();
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      if (i % 5 === 4 && queued.length > 0) {
        const uniqueid = queued.shift()!;
        peer.emit({
          Event: 'QueueCallerLeave',
          Queue: 'support',
          Uniqueid: uniqueid,
          Channel: `PJSIP/trunk-${uniqueid}`,
        });
        waiting--;
      } else {
        const uniqueid = `1795400000.${nextCaller++}`;
        queued.push(uniqueid);
        peer.emit({
          Event: 'QueueCallerJoin',
          Queue: 'support',
          Uniqueid: uniqueid,
          Channel: `PJSIP/trunk-${uniqueid}`,
          CallerIDNum: `7916${String(nextCaller).padStart(7, '0')}`,
          Position: String(queued.length),
          Count: String(queued.length),
        });
        waiting++;
      }
      sentAt.push(nowMs());
      expected.push(waiting);
      if (i > 0 && i % (options.rate * 60) === 0)
        log(`  … ${i} events sent, RSS ${mb(process.memoryUsage().rss)} MB`);
    }
    const sendSeconds = (performance.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 3000));
    const rssEnd = process.memoryUsage().rss;

    // A stream has shown event i once it showed expected[i] at or after sending it. Coalesced
    // updates skip intermediate counts: event i is then shown by the first later snapshot whose
    // count is that of a later event.
    const latencies: number[] = [];
    let missing = 0;
    for (const arrivals of received) {
      let j = 0;
      for (let i = 0; i < total; i++) {
        const t0 = sentAt[i]!;
        while (j < arrivals.length && arrivals[j]!.at < t0) j++;
        // The first snapshot after the event whose count is that of event i or of a later one.
        let k = j;
        while (
          k < arrivals.length &&
          !countOfLaterEvent(arrivals[k]!.count, i, expected, sentAt, arrivals[k]!.at)
        )
          k++;
        if (k < arrivals.length) latencies.push(arrivals[k]!.at - t0);
        else missing++;
      }
    }
    const sorted = latencies.sort((a, b) => a - b);
    const figures = {
      bench: 'wallboard',
      streams: options.streams,
      events: total,
      rateEventsPerSec: round(total / sendSeconds),
      updatesMeasured: latencies.length,
      updatesMissing: missing,
      p50Ms: round(percentile(sorted, 50)),
      p95Ms: round(percentile(sorted, 95)),
      p99Ms: round(percentile(sorted, 99)),
      maxMs: round(sorted.at(-1) ?? Number.NaN),
      targetP95Ms: 200,
      rssStartMb: mb(rssStart),
      rssEndMb: mb(rssEnd),
      seconds: options.seconds,
      transport: 'AMI TCP → wallboard state → SSE over HTTP (API and clients in one process)',
    };
    log(
      `wallboard updates: p50 ${figures.p50Ms} ms, p95 ${figures.p95Ms} ms, p99 ${figures.p99Ms} ms, max ${figures.maxMs} ms ` +
        `over ${latencies.length} (stream, event) pairs, ${missing} never shown; RSS ${figures.rssStartMb} → ${figures.rssEndMb} MB ` +
        `(target p95 ≤ 200 ms: ${figures.p95Ms <= 200 ? 'met' : 'NOT met'})`,
    );
    return figures;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    await peer.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Whether a snapshot with `count` waiting, received at `at`, shows event `i`: it equals the count
 * after some event m ≥ i sent before `at`.
 */
function countOfLaterEvent(
  count: number,
  i: number,
  expected: readonly number[],
  sentAt: readonly number[],
  at: number,
): boolean {
  for (let m = i; m < expected.length && sentAt[m]! <= at; m++) if (expected[m] === count) return true;
  return false;
}
