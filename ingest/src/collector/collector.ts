import type { AsteriskServerConfig } from '@callcenter/platform/config';
import type { Database } from '@callcenter/platform/database';
import type { DependencyHealth } from '@callcenter/platform/dependency-health';
import type { ClickHouseClient } from '@clickhouse/client';
import { type Kysely, sql } from 'kysely';
import type pg from 'pg';
import { type DeriveAndWriteResult, deriveAndWrite } from '../derive/derive-and-write.ts';
import type { CdrRow, CelRow, OperatorDirectory } from '../reconcile/types.ts';
import { drainOutbox } from '../shipper/facts-shipper.ts';
import { type Batch, readCallRows, readCdrBatch, readCelBatch } from '../sources/asterisk-table-reader.ts';
import { IdGaps } from '../sources/id-gaps.ts';
import { failedGroupItem, malformedItems, quarantine } from '../writers/quarantine-writer.ts';
import { advanceWatermark, readWatermark } from '../writers/watermarks.ts';
import type { CatchUpProgress } from './backfill-progress.ts';
import { loadOperators, type Operators } from './operator-directory.ts';
import { ServerClock } from './server-clock.ts';

/**
 * The collector pipeline, one cycle per server: read (CEL and CDR above the read position, by
 * COPY, never past an id that may still be committing: sources/id-gaps.ts) → re-read calls that late rows belong to → derive-and-write (derive/derive-and-write.ts:
 * reconcile, pure → write calls and the outbox; here with quarantine and the watermark in the same
 * ONE transaction) → ship the outbox to ClickHouse. Open calls stay in memory and
 * above the persisted watermark, so a crash at any step loses and duplicates nothing: the restart
 * re-reads from the watermark and re-derives the same calls, and unchanged calls write nothing.
 */

/** What a cycle hands its `celRinging` observer after the commit. */
export interface CelRingingInput {
  newRows: readonly CelRow[];
  /** Rows of the calls still open after the cycle. */
  openRows: readonly CelRow[];
  /** The server's clock (ServerClock.now()), UTC epoch ms. */
  serverNow: number | undefined;
  isOperator: OperatorDirectory;
}

/**
 * The points of a cycle at which a test may inject a fault (`faultAt`): after reading,
 * reconciling, writing, committing, inserting into ClickHouse and shipping. Used to prove a crash
 * at any of them loses nothing and doubles nothing.
 */
export type CollectorStep =
  | 'after-read'
  | 'after-reconcile'
  | 'after-write'
  | 'after-commit'
  | 'after-ship-insert'
  | 'after-ship';

/** What a collector reads, writes and ships with (idleTimeoutSec in seconds). */
export interface CollectorOptions {
  db: Kysely<Database>;
  pool: pg.Pool;
  clickhouse: ClickHouseClient | null;
  servers: readonly AsteriskServerConfig[];
  /**
   * Ship only the outbox entries of these servers' calls (`COLLECTOR_SERVERS`: several collectors
   * on one database, each with its own servers); unset = the whole outbox. Either way entries are
   * claimed (`FOR UPDATE SKIP LOCKED`), so no two shippers send the same entry.
   */
  shipServers?: readonly string[];
  batchRows: number;
  idleTimeoutSec: number;
  /**
   * Live provisional ringing from CEL (@callcenter/live/cel-ringing): handed each cycle's new rows
   * and the open calls' rows after the commit, only for cycles that read the table's tail (not a
   * backlog). Injected, so the pipeline imports nothing of the live side.
   */
  celRinging?: { observe(input: CelRingingInput): void };
  /**
   * The job's dependency tracker. With it, a failed shipment marks ClickHouse down (logged once)
   * and is retried with backoff, 2 s up to 30 s, while cycles go on writing cards into Postgres and
   * facts into the outbox; without it (tests, one-off commands) the next cycle rethrows it.
   */
  health?: DependencyHealth;
  /** Runs before each shipment, e.g. migrating the facts schema once ClickHouse answers. */
  beforeShip?: () => Promise<void>;
  /** Test seam: called at each step; throwing there simulates a crash at that point. */
  faultAt?: (step: CollectorStep) => void;
  log?: (line: string) => void;
}

/** Counts of one cycle (or of several, summed). */
export interface CycleResult {
  /** CEL rows read: those the reconciler needs (reconcile/relevant-rows.ts), malformed ones included. */
  celRows: number;
  cdrRows: number;
  malformed: number;
  inserted: number;
  updated: number;
  failures: number;
  /** True when every server's tables were read to their end. */
  caughtUp: boolean;
}

