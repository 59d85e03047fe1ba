import type { Database } from '@callcenter/platform/database';
import type { Kysely, Selectable } from 'kysely';
import type { AuthUser } from '../../auth/auth-user.ts';
import { notFound } from '../../errors/api-error.ts';
import { type AdminActor, writeAdminChange } from '../dictionaries/audit-change.ts';

/**
 * Queue settings in app.queues: rows appear when the collector first sees a queue in calls
 * (display name = Asterisk name); admins set the display name, the report time zone and the
 * service-level threshold. Supervisors see only their own queues.
 */
export interface QueueItem {
  id: number;
  serverId: string;
  name: string;
  displayName: string;
  timeZone: string;
  serviceLevelSec: number;
}

/**
 * A change to a queue's settings: display name, IANA time zone, service-level threshold in
 * seconds.
 */
export interface QueueUpdate {
  displayName?: string;
  timeZone?: string;
  serviceLevelSec?: number;
}

const COLUMNS = ['id', 'server_id', 'name', 'display_name', 'time_zone', 'service_level_sec'] as const;

const toItem = (row: Pick<Selectable<Database['app.queues']>, (typeof COLUMNS)[number]>): QueueItem => ({
  id: row.id,
  serverId: row.server_id,
  name: row.name,
  displayName: row.display_name,
  timeZone: row.time_zone,
  serviceLevelSec: row.service_level_sec,
});

/**
 * The queues `user` may see (admin: all; supervisor: theirs on their server; operator: every queue
 * of their server, read-only — they need its display name and zone to show their calls), by server
 * and name.
 */
export async function listQueues(db: Kysely<Database>, user: AuthUser): Promise<QueueItem[]> {
  let query = db.selectFrom('app.queues').select(COLUMNS);
  if (user.role === 'operator') {
    query = query.where('server_id', '=', user.serverId);
  } else if (user.role !== 'admin') {
    if (user.queues.length === 0) return [];
    query = query.where('server_id', '=', user.serverId).where('name', 'in', user.queues);
  }
  const rows = await query.orderBy('server_id').orderBy('name').execute();
  return rows.map(toItem);
}

/** Changes a queue's settings with an audit row (`queue_change`) in one transaction; 404 unknown id. */
export async function updateQueue(
  db: Kysely<Database>,
  actor: AdminActor,
  id: number,
  input: QueueUpdate,
): Promise<QueueItem> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('app.queues')
      .select(COLUMNS)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound(`no queue with id ${id}`);
    const before = toItem(row);
    const after = toItem(
      await trx
        .updateTable('app.queues')
        .set({
          ...(input.displayName !== undefined ? { display_name: input.displayName } : {}),
          ...(input.timeZone !== undefined ? { time_zone: input.timeZone } : {}),
          ...(input.serviceLevelSec !== undefined ? { service_level_sec: input.serviceLevelSec } : {}),
        })
        .where('id', '=', id)
        .returning(COLUMNS)
        .executeTakeFirstOrThrow(),
    );
    if (JSON.stringify(after) !== JSON.stringify(before)) {
      await writeAdminChange(trx, actor, 'queue_change', `queues:${id}`, { op: 'update', before, after });
    }
    return after;
  });
}

/**
 * The installation's zone for `user`: their Asterisk server's (`ASTERISK_SERVERS` id:schema:zone,
 * app.asterisk_servers.time_zone), else UTC. Times of calls without a queue are shown in it.
 */
export async function installationTimeZone(db: Kysely<Database>, user: AuthUser): Promise<string> {
  const row = await db
    .selectFrom('app.asterisk_servers')
    .select('time_zone')
    .where('id', '=', user.serverId)
    .executeTakeFirst();
  return row?.time_zone ?? 'UTC';
}
