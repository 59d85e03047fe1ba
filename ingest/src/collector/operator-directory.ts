import type { Database } from '@callcenter/platform/database';
import type { Kysely } from 'kysely';
import type { OperatorDirectory } from '../reconcile/types.ts';

/**
 * Operators' endpoints per server, from app.operators (active rows): the only way the product
 * tells an operator's phone from a trunk (docs/reconciliation.md#participants).
 */
export interface Operators {
  isOperator: OperatorDirectory;
  /** Operator ids by endpoint, per server. */
  idsOf(serverId: string): ReadonlyMap<string, number>;
}

/** Reads the active operators of every server from app.operators. */
export async function loadOperators(db: Kysely<Database>): Promise<Operators> {
  const rows = await db
    .selectFrom('app.operators')
    .select(['id', 'server_id', 'endpoint'])
    .where('active', '=', true)
    .execute();
  const byServer = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const ids = byServer.get(r.server_id) ?? new Map<string, number>();
    ids.set(r.endpoint, r.id);
    byServer.set(r.server_id, ids);
  }
  const none = new Map<string, number>();
  return {
    isOperator: (serverId, endpoint) => byServer.get(serverId)?.has(endpoint) ?? false,
    idsOf: (serverId) => byServer.get(serverId) ?? none,
  };
}

/** Registers operators' endpoints for a server (idempotent); names default to "Operator <endpoint>". */
export async function registerOperators(
  db: Kysely<Database>,
  serverId: string,
  endpoints: readonly string[],
): Promise<void> {
  if (endpoints.length === 0) return;
  await db
    .insertInto('app.operators')
    .values(endpoints.map((endpoint) => ({ server_id: serverId, endpoint, name: `Operator ${endpoint}` })))
    .onConflict((oc) => oc.columns(['server_id', 'endpoint']).doNothing())
    .execute();
}
