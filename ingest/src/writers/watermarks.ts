import type { Database } from '@callcenter/platform/database';
import type { Kysely } from 'kysely';
import type pg from 'pg';

/**
 * Watermarks: per Asterisk server and source table, the id up to which every row is accounted
 * for (written into a final call, quarantined, or not needed). Rows of calls still open stay
 * above it, so a restart re-reads them and loses nothing.
 */
export type WatermarkSource = 'cel' | 'cdr';

/** The watermark of one server and table; 0 when none was written yet. */
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

/** Moves a watermark on `client`, inside the transaction that wrote what it accounts for. */
export async function advanceWatermark(
  client: pg.PoolClient,
  source: WatermarkSource,
  serverId: string,
  lastId: number,
): Promise<void> {
  await client.query(
    `INSERT INTO app.watermarks (source, server_id, last_id) VALUES ($1, $2, $3)
     ON CONFLICT (source, server_id) DO UPDATE SET last_id = EXCLUDED.last_id, updated_at = now()`,
    [source, serverId, lastId],
  );
}
