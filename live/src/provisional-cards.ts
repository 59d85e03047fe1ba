import type pg from 'pg';
import {
  CALL_LIVE_CHANNEL,
  type CallStateNotification,
  encodeLiveNotification,
  type LiveDirection,
  type RingingNotification,
} from './live-notification.ts';

/**
 * Provisional call cards: the app.calls row a screen-pop names while the call is still ringing,
 * long before the CEL-derived call exists. Rules (README.md, "Live calls"):
 *
 * - a ring upserts the card of `(server_id, linkedid)` — found through app.call_linkedids like the
 *   calls writer finds calls, else inserted with status `ringing`, `reconciler_version` and
 *   `derived_hash` = `provisional`, `version` 0 — plus its call_linkedids row, so the card has an
 *   id at once and whichever source (ARI or the collector's CEL side) comes first creates it;
 * - each rung operator gets a `ringing` attempt on the provisional card (operators see calls they
 *   were rung for: api/src/scope/call-scope.ts); an answer makes the card `answered` (GET /calls
 *   shows a live call as it is), the answering operator its operator — after a transfer, the
 *   target who answered — and sets `answered_at` once;
 * - the calls writer later finds the row by linkedid and UPDATEs its derived columns (same id,
 *   the card people typed kept; attempts replaced by the reconciled ones; version 0 → 1, so the
 *   live journal reports `call.ended` as for any new call);
 * - provisional rows are never shipped to ClickHouse (the shipper skips them) and are swept when
 *   no CEL arrives (provisional-sweeper.ts);
 * - the `call_live` NOTIFY goes out in the same transaction, so the API reads a committed card.
 */

export const PROVISIONAL = 'provisional';

/**
 * A ring to record as a provisional card: the call (server, linkedid), the ringing operator
 * channel and endpoint, the screen-pop facts, and which source saw it (ARI or CEL) and when.
 */
export interface ProvisionalRing {
  serverId: string;
  linkedid: string;
  /** The ringing operator channel's uniqueid. */
  channelId: string;
  endpoint: string;
  direction: LiveDirection;
  callerNumber: string | null;
  did: string | null;
  queue: string | null;
  /** ISO 8601 UTC. */
  startedAt: string;
  /** ISO 8601 UTC of the ring. */
  rangAt: string;
  source: 'ari' | 'cel';
  /** Epoch ms when the source got the event. */
  receivedAt: number;
}

/**
 * What recording a ring did: the card's id, whether it is (still) provisional, whether it was
 * created now, whether a `call.ringing` was sent for it, and the call's queue.
 */
export interface RingResult {
  callId: number;
  /** False when the call was already written from CEL (the ring is late): nothing was changed. */
  provisional: boolean;
  created: boolean;
  /**
   * False when this ring (operator channel) was already on the card — the other source announced
   * it first, or the CEL-derived call lists it — so no second `call.ringing` was sent.
   */
  announced: boolean;
  queue: string | null;
}

const MARK_ANSWERED_AND_NOTIFY = `
  WITH async AS (SELECT set_config('synchronous_commit', 'off', true)),
  card AS (
    UPDATE app.calls c SET status = 'answered', operator_endpoint = $2,
      operator_id = (SELECT o.id FROM app.operators o WHERE o.server_id = c.server_id AND o.endpoint = $2 AND o.active),
      answered_at = COALESCE(c.answered_at, $4::timestamptz)
    WHERE c.id = $1 AND c.reconciler_version = '${PROVISIONAL}'
    RETURNING c.id),
  attempt AS (
    UPDATE app.call_attempts a SET outcome = 'answered'
    FROM card WHERE a.call_id = card.id AND a.uniqueid = $3
    RETURNING a.call_id)
  SELECT pg_notify('${CALL_LIVE_CHANNEL}', $5), (SELECT count(*) FROM attempt) AS attempts,
    (SELECT count(*) FROM async) AS async_commit`;

/** Writes provisional cards and NOTIFYs `call_live`, each in one round trip (the rules above). */
export class ProvisionalCards {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Upserts the card of a ring and NOTIFYs `call.ringing` (once per operator channel, whichever
   * source is first): one round trip to app.ring_provisional_card (sql/postgres/007), atomic.
   * Returns the card's id (existing or new). Throws the database's error (the caller logs it).
   */
  async ring(ring: ProvisionalRing): Promise<RingResult> {
    const payload: RingingNotification = {
      type: 'call.ringing',
      call: {
        // id, provisional and queue are filled in by the database.
        id: 0,
        serverId: ring.serverId,
        linkedid: ring.linkedid,
        channelId: ring.channelId,
        endpoint: ring.endpoint,
        direction: ring.direction,
        callerNumber: ring.callerNumber,
        did: ring.did,
        queue: ring.queue,
        startedAt: ring.startedAt,
        provisional: true,
      },
      source: ring.source,
      receivedAt: ring.receivedAt,
    };
    const { rows } = await this.pool.query<{
      call_id: string;
      provisional: boolean;
      created: boolean;
      announced: boolean;
      queue: string | null;
    }>(
      `SELECT call_id, provisional, created, announced, queue
       FROM app.ring_provisional_card($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        ring.serverId,
        ring.linkedid,
        ring.channelId,
        ring.endpoint,
        ring.direction,
        ring.callerNumber,
        ring.did,
        ring.queue,
        ring.startedAt,
        ring.rangAt,
        encodeLiveNotification(payload),
      ],
    );
    const row = rows[0]!;
    return {
      callId: Number(row.call_id),
      provisional: row.provisional,
      created: row.created,
      announced: row.announced,
      queue: row.queue,
    };
  }

  /**
   * Publishes a call-state event (answered, held, unheld, transferred, hangup): one statement. An
   * answer also makes the provisional card `answered` with the answering operator as its operator
   * (reconciled cards are left alone).
   */
  async publish(notification: CallStateNotification, answeredAt?: string): Promise<void> {
    const payload = encodeLiveNotification(notification);
    if (notification.type === 'call.answered') {
      await this.pool.query(MARK_ANSWERED_AND_NOTIFY, [
        notification.call.id,
        notification.call.endpoint,
        notification.call.channelId,
        answeredAt ?? new Date(notification.receivedAt).toISOString(),
        payload,
      ]);
      return;
    }
    await this.pool.query('SELECT pg_notify($1, $2)', [CALL_LIVE_CHANNEL, payload]);
  }

  /** The card of a linkedid (through app.call_linkedids), or null. */
  async cardOf(serverId: string, linkedid: string): Promise<{ id: number; queue: string | null } | null> {
    const { rows } = await this.pool.query<{ id: number; queue: string | null }>(
      `SELECT c.id::int AS id, c.queue FROM app.call_linkedids l JOIN app.calls c ON c.id = l.call_id
       WHERE l.server_id = $1 AND l.linkedid = $2`,
      [serverId, linkedid],
    );
    return rows[0] ?? null;
  }
}
