import type { CallsTable, Database } from '@callcenter/platform/database';
import { type Expression, expressionBuilder, type SqlBool, sql } from 'kysely';
import type { AuthUser } from '../auth/auth-user.ts';

/**
 * Which calls a user may see, as one SQL predicate over app.calls aliased `c` (docs/roles.md#scope). Every query that reads or writes calls for a user adds it, so a call outside the scope
 * is simply not found (the routes answer 404, never 403: existence is not revealed).
 *
 * - operator: calls on their server where they are the operator, where they were rung (an
 *   attempt with their endpoint) or where they were on a leg (a segment with their endpoint):
 *   app.call_participants; an operator without an endpoint sees nothing;
 * - supervisor: calls on their server whose `queue`, or any queue the call went through
 *   (`queues`), is one of theirs; none without queues;
 * - admin: every call.
 */

/** The alias every scoped query gives app.calls: `selectFrom('app.calls as c')`. */
export const CALL_ALIAS = 'c';

/** The database as scoped queries see it: app.calls also under the alias `c`. */
export type ScopedDatabase = Database & { c: CallsTable };

/** The scope predicate for `user`, to pass to `.where(...)` of a query over `app.calls as c`. */
export function callScope(user: AuthUser): Expression<SqlBool> {
  const eb = expressionBuilder<ScopedDatabase, 'c'>();
  const never = sql<SqlBool>`false`;
  switch (user.role) {
    case 'admin':
      return sql<SqlBool>`true`;
    case 'operator': {
      if (!user.endpoint) return never;
      const endpoint = user.endpoint;
      // Every endpoint that took part in a call (its operator, every attempt, every segment) has
      // a row in app.call_participants, kept by the writers' transactions
      // (sql/postgres/010_call_participants.sql): one probe of its (call_id, endpoint) key per
      // call, or one range of its (server_id, endpoint, started_at) index per operator.
      // `operator_endpoint = $1 OR EXISTS (attempts …)` could use neither and hashed all of an
      // operator's attempts on every page (docs/performance.md).
      return eb.and([
        eb('c.server_id', '=', user.serverId),
        eb.exists(
          eb
            .selectFrom('app.call_participants as scope_p')
            .select(sql`1`.as('one'))
            .whereRef('scope_p.call_id', '=', 'c.id')
            .where('scope_p.server_id', '=', user.serverId)
            .where('scope_p.endpoint', '=', endpoint),
        ),
      ]);
    }
    case 'supervisor': {
      if (user.queues.length === 0) return never;
      return eb.and([
        eb('c.server_id', '=', user.serverId),
        eb.or([
          eb('c.queue', 'in', user.queues),
          sql<SqlBool>`${sql.ref('c.queues')} && ${user.queues}::text[]`,
        ]),
      ]);
    }
    default: {
      // A role this code does not know sees nothing.
      const unknown: never = user.role;
      void unknown;
      return never;
    }
  }
}