interface ServerBatches {
  celFrom: number;
  cdrFrom: number;
  cel: Batch<CelRow> & { more: boolean; tableEnd: number };
  cdr: Batch<CdrRow>;
}

interface ServerState {
  server: AsteriskServerConfig;
  celReadPos: number;
  cdrReadPos: number;
  /** The next batches, read while the current ones are reconciled and written. */
  prefetch: Promise<ServerBatches> | null;
  pendingCel: CelRow[];
  pendingCdr: CdrRow[];
  clock: ServerClock;
  /** The CEL table's highest id at the last read (the end a catch-up heads for). */
  celEnd: number;
  /** Gaps in the tables' ids that may still fill (a lower id committing late): reads stop below them. */
  celGaps: IdGaps;
  cdrGaps: IdGaps;
}

/** The pipeline above, with its open calls and read positions per server, in memory. */
export class Collector {
  private states: ServerState[] | null = null;
  private operators: Operators | null = null;

  constructor(private readonly options: CollectorOptions) {}

  private async init(): Promise<ServerState[]> {
    if (this.states) return this.states;
    const { db, servers } = this.options;
    this.states = [];
    for (const server of servers) {
      const cel = await readWatermark(db, 'cel', server.id);
      const cdr = await readWatermark(db, 'cdr', server.id);
      this.states.push({
        server,
        celReadPos: cel,
        cdrReadPos: cdr,
        prefetch: null,
        pendingCel: [],
        pendingCdr: [],
        clock: new ServerClock(),
        celEnd: cel,
        celGaps: new IdGaps(),
        cdrGaps: new IdGaps(),
      });
    }
    return this.states;
  }

