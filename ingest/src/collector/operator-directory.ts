import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { OperatorDirectory } from '../reconcile/types.ts';

/**
 * Operators' endpoints per server, from app.operators (active rows): the only way the product
 * tells an operator's phone from a trunk (seed 003: "нет API для получения списка операторов").
 */
export async function loadOperatorDirectory(db: Kysely<Database>): Promise<OperatorDirectory> {
  const rows = await db
    .selectFrom('app.operators')
    .select(['server_id', 'endpoint'])
    .where('active', '=', true)
    .execute();
  const keys = new Set(rows.map((r) => `${r.server_id}\u0000${r.endpoint}`));
  return (serverId, endpoint) => keys.has(`${serverId}\u0000${endpoint}`);
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
