import type { QueueMemberInfo } from '@callcenter/asterisk/ami';
import type { Database } from '@callcenter/platform/database';
import { type Kysely, sql } from 'kysely';

/**
 * Writes of app.queue_members, Asterisk's queue membership as AMI reports it (one row per server,
 * queue and member interface). `replaceServerMembers` runs at every AMI (re)connection with the
 * QueueStatus list, so rows of members removed while the link was down disappear.
 */

const row = (serverId: string, m: QueueMemberInfo) => ({
  server_id: serverId,
  queue: m.queue,
  interface: m.memberInterface,
  endpoint: m.endpoint,
  membership: m.membership,
  paused: m.paused,
  paused_reason: m.pausedReason,
  device_status: m.deviceStatus,
  updated_at: new Date(),
});

/** Replaces every row of the server with `members`, in one transaction. */
export async function replaceServerMembers(
  db: Kysely<Database>,
  serverId: string,
  members: readonly QueueMemberInfo[],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('app.queue_members').where('server_id', '=', serverId).execute();
    if (members.length === 0) return;
    // One row per (queue, interface): the last item wins should Asterisk list a member twice.
    const unique = new Map(members.map((m) => [`${m.queue}\u0000${m.memberInterface}`, m]));
    await trx
      .insertInto('app.queue_members')
      .values([...unique.values()].map((m) => row(serverId, m)))
      .execute();
  });
}

/** Inserts or updates one member (QueueMemberAdded, QueueMemberPause, QueueMemberStatus). */
export async function upsertMember(
  db: Kysely<Database>,
  serverId: string,
  m: QueueMemberInfo,
): Promise<void> {
  const values = row(serverId, m);
  await db
    .insertInto('app.queue_members')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['server_id', 'queue', 'interface']).doUpdateSet({
        endpoint: values.endpoint,
        membership: values.membership,
        paused: values.paused,
        paused_reason: values.paused_reason,
        // An event without a Status (older QueueMemberPause) keeps the last known device state.
        device_status:
          values.device_status === null
            ? sql<number | null>`app.queue_members.device_status`
            : values.device_status,
        updated_at: values.updated_at,
      }),
    )
    .execute();
}

/** Deletes one member (QueueMemberRemoved). */
export async function removeMember(
  db: Kysely<Database>,
  serverId: string,
  queue: string,
  memberInterface: string,
): Promise<void> {
  await db
    .deleteFrom('app.queue_members')
    .where('server_id', '=', serverId)
    .where('queue', '=', queue)
    .where('interface', '=', memberInterface)
    .execute();
}
