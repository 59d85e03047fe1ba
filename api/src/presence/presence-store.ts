import type { Database } from '@callcenter/platform/database';
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { AuthUser } from '../auth/auth-user.ts';
import { operatorVisibleTo } from './queue-membership.ts';

/**
 * Operator presence in app.operator_presence (sql/postgres/006_operator_presence.sql): one row per
 * stretch of a state, the open row (`ended_at` NULL) being the current state. A change closes the
 * open row and opens the next at the same instant (the database's clock_timestamp()), so an
 * operator's rows never overlap (the table's exclusion constraint enforces it). An operator with
 * no row yet is shown as Asterisk treats them (`toItem` below): available when registered and
 * unpaused in a queue, else paused or offline.
 */

export type PresenceState = 'available' | 'paused' | 'offline';

/** One operator's current presence, as `GET /presence` lists it. */
export interface PresenceItem {
  operatorId: number;
  serverId: string;
  endpoint: string;
  name: string;
  state: PresenceState;
  /** The pause reason's code (GET /presence/reasons), null unless paused. */
  reason: string | null;
  /** The reason's label (`Обед`), null unless paused. */
  reasonLabel: string | null;
  /** When this state began, ISO 8601 UTC. */
  since: string;
  /** False: no state was ever set through the product; `state` is what Asterisk does (see below). */
  recorded: boolean;
  /** The phone's registration as Asterisk reports it (queue members' device state). */
  registration: Registration;
}

/** Whether an operator's phone is registered, as Asterisk's device state says. */
export type Registration = 'registered' | 'unregistered' | 'unknown';

/** An operator row as presence needs it. */
export interface OperatorRef {
  id: number;
  serverId: string;
  endpoint: string;
  name: string;
}

type OpenInterval = Selectable<Database['app.operator_presence']>;

interface PresenceRow {
  id: number | string;
  server_id: string;
  endpoint: string;
  name: string;
  created_at: Date;
  state: PresenceState | null;
  reason_code: string | null;
  label: string | null;
  started_at: Date | null;
  members: number | string;
  unpaused: boolean | null;
  registered: boolean | null;
  unregistered: boolean | null;
  asterisk_reason: string | null;
  asterisk_label: string | null;
}

/**
 * An operator's presence: the recorded state when there is one (the truth Asterisk is made to
 * follow, asterisk-presence.ts); else — nothing ever set, e.g. a new installation whose static
 * queue members Asterisk rings from the start — what Asterisk does with the operator's queue
 * memberships (app.queue_members from AMI): a registered, unpaused member is `available`, a member
 * paused in every queue is `paused` with Asterisk's reason, anything else `offline`. So an
 * operator whom Asterisk rings for a queue is never shown offline.
 */
const toItem = (row: PresenceRow): PresenceItem => {
  const registration: Registration = row.registered
    ? 'registered'
    : row.unregistered
      ? 'unregistered'
      : 'unknown';
  const base = {
    operatorId: Number(row.id),
    serverId: row.server_id,
    endpoint: row.endpoint,
    name: row.name,
    registration,
  };
  if (row.state)
    return {
      ...base,
      state: row.state,
      reason: row.reason_code,
      reasonLabel: row.label,
      since: row.started_at!.toISOString(),
      recorded: true,
    };
  const members = Number(row.members);
  const state: PresenceState =
    members > 0 && row.unpaused && registration !== 'unregistered'
      ? 'available'
      : members > 0 && row.unpaused === false
        ? 'paused'
        : 'offline';
  return {
    ...base,
    state,
    reason: state === 'paused' ? row.asterisk_reason : null,
    reasonLabel: state === 'paused' ? (row.asterisk_label ?? row.asterisk_reason) : null,
    since: row.created_at.toISOString(),
    recorded: false,
  };
};

/**
 * Current presence of the active operators `user` may see (admin: all; supervisor: members of
 * their queues, queue-membership.ts; operator: themself), by server and endpoint; `operatorId`
 * narrows to one.
 */
