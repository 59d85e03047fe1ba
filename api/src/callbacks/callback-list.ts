import type { Database } from '@callcenter/platform/database';
import type { z } from '@hono/zod-openapi';
import { type Kysely, sql } from 'kysely';
import type { AuthUser } from '../auth/auth-user.ts';
import type {
  CallbackItem as CallbackItemSchema,
  CallbackList as CallbackListSchema,
} from '../routes/callbacks/callback-schemas.ts';
import { callScope } from '../scope/call-scope.ts';
import { normalisePhoneNumber } from './phone-number.ts';

/**
 * Callbacks owed (docs/metrics.md#callbacks-owed): inbound calls that were missed or abandoned, and calls
 * whose card says `needs_callback`, until the customer is "reached again" — a LATER answered call
 * (inbound or outbound, by started_at) whose customer number normalises (libphonenumber-js,
 * region RU) to the same E.164 number. The customer number of an inbound call is its
 * `src_number`, of an outbound one its `dst_number`; internal calls have none.
 *
 * The matching is stored, not searched: app.customer_numbers (`raw → e164`, sql/postgres/011)
 * holds every customer number ever stored, added by a trigger when its call is written and
 * normalised here (libphonenumber-js lives in JavaScript) the first time a list is read after it
 * arrived; app.callback_links (sql/postgres/016) holds, per candidate, the call that reached it
 * again, kept by triggers in the transaction that writes the calls or normalises their numbers.
 *
 * The owed calls are limited by the user's scope (scope/call-scope.ts); the call that reached a
 * customer again may be anyone's — it is what settles the debt — and only its id, direction, time
 * and operator are shown.
 */

/**
 * One call on the list (the shape of `GET /callbacks`, routes/callbacks/callback-schemas.ts): the
 * call, why it is owed, the customer's number as stored and as E.164 (null when it is no phone
 * number), and — once reached again — that call and the seconds from this call's start to its
 * start (null while owed).
 */
export type CallbackItem = z.output<typeof CallbackItemSchema>;
/** Why a call is on the list. */
export type CallbackReason = CallbackItem['reason'];
/** The answered call that reached the customer again. */
export type CallbackReach = NonNullable<CallbackItem['reachedBy']>;

/** What to list: also the calls already reached again, and how many at most. */
export interface CallbackListOptions {
  /** Also list the calls already reached again (with their time to callback). */
  includeDone: boolean;
  limit: number;
}

/**
 * The list: its items, how many calls are owed in the user's scope (all, not just this page), and
 * how many were reached again (counted only with includeDone, else null).
 */
export type CallbackList = z.output<typeof CallbackListSchema>;

/** The customer's number of an app.calls row aliased `alias`. */
const customerNumber = (alias: string) =>
  sql`(CASE WHEN ${sql.ref(`${alias}.direction`)} = 'outbound' THEN ${sql.ref(`${alias}.dst_number`)} ELSE ${sql.ref(`${alias}.src_number`)} END)`;

/** Pending numbers normalised per statement (libphonenumber-js in this process). */
const NORMALISE_CHUNK = 5000;

/**
 * Normalises the customer numbers app.customer_numbers holds but nobody normalised yet
 * (sql/postgres/011_customer_numbers.sql: a trigger adds each new number in the transaction that
 * writes its call). Usually none: one probe of a partial index. Concurrent callers may normalise
 * the same rows; they write the same values. Each chunk's update recomputes the callback links of
 * its numbers (sql/postgres/016_callback_links.sql) in the same statement.
 */
export async function normalisePendingNumbers(db: Kysely<Database>): Promise<number> {
  let done = 0;
  for (;;) {
    const { rows } = await sql<{ raw: string }>`
      SELECT raw FROM app.customer_numbers WHERE NOT normalised ORDER BY raw LIMIT ${NORMALISE_CHUNK}`.execute(
      db,
    );
    if (rows.length === 0) return done;
    const raw = rows.map((r) => r.raw);
    const e164 = raw.map((r) => normalisePhoneNumber(r));
    // The links' lock (sql/postgres/016_callback_links.sql) before any row lock: the update's
    // trigger recomputes links under it, and a writer holding it may be inserting these numbers
    // (ON CONFLICT waits on our rows), so taking it after the rows could deadlock.
    await sql`
      WITH serialised AS (SELECT app.lock_callback_links())
      UPDATE app.customer_numbers n SET e164 = x.e164, normalised = true
      FROM unnest(${raw}::text[], ${e164}::text[]) AS x(raw, e164), serialised
      WHERE n.raw = x.raw`.execute(db);
    done += rows.length;
    if (rows.length < NORMALISE_CHUNK) return done;
  }
}