  /** Open (not yet final) calls held in memory, per server. */
  pendingCalls(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const state of this.states ?? [])
      out[state.server.id] = new Set(state.pendingCel.map((r) => r.linkedId)).size;
    return out;
  }

  /** One cycle over every server, then the outbox. */
  async cycle(): Promise<CycleResult> {
    const states = await this.init();
    this.operators = await loadOperators(this.options.db);
    let total = emptyCycle();
    for (const state of states) total = addCycles(total, await this.cycleServer(state));
    this.shipInBackground();
    this.rethrowShipError();
    return total;
  }

  private shipping: Promise<void> | null = null;
  private shipAgain = false;
  private shipError: unknown = null;

  /**
   * Ships the outbox concurrently with the next cycles (chDB and ClickHouse work off the event
   * loop): one shipment at a time, and one more if calls were written meanwhile. A failure is
   * rethrown by the next cycle; nothing is lost (the outbox keeps the entries).
   */
  private shipInBackground(): void {
    const { clickhouse, db, faultAt, shipServers } = this.options;
    if (!clickhouse) return;
    if (this.shipping) {
      this.shipAgain = true;
      return;
    }
    const { health, beforeShip } = this.options;
    if (this.shipRetry) {
      // A retry is scheduled: shipping waits for it (ClickHouse is down).
      this.shipAgain = true;
      return;
    }
    this.shipping = (async () => {
      do {
        this.shipAgain = false;
        await beforeShip?.();
        await drainOutbox(db, clickhouse, 5000, faultAt && (() => faultAt('after-ship-insert')), shipServers);
        faultAt?.('after-ship');
        health?.up('clickhouse');
        this.shipFailures = 0;
      } while (this.shipAgain);
    })()
      .catch(async (error: unknown) => {
        if (!health) {
          this.shipError = error;
          return;
        }
        // The outbox lives in Postgres, the facts in ClickHouse: whichever does not answer is down.
        const postgresUp = await sql`SELECT 1`
          .execute(db)
          .then(() => true)
          .catch(() => false);
        if (postgresUp) health.down('clickhouse', error);
        else health.down('postgres', error);
        this.shipFailures++;
        const backoff = Math.min(30_000, 1000 * 2 ** Math.min(this.shipFailures, 5));
        this.shipRetry = setTimeout(() => {
          this.shipRetry = null;
          if (!this.closed) this.shipInBackground();
        }, backoff);
        this.shipRetry.unref();
      })
      .finally(() => {
        this.shipping = null;
      });
  }

  private shipRetry: NodeJS.Timeout | null = null;
  private shipFailures = 0;
  private closed = false;

  /** Stops shipment retries (the job's shutdown); a shipment in progress finishes. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.shipRetry) clearTimeout(this.shipRetry);
    this.shipRetry = null;
    while (this.shipping) await this.shipping;
  }

  private rethrowShipError(): void {
    if (this.shipError === null) return;
    const error = this.shipError;
    this.shipError = null;
    throw error;
  }

  /** Waits until everything written so far is shipped; throws the shipment's error. */
  async flush(): Promise<void> {
    while (this.shipping) await this.shipping;
    this.rethrowShipError();
    this.shipInBackground();
    while (this.shipping) await this.shipping;
    this.rethrowShipError();
  }

  /**
   * Cycles until every table is read to its end and the outbox is empty (with `health`, until the
   * outbox is shipped or ClickHouse is found down). `until`: stop early when it returns true
   * (a shutdown signal), after the cycle in progress. `progress`: called after each cycle with the
   * CEL ids read since the start and the ids up to the table's end (collector/backfill-progress.ts),
   * the last time with `final` true.
   */
  async catchUp(
    until?: () => boolean,
    progress?: (p: CatchUpProgress, final: boolean) => void,
  ): Promise<CycleResult> {
    let total = emptyCycle();
    const states = await this.init();
    const startPos = states.reduce((sum, s) => sum + s.celReadPos, 0);
    const started = performance.now();
    for (;;) {
      if (until?.()) return { ...total, caughtUp: false };
      const r = await this.cycle();
      total = addCycles(total, r);
      if (progress) {
        const done = states.reduce((sum, s) => sum + s.celReadPos, 0) - startPos;
        const end = states.reduce((sum, s) => sum + Math.max(s.celEnd, s.celReadPos), 0) - startPos;
        progress(
          { doneIds: done, totalIds: end, elapsedSec: (performance.now() - started) / 1000 },
          r.caughtUp,
        );
      }
      if (r.caughtUp) {
        await this.flush();
        return { ...total, caughtUp: true };
      }
    }
  }

  private readBatches(state: ServerState, celFrom: number, cdrFrom: number): Promise<ServerBatches> {
    const { pool, batchRows } = this.options;
    const { server } = state;
    return (async () => {
      const client = await pool.connect();
      try {
        const cel = await readCelBatch(client, server, celFrom, batchRows, state.celGaps);
        const cdr = await readCdrBatch(client, server, cdrFrom, batchRows, state.cdrGaps);
        return { celFrom, cdrFrom, cel, cdr };
      } finally {
        client.release();
      }
    })();
  }

  /** The batches at the current read position: prefetched if the prefetch matches, else read now. */
  private async nextBatches(state: ServerState): Promise<ServerBatches> {
    const prefetched = state.prefetch;
    state.prefetch = null;
    if (prefetched) {
      const batches = await prefetched.catch(() => null);
      if (batches && batches.celFrom === state.celReadPos && batches.cdrFrom === state.cdrReadPos)
        return batches;
    }
    return this.readBatches(state, state.celReadPos, state.cdrReadPos);
  }

  private async cycleServer(state: ServerState): Promise<CycleResult> {
    const { pool, batchRows, idleTimeoutSec, faultAt } = this.options;
    const server = state.server;
    const { cel, cdr } = await this.nextBatches(state);
    const full = cel.more || cdr.rows.length + cdr.malformed.length >= batchRows;
    // Read ahead while this batch is reconciled and written (only when more rows are waiting).
    if (full) state.prefetch = this.readBatches(state, cel.lastId, cdr.lastId);
    for (const row of cel.rows) state.clock.observe(row.eventTime);
    const client = await pool.connect();
    let late: { cel: CelRow[]; cdr: CdrRow[] };
    try {
      late = await this.lateCallRows(client, state, cel.rows, cdr.rows, { cel: cel.lastId, cdr: cdr.lastId });
    } finally {
      client.release();
    }
    faultAt?.('after-read');

    const writer = await pool.connect();
    let derived: DeriveAndWriteResult;
    try {
      derived = await deriveAndWrite(writer, {
        serverId: server.id,
        cel: merged(state.pendingCel, cel.rows, late.cel),
        cdr: merged(state.pendingCdr, cdr.rows, late.cdr),
        operators: this.operators!,
        now: state.clock.now(),
        idleTimeoutSec,
        afterReconcile: () => faultAt?.('after-reconcile'),
        inTransaction: async (client, result) => {
          await quarantine(client, [
            ...malformedItems('cel', server.id, cel.malformed),
            ...malformedItems('cdr', server.id, cdr.malformed),
            ...result.failures.map((f) => failedGroupItem(server.id, f)),
          ]);
          faultAt?.('after-write');
          await advanceWatermark(client, 'cel', server.id, safeWatermark(result.pending, cel.lastId));
          await advanceWatermark(client, 'cdr', server.id, safeWatermark(result.pendingCdr, cdr.lastId));
        },
      });
    } finally {
      writer.release();
    }
    const { reconciled: result, written } = derived;
    faultAt?.('after-commit');

    state.pendingCel = result.pending;
    state.pendingCdr = result.pendingCdr;
    if (this.options.celRinging && !full && cel.rows.length > 0 && result.pending.length > 0) {
      this.options.celRinging.observe({
        newRows: cel.rows,
        openRows: result.pending,
        serverNow: state.clock.now(),
        isOperator: this.operators!.isOperator,
      });
    }
    state.celReadPos = cel.lastId;
    state.cdrReadPos = cdr.lastId;
    state.celEnd = Math.max(state.celEnd, cel.tableEnd);
    for (const f of result.failures)
      this.options.log?.(`quarantined call ${f.linkedids.join(',')}: ${f.reason}`);
    const celCount = cel.rows.length + cel.malformed.length;
    const cdrCount = cdr.rows.length + cdr.malformed.length;
    return {
      celRows: celCount,
      cdrRows: cdrCount,
      malformed: cel.malformed.length + cdr.malformed.length,
      inserted: written.inserted,
      updated: written.updated,
      failures: result.failures.length,
      caughtUp: !cel.more && cdrCount < batchRows,
    };
  }

  /**
   * Rows that belong to calls already written (late or re-delivered CEL, CDR arriving after its
   * call closed): the full rows of those calls are re-read so the call is re-derived whole.
   */
  private async lateCallRows(
    client: pg.PoolClient,
    state: ServerState,
    celRows: readonly CelRow[],
    cdrRows: readonly CdrRow[],
    upTo: { cel: number; cdr: number },
  ): Promise<{ cel: CelRow[]; cdr: CdrRow[] }> {
    const open = new Set(state.pendingCel.map((r) => r.linkedId));
    const starts = new Set(
      celRows.filter((r) => r.eventType === 'CHAN_START' && r.uniqueId === r.linkedId).map((r) => r.linkedId),
    );
    const candidates = new Set<string>();
    for (const r of celRows) if (!open.has(r.linkedId) && !starts.has(r.linkedId)) candidates.add(r.linkedId);
    for (const r of cdrRows) if (!open.has(r.linkedId)) candidates.add(r.linkedId);
    if (candidates.size === 0) return { cel: [], cdr: [] };
    const known = await sql<{ linkedid: string }>`
      SELECT l2.linkedid FROM app.call_linkedids l1
      JOIN app.call_linkedids l2 ON l2.call_id = l1.call_id
      WHERE l1.server_id = ${state.server.id} AND l1.linkedid = ANY(${[...candidates]}::text[])`.execute(
      this.options.db,
    );
    if (known.rows.length === 0) return { cel: [], cdr: [] };
    return readCallRows(client, state.server, [...new Set(known.rows.map((r) => r.linkedid))], upTo);
  }
}

