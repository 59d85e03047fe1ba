import { listenToChannel } from '@callcenter/platform/pg-listen';
import type pg from 'pg';
import type { LiveSink, LiveSource } from './live-bus.ts';
import type { LiveEventInput } from './live-event.ts';

/**
 * The live journal's Postgres source: LISTEN `call_changed` (the statement-level triggers of
 * sql/postgres/001_core.sql; payloads `id:version,id:version,…`, not JSON) on a dedicated
 * connection, read the changed calls and publish, per notified (id, version):
 *
 * - `call.ended` for version 1 (inserted: by the collector once a call is over, or a manual call;
 *   or a provisional live card's CEL-derived update, sql/postgres/007 — its version 0 insert is
 *   announced as `call.ringing` by call-live-source.ts and skipped here);
 * - `call.updated` for any later version (re-derivation: status, operator, queue…; card edits);
 * - `card.completed` in addition when the card became complete with this version.
 *
 * A notified version older than the row's current one is skipped: the newer version's
 * notification follows (NOTIFY is delivered at commit, in commit order). Notifications are handled
 * one at a time, so events keep the database's order. pg-listen loses notifications while
 * disconnected, so each reconnection journals a `refetch` (LiveSink.resync); when pg-listen gives
 * up, a new subscriber is made after a pause.
 */

export const CALL_CHANGED_CHANNEL = 'call_changed';

/** Calls whose completion state is remembered (to tell a completion from a later edit). */
const MAX_REMEMBERED_CARDS = 100_000;
/** A card save writes card_completed_at, card_updated_at and updated_at within this window. */
const SAME_SAVE_MS = 5_000;

/** Parses `12:3,13:1` into pairs; malformed items are ignored. */
export function parseCallChanged(payload: string): { id: number; version: number }[] {
  const pairs: { id: number; version: number }[] = [];
  for (const item of payload.split(',')) {
    const match = /^(\d+):(\d+)$/.exec(item.trim());
    if (match) pairs.push({ id: Number(match[1]), version: Number(match[2]) });
  }
  return pairs;
}

interface ChangedCallRow {
  id: number | string;
  version: number | string;
  server_id: string;
  linkedid: string;
  linkedids: string[];
  direction: string;
  status: string;
  started_at: Date;
  answered_at: Date | null;
  ended_at: Date | null;
  duration_sec: number;
  talk_sec: number;
  queue: string | null;
  queues: string[];
  operator_endpoint: string | null;
  src_number: string | null;
  dst_number: string | null;
  card_completed_at: Date | null;
  card_updated_at: Date | null;
  card_updated_by: string | null;
  updated_at: Date;
  reconciler_version: string;
  rung: string[];
}

const CHANGED_CALLS_SQL = `
  SELECT c.id, c.version, c.server_id, c.linkedid, c.linkedids, c.direction, c.status, c.started_at,
         c.answered_at, c.ended_at, c.duration_sec, c.talk_sec, c.queue, c.queues,
         c.operator_endpoint, c.src_number, c.dst_number, c.card_completed_at, c.card_updated_at,
         c.card_updated_by, c.updated_at, c.reconciler_version,
         COALESCE((SELECT array_agg(DISTINCT a.operator_endpoint) FROM app.call_attempts a
                   WHERE a.call_id = c.id), '{}') AS rung
  FROM app.calls c
  WHERE c.id = ANY($1::bigint[])`;

const iso = (value: Date | null) => (value ? value.toISOString() : null);

/** Turns notified changes into journal events (kept separate from the connection for clarity). */
export class CallChangeReader {
  /** call id → card complete at the last version seen (insertion order = age, for eviction). */
  private readonly cardComplete = new Map<number, boolean>();
  /** Provisional live cards seen edited: their first reconciled version is their `call.ended`. */
  private readonly provisional = new Set<number>();

  constructor(private readonly pool: pg.Pool) {}

  /** Reads the calls of one notification and returns their events, in payload order. */
  async read(notified: { id: number; version: number }[]): Promise<LiveEventInput[]> {
    // Version 0 = a provisional live card's insert (sql/postgres/007): announced as `call.ringing`
    // by the call_live source; its CEL-derived update (version 1) is its `call.ended`.
    const pairs = notified.filter((p) => p.version !== 0);
    if (pairs.length === 0) return [];
    const { rows } = await this.pool.query<ChangedCallRow>(CHANGED_CALLS_SQL, [pairs.map((p) => p.id)]);
    const byId = new Map(rows.map((row) => [Number(row.id), row]));
    const events: LiveEventInput[] = [];
    for (const { id, version } of pairs) {
      const row = byId.get(id);
      // Deleted (merged) since, or a newer version whose own notification follows.
      if (!row || Number(row.version) !== version) continue;
      events.push(...this.eventsOf(row, version));
    }
    return events;
  }