interface Row {
  id: number;
  server_id: string;
  linkedid: string;
  direction: string;
  status: string;
  needs_callback: boolean;
  started_at: Date;
  number: string | null;
  e164: string | null;
  queue: string | null;
  operator_endpoint: string | null;
  reached_id: number | null;
  reached_direction: 'inbound' | 'outbound' | null;
  reached_started_at: Date | null;
  reached_operator: string | null;
  time_to_callback_sec: number | null;
  owed_total: number;
  done_total: number;
}

/** The callbacks `user` owes (and, with `includeDone`, those settled), oldest first. */
export async function listCallbacks(
  db: Kysely<Database>,
  user: AuthUser,
  options: CallbackListOptions,
): Promise<CallbackList> {
  await normalisePendingNumbers(db);
  // Reached again: stored per candidate when its calls were written (app.callback_links,
  // sql/postgres/016_callback_links.sql), with the candidate's scope fields: the totals count the
  // link rows in scope (aliased `c`, as callScope expects) and only the page's calls are read.
  const linkColumns = sql`l.call_id AS id, l.server_id, l.queue, l.queues, l.needs_callback, l.started_at,
    l.e164, l.reached_call_id AS reached_id, l.reached_direction, l.reached_at AS reached_started_at,
    l.reached_operator`;
  const listed = sql`(l.needs_callback OR l.e164 IS NOT NULL)`;
  // An operator's scope (their server, a participant row with their endpoint:
  // scope/call-scope.ts) drives the list: their participant rows (an index-only range), each
  // probing its link row. As a semi-join the planner hashed every link row instead (a sequential
  // scan growing with all candidates, not the operator's; docs/performance.md). OFFSET 0 keeps the
  // probe a nested loop; (call_id, endpoint) is the participants' key, so no call comes twice.
  const inScope =
    user.role === 'operator' && user.endpoint
      ? sql`FROM app.call_participants op_p
          CROSS JOIN LATERAL (
            SELECT ${linkColumns} FROM app.callback_links l
            WHERE l.call_id = op_p.call_id AND ${listed}
            OFFSET 0
          ) c
          WHERE op_p.server_id = ${user.serverId} AND op_p.endpoint = ${user.endpoint}
            AND c.server_id = ${user.serverId}`
      : sql`FROM (SELECT ${linkColumns} FROM app.callback_links l WHERE ${listed}) c
          WHERE ${callScope(user)}`;
  const { rows } = await sql<Row>`
    WITH judged AS (
      SELECT c.id, c.needs_callback, c.started_at, c.e164, c.reached_id, c.reached_direction,
             c.reached_started_at, c.reached_operator
      ${inScope}
    ),
    counted AS (
      SELECT j.*, count(*) FILTER (WHERE j.reached_id IS NULL) OVER () AS owed_total,
             count(*) FILTER (WHERE j.reached_id IS NOT NULL) OVER () AS done_total
      FROM judged j
    ),
    page AS (
      SELECT * FROM counted
      WHERE ${options.includeDone} OR reached_id IS NULL
      ORDER BY started_at, id
      LIMIT ${options.limit}
    )
    SELECT p.id, x.server_id, x.linkedid, x.direction, x.status, p.needs_callback, p.started_at,
           x.queue, x.operator_endpoint, ${customerNumber('x')} AS number, p.e164, p.reached_id,
           p.reached_direction, p.reached_started_at, p.reached_operator,
           extract(epoch FROM p.reached_started_at - p.started_at)::double precision AS time_to_callback_sec,
           p.owed_total, p.done_total
    FROM page p
    JOIN app.calls x ON x.id = p.id
    ORDER BY p.started_at, p.id`.execute(db);
  const first = rows[0];
  return {
    items: rows.map(toItem),
    // The window counts come with every row; no row at all means nothing owed (limit ≥ 1).
    owed: first ? Number(first.owed_total) : 0,
    done: options.includeDone ? (first ? Number(first.done_total) : 0) : null,
  };
}

function toItem(r: Row): CallbackItem {
  const reason: CallbackReason =
    r.direction === 'inbound' && (r.status === 'missed' || r.status === 'abandoned')
      ? (r.status as 'missed' | 'abandoned')
      : 'needs_callback';
  return {
    callId: Number(r.id),
    serverId: r.server_id,
    linkedid: r.linkedid,
    direction: r.direction,
    status: r.status,
    reason,
    needsCallback: r.needs_callback,
    startedAt: r.started_at.toISOString(),
    number: r.number,
    e164: r.e164,
    queue: r.queue,
    operatorEndpoint: r.operator_endpoint,
    timeToCallbackSec: r.reached_id === null ? null : r.time_to_callback_sec,
    reachedBy:
      r.reached_id === null
        ? null
        : {
            callId: Number(r.reached_id),
            direction: r.reached_direction!,
            startedAt: r.reached_started_at!.toISOString(),
            operatorEndpoint: r.reached_operator,
          },
  };
}