export async function listPresence(
  db: Kysely<Database> | Transaction<Database>,
  user: AuthUser,
  operatorId?: number,
): Promise<PresenceItem[]> {
  const { rows } = await sql<PresenceRow>`
    SELECT o.id, o.server_id, o.endpoint, o.name, o.created_at,
           p.state, p.reason_code, r.label, p.started_at,
           m.members, m.unpaused, m.registered, m.unregistered, m.asterisk_reason, ar.label AS asterisk_label
    FROM app.operators o
    LEFT JOIN app.operator_presence p ON p.operator_id = o.id AND p.ended_at IS NULL
    LEFT JOIN app.presence_reasons r ON r.code = p.reason_code
    -- Device states (AST_DEVICE_*): 4 invalid, 5 unavailable = not registered; 0 = unknown.
    CROSS JOIN LATERAL (
      SELECT count(*) AS members,
             bool_or(NOT qm.paused) AS unpaused,
             bool_or(qm.device_status IN (1, 2, 3, 6, 7, 8)) AS registered,
             bool_and(qm.device_status IN (4, 5)) AS unregistered,
             min(qm.paused_reason) FILTER (WHERE qm.paused) AS asterisk_reason
      FROM app.queue_members qm
      WHERE qm.server_id = o.server_id AND qm.endpoint = o.endpoint) m
    LEFT JOIN app.presence_reasons ar ON ar.code = m.asterisk_reason
    WHERE o.active AND ${operatorVisibleTo(user)}
      ${operatorId === undefined ? sql`` : sql`AND o.id = ${operatorId}`}
    ORDER BY o.server_id, o.endpoint`.execute(db);
  return rows.map(toItem);
}

/** The active operator `user` may see with this id, or undefined. */
export async function findVisibleOperator(
  db: Kysely<Database>,
  user: AuthUser,
  operatorId: number,
): Promise<OperatorRef | undefined> {
  const { rows } = await sql<{ id: string | number; server_id: string; endpoint: string; name: string }>`
    SELECT o.id, o.server_id, o.endpoint, o.name FROM app.operators o
    WHERE o.id = ${operatorId} AND o.active AND ${operatorVisibleTo(user)}`.execute(db);
  const row = rows[0];
  return row && { id: Number(row.id), serverId: row.server_id, endpoint: row.endpoint, name: row.name };
}

/** The active operator of a phone endpoint on a server (an operator user's own), or undefined. */
export async function findOperatorByEndpoint(
  db: Kysely<Database>,
  serverId: string,
  endpoint: string,
): Promise<OperatorRef | undefined> {
  const row = await db
    .selectFrom('app.operators')
    .select(['id', 'server_id', 'endpoint', 'name'])
    .where('server_id', '=', serverId)
    .where('endpoint', '=', endpoint)
    .where('active', '=', true)
    .executeTakeFirst();
  return row && { id: Number(row.id), serverId: row.server_id, endpoint: row.endpoint, name: row.name };
}

/** Locks the operator's row for the transaction (changes of one operator are serialised). */
export async function lockOperator(trx: Transaction<Database>, operatorId: number): Promise<void> {
  await trx.selectFrom('app.operators').select('id').where('id', '=', operatorId).forUpdate().execute();
}

/** The operator's current (open) interval, or undefined (never set: offline). */
export async function openInterval(
  db: Kysely<Database> | Transaction<Database>,
  operatorId: number,
): Promise<OpenInterval | undefined> {
  return db
    .selectFrom('app.operator_presence')
    .selectAll()
    .where('operator_id', '=', operatorId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
}

/**
 * A change of an operator's presence to record: the operator, the new state, the pause reason
 * (paused only), who made it, and whether Asterisk applied it (with a note when not).
 */
export interface Transition {
  operatorId: number;
  state: PresenceState;
  reasonCode: string | null;
  setBy: { id: number | null; login: string };
  asterisk: { applied: boolean; note: string | null };
}

/**
 * Records a presence change inside the caller's transaction (which holds `lockOperator`): closes
 * the open interval and opens the new one at the same instant. The same state and reason again is
 * no new interval (only the Asterisk outcome is refreshed when it is now applied). Returns whether
 * the state changed.
 */
export async function recordTransition(trx: Transaction<Database>, t: Transition): Promise<boolean> {
  const open = await openInterval(trx, t.operatorId);
  if (open && open.state === t.state && open.reason_code === t.reasonCode) {
    if (t.asterisk.applied && !open.asterisk_applied) {
      await trx
        .updateTable('app.operator_presence')
        .set({ asterisk_applied: true, asterisk_note: null })
        .where('id', '=', open.id)
        .execute();
    }
    return false;
  }
  const { rows } = await sql<{ now: Date }>`SELECT clock_timestamp() AS now`.execute(trx);
  const now = rows[0]!.now;
  const values = {
    state: t.state,
    reason_code: t.reasonCode,
    set_by_user_id: t.setBy.id,
    set_by_login: t.setBy.login,
    asterisk_applied: t.asterisk.applied,
    asterisk_note: t.asterisk.note,
  };
  if (open && now.getTime() <= new Date(open.started_at).getTime()) {
    // Two changes within the clock's resolution: the later one replaces the empty stretch.
    await trx.updateTable('app.operator_presence').set(values).where('id', '=', open.id).execute();
    return true;
  }
  if (open) {
    await trx.updateTable('app.operator_presence').set({ ended_at: now }).where('id', '=', open.id).execute();
  }
  await trx
    .insertInto('app.operator_presence')
    .values({ ...values, operator_id: t.operatorId, started_at: now, ended_at: null })
    .execute();
  return true;
}
