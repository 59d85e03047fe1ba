import type { CallsTable, Database } from '@callcenter/platform/database';
import { type Expression, expressionBuilder, type SqlBool, sql } from 'kysely';
import type { AuthUser } from '../auth/auth-user.ts';

/**
 * Which calls a user may see, as one SQL predicate over app.calls aliased `c` (docs/roles.md#scope). Every query that reads or writes calls for a user adds it, so a call outside the scope
 * is simply not found (the routes answer 404, never 403: existence is not revealed).
 *
 * - operator: calls on their server where they are the operator, or where they were rung (an
 *   attempt with their endpoint); an operator without an endpoint sees nothing;
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
      // A correlated EXISTS (one probe of call_attempts' (call_id, seq) key per call) rather than
      // `id IN (…)`: with hundreds of thousands of attempts the IN set does not fit work_mem and
      // Postgres falls back to scanning it for every call (minutes at 1M calls, bench:api); the
      // probe also stops early under ORDER BY … LIMIT.
      return eb.and([
        eb('c.server_id', '=', user.serverId),
        eb.or([
          eb('c.operator_endpoint', '=', endpoint),
          eb.exists(
            eb
              .selectFrom('app.call_attempts as scope_a')
              .select(sql`1`.as('one'))
              .whereRef('scope_a.call_id', '=', 'c.id')
              .where('scope_a.operator_endpoint', '=', endpoint),
          ),
        ]),
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
