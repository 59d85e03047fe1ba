import { type BuiltQuery, toClickHouseDateTime } from './built-query.ts';

/**
 * The role scope and filters every report over `call_facts` applies. Every table is read with
 * `FINAL` (ReplacingMergeTree: versions and tombstones are hidden only at merge time), and every
 * query is limited to the caller's role scope (docs/roles.md#scope):
 * - admin: everything (optionally one server);
 * - supervisor: `queue IN {queues}` on their server (no queues: nothing);
 * - operator: calls on their server where they are the operator or were rung (an attempt_facts
 *   row with their endpoint); no endpoint: nothing.
 */

/** Who is asking, as the report scope needs it (a subset of the API's AuthUser). */
export interface ReportScope {
  role: 'operator' | 'supervisor' | 'admin';
  /** Asterisk server of the user's endpoint and queues. */
  serverId: string;
  /** Operator's phone endpoint (`101`), or null. */
  endpoint: string | null;
  /** Queues a supervisor may see. */
  queues: readonly string[];
}

/** Row filters shared by the facts and rollup reports; the period is half-open [from, to). */
export interface FactFilters {
  from: Date;
  to: Date;
  queue?: string;
  operator?: string;
  direction?: string;
  status?: string;
  /** Limit to one Asterisk server (meaningful for admins; others are already limited to theirs). */
  server?: string;
}

/**
 * The WHERE conditions over `call_facts` for a period, the filters and the caller's scope, with
 * their parameters. `false` (no rows) for an operator without an endpoint or a supervisor
 * without queues.
 */
export function callFactsWhere(scope: ReportScope, filters: FactFilters): BuiltQuery {
  const params: Record<string, unknown> = {
    from: toClickHouseDateTime(filters.from),
    to: toClickHouseDateTime(filters.to),
  };
  const range = "started_at >= {from:DateTime64(3, 'UTC')} AND started_at < {to:DateTime64(3, 'UTC')}";
  const where = [range];
  switch (scope.role) {
    case 'admin':
      break;
    case 'supervisor':
      if (scope.queues.length === 0) {
        where.push('0');
        break;
      }
      where.push('server_id = {scope_server:String}', 'queue IN {scope_queues:Array(String)}');
      params.scope_server = scope.serverId;
      params.scope_queues = [...scope.queues];
      break;
    case 'operator':
      if (!scope.endpoint) {
        where.push('0');
        break;
      }
      where.push(
        'server_id = {scope_server:String}',
        `(operator = {scope_endpoint:String} OR linkedid IN (SELECT linkedid FROM attempt_facts FINAL WHERE server_id = {scope_server:String} AND operator = {scope_endpoint:String} AND call_started_at >= {from:DateTime64(3, 'UTC')} AND call_started_at < {to:DateTime64(3, 'UTC')}))`,
      );
      params.scope_server = scope.serverId;
      params.scope_endpoint = scope.endpoint;
      break;
    default: {
      const unknown: never = scope.role;
      throw new Error(`unknown role ${String(unknown)}`);
    }
  }
  for (const name of ['queue', 'operator', 'direction', 'status'] as const) {
    const value = filters[name];
    if (value !== undefined) {
      where.push(`${name} = {f_${name}:String}`);
      params[`f_${name}`] = value;
    }
  }
  if (filters.server !== undefined) {
    where.push('server_id = {f_server:String}');
    params.f_server = filters.server;
  }
  return { query: where.join('\n  AND '), query_params: params };
}
