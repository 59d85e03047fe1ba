import type { Database } from '@callcenter/platform/database';
import { type Expression, type Kysely, type SqlBool, sql, type Transaction } from 'kysely';
import type { AuthUser } from '../auth/auth-user.ts';

/**
 * Which queues an operator serves — what a supervisor's presence scope is made of. Two sources,
 * united:
 *
 * 1. app.queue_members: what Asterisk says over AMI (QueueStatus at every connection, then
 *    QueueMemberAdded/Removed events; see asterisk-presence.ts). Exact, but only where AMI is
 *    configured.
 * 2. The calls history: a queue rang the operator's phone (app.call_attempts.queue) in the last
 *    {@link MEMBERSHIP_HISTORY_DAYS} days. Works without AMI (the demo, a server whose AMI is down)
 *    and covers members that AMI has not reported yet.
 *
 * A supervisor sees the operators serving at least one of their queues on their server.
 */

/** How far back a ring from a queue makes the operator one of its members. */
export const MEMBERSHIP_HISTORY_DAYS = 90;

/** Queues of one operator's endpoint on a server, by name. */
export async function queuesOfOperator(
  db: Kysely<Database> | Transaction<Database>,
  serverId: string,
  endpoint: string,
): Promise<string[]> {
  const { rows } = await sql<{ queue: string }>`
    SELECT queue FROM app.queue_members WHERE server_id = ${serverId} AND endpoint = ${endpoint}
    UNION
    SELECT a.queue FROM app.call_attempts a JOIN app.calls c ON c.id = a.call_id
    WHERE a.operator_endpoint = ${endpoint}
      AND a.rang_at > now() - make_interval(days => ${MEMBERSHIP_HISTORY_DAYS})
      AND a.queue IS NOT NULL AND c.server_id = ${serverId}
    ORDER BY 1`.execute(db);
  return rows.map((r) => r.queue);
}

/**
 * The SQL condition "operator `o` (an alias of app.operators) is visible to `user`": admin all;
 * operator their own endpoint on their server; supervisor the members of their queues (both
 * sources above; the history check is an EXISTS per operator over call_attempts_operator_idx).
 */
export function operatorVisibleTo(user: AuthUser, alias = 'o'): Expression<SqlBool> {
  const o = sql.table(alias);
  switch (user.role) {
    case 'admin':
      return sql<SqlBool>`true`;
    case 'operator':
      if (user.endpoint === null) return sql<SqlBool>`false`;
      return sql<SqlBool>`(${o}.server_id = ${user.serverId} AND ${o}.endpoint = ${user.endpoint})`;
    case 'supervisor': {
      if (user.queues.length === 0) return sql<SqlBool>`false`;
      const queues = sql`${sql.val(user.queues)}::text[]`;
      return sql<SqlBool>`(${o}.server_id = ${user.serverId} AND (
        EXISTS (SELECT 1 FROM app.queue_members qm
                WHERE qm.server_id = ${o}.server_id AND qm.endpoint = ${o}.endpoint
                  AND qm.queue = ANY(${queues}))
        OR EXISTS (SELECT 1 FROM app.call_attempts a JOIN app.calls c ON c.id = a.call_id
                   WHERE a.operator_endpoint = ${o}.endpoint
                     AND a.rang_at > now() - make_interval(days => ${MEMBERSHIP_HISTORY_DAYS})
                     AND a.queue = ANY(${queues}) AND c.server_id = ${o}.server_id)))`;
    }
    default: {
      const unknown: never = user.role;
      void unknown;
      return sql<SqlBool>`false`;
    }
  }
}

/** The member interfaces Asterisk reported for an endpoint (QueuePause's `Interface`), sorted. */
export async function memberInterfacesOf(
  db: Kysely<Database> | Transaction<Database>,
  serverId: string,
  endpoint: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('app.queue_members')
    .select('interface')
    .distinct()
    .where('server_id', '=', serverId)
    .where('endpoint', '=', endpoint)
    .orderBy('interface')
    .execute();
  return rows.map((r) => r.interface);
}