const emptyCycle = (): CycleResult => ({
  celRows: 0,
  cdrRows: 0,
  malformed: 0,
  inserted: 0,
  updated: 0,
  failures: 0,
  caughtUp: true,
});

/** Sums two cycle results; caught up only if both are. */
function addCycles(a: CycleResult, b: CycleResult): CycleResult {
  return {
    celRows: a.celRows + b.celRows,
    cdrRows: a.cdrRows + b.cdrRows,
    malformed: a.malformed + b.malformed,
    inserted: a.inserted + b.inserted,
    updated: a.updated + b.updated,
    failures: a.failures + b.failures,
    caughtUp: a.caughtUp && b.caughtUp,
  };
}

/**
 * Pending rows, the new batch and re-read rows, each row once. Pending rows lie below the batch by
 * construction; only re-read rows can repeat either, so the common case is a plain concatenation.
 */
function merged<T extends { id: number }>(
  pending: readonly T[],
  batch: readonly T[],
  reread: readonly T[],
): T[] {
  if (reread.length === 0) return pending.length === 0 ? (batch as T[]) : pending.concat(batch);
  return uniqueById([...pending, ...batch, ...reread]);
}

/** Rows of one id once (a row can be both pending and re-read). */
function uniqueById<T extends { id: number }>(rows: readonly T[]): T[] {
  const seen = new Set<number>();
  return rows.filter((r) => {
    if (seen.has(r.id)) return false;
    seen.add(r.id);
    return true;
  });
}

/** The highest id below every still-needed row: all rows up to it are accounted for. */
function safeWatermark(pending: readonly { id: number }[], lastRead: number): number {
  let min = Number.POSITIVE_INFINITY;
  for (const row of pending) if (row.id < min) min = row.id;
  return Number.isFinite(min) ? Math.min(min - 1, lastRead) : lastRead;
}
