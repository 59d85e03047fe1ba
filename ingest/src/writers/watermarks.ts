import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';

/**
 * Watermarks: per Asterisk server and source table, the id up to which every row is accounted
 * for (written into a final call, quarantined, or not needed). Rows of calls still open stay
 * above it, so a restart re-reads them and loses nothing.
 */
export type WatermarkSource = 'cel' | 'cdr';

export async function readWatermark(
  db: Kysely<Database>,
  source: WatermarkSource,
  serverId: string,
): Promise<number> {
  const row = await db
    .selectFrom('app.watermarks')
    .select('last_id')
    .where('source', '=', source)
    .where('server_id', '=', serverId)
    .executeTakeFirst();
  return row?.last_id ?? 0;
}

export async function advanceWatermark(
  trx: Kysely<Database>,
  source: WatermarkSource,
  serverId: string,
  lastId: number,
): Promise<void> {
  await trx
    .insertInto('app.watermarks')
    .values({ source, server_id: serverId, last_id: lastId })
    .onConflict((oc) =>
      oc.columns(['source', 'server_id']).doUpdateSet({ last_id: lastId, updated_at: new Date() }),
    )
    .execute();
}