  private eventsOf(row: ChangedCallRow, version: number): LiveEventInput[] {
    const id = Number(row.id);
    const scope = {
      serverId: row.server_id,
      endpoints: [...(row.operator_endpoint ? [row.operator_endpoint] : []), ...row.rung],
      queues: [...(row.queue ? [row.queue] : []), ...row.queues],
    };
    const call = {
      id,
      version,
      server_id: row.server_id,
      linkedid: row.linkedid,
      // Every linkedid the card covers: a pop rung for a transfer's consultation call finds it.
      linkedids: row.linkedids,
      direction: row.direction,
      status: row.status,
      started_at: iso(row.started_at),
      answered_at: iso(row.answered_at),
      ended_at: iso(row.ended_at),
      duration_sec: row.duration_sec,
      talk_sec: row.talk_sec,
      queue: row.queue,
      queues: row.queues,
      operator_endpoint: row.operator_endpoint,
      src_number: row.src_number,
      dst_number: row.dst_number,
      card_complete: row.card_completed_at !== null,
      card_completed_at: iso(row.card_completed_at),
      card_updated_by: row.card_updated_by,
    };
    const events: LiveEventInput[] = [{ type: this.changeType(id, row, version), scope, data: { call } }];
    if (this.becameComplete(id, row)) events.push({ type: 'card.completed', scope, data: { call } });
    return events;
  }

  /**
   * `call.ended` for a call's first written version — 1, or the first reconciled version of a
   * provisional card edited while it rang — else `call.updated` (card edits, re-derivations).
   */
  private changeType(id: number, row: ChangedCallRow, version: number): 'call.ended' | 'call.updated' {
    if (row.reconciler_version === 'provisional') {
      if (this.provisional.size >= MAX_REMEMBERED_CARDS) this.provisional.clear();
      this.provisional.add(id);
      return 'call.updated';
    }
    if (this.provisional.delete(id)) return 'call.ended';
    return version === 1 ? 'call.ended' : 'call.updated';
  }

  /**
   * True when this version completed the card: the last version seen was incomplete, or (a call
   * not seen since start) the completion time, the card save and the row update are one save.
   */
  private becameComplete(id: number, row: ChangedCallRow): boolean {
    const complete = row.card_completed_at !== null;
    const before = this.cardComplete.get(id);
    this.cardComplete.delete(id);
    this.cardComplete.set(id, complete);
    if (this.cardComplete.size > MAX_REMEMBERED_CARDS) {
      const oldest = this.cardComplete.keys().next().value;
      if (oldest !== undefined) this.cardComplete.delete(oldest);
    }
    if (!complete) return false;
    if (before !== undefined) return !before;
    const completed = row.card_completed_at!.getTime();
    const saved = row.card_updated_at?.getTime();
    return (
      saved !== undefined &&
      Math.abs(saved - completed) < SAME_SAVE_MS &&
      Math.abs(row.updated_at.getTime() - saved) < SAME_SAVE_MS
    );
  }
}

/** The LiveSource for LiveBus: resolves once LISTEN is in place. */
export function callChangeSource(options: {
  connectionString: string;
  pool: pg.Pool;
  log?: (line: string) => void;
}): LiveSource {
  const log = options.log ?? (() => {});
  return async (sink: LiveSink) => {
    const reader = new CallChangeReader(options.pool);
    let closed = false;
    // One notification at a time, in arrival order.
    let chain: Promise<void> = Promise.resolve();

    const handle = (payload: unknown) => {
      const pairs = parseCallChanged(String(payload ?? ''));
      chain = chain
        .then(async () => {
          for (const event of await reader.read(pairs)) if (!closed) sink.publish(event);
        })
        .catch((error: Error) => {
          log(`live: reading changed calls failed: ${error.message}`);
          if (!closed) sink.resync('changed calls could not be read');
        });
    };

    const listener = await listenToChannel({
      connectionString: options.connectionString,
      channel: CALL_CHANGED_CHANNEL,
      name: 'listener',
      onNotification: handle,
      onReconnected: () => sink.resync('the change listener reconnected'),
      log,
    });
    return {
      async close() {
        closed = true;
        await listener.close();
        await chain;
      },
    };
  };
}
