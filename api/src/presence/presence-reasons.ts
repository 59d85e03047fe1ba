import type { Database } from '@callcenter/platform/database';
import type { Kysely, Transaction } from 'kysely';
import { audit } from '../audit/audit-log.ts';
import { conflict, notFound } from '../errors/api-error.ts';
import type { AdminActor } from '../routes/dictionaries/audit-change.ts';

/**
 * Pause reasons (app.presence_reasons, seeded by sql/postgres/006_operator_presence.sql with the
 * Russian labels: Обед, Перерыв, Постобработка вызова, Обучение, Совещание, …). The code is what
 * Asterisk gets as QueuePause `Reason` (queue_log, QueueMemberPause) and what presence rows keep,
 * so it never changes; admins add reasons, relabel and reorder them, and remove them (soft: old
 * intervals keep their reason; a removed code may be added again, which restores it). Every change
 * is audited as `presence_reason_change` with `{op, before, after}` in its transaction.
 */
export interface PresenceReason {
  code: string;
  label: string;
}

/** A reason as admins manage it. */
export interface PresenceReasonEntry extends PresenceReason {
  sortOrder: number;
}

const COLUMNS = ['code', 'label', 'sort_order'] as const;
const entry = (row: { code: string; label: string; sort_order: number }): PresenceReasonEntry => ({
  code: row.code,
  label: row.label,
  sortOrder: row.sort_order,
});

/** Reasons one may pause with now (not removed), in display order. */
export async function listReasons(db: Kysely<Database> | Transaction<Database>): Promise<PresenceReason[]> {
  return db
    .selectFrom('app.presence_reasons')
    .select(['code', 'label'])
    .where('deleted_at', 'is', null)
    .orderBy('sort_order')
    .orderBy('code')
    .execute();
}

/**
 * Adds a reason (or restores a removed one with this code, with the new label and order).
 * @throws ApiError 409 when a live reason has the code.
 */
export async function createReason(
  db: Kysely<Database>,
  actor: AdminActor,
  input: PresenceReasonEntry,
): Promise<PresenceReasonEntry> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('app.presence_reasons')
      .select([...COLUMNS, 'deleted_at'])
      .where('code', '=', input.code)
      .forUpdate()
      .executeTakeFirst();
    if (existing && existing.deleted_at === null) throw conflict(`the reason ${input.code} exists`);
    const values = { label: input.label, sort_order: input.sortOrder, deleted_at: null };
    const row = existing
      ? await trx
          .updateTable('app.presence_reasons')
          .set(values)
          .where('code', '=', input.code)
          .returning(COLUMNS)
          .executeTakeFirstOrThrow()
      : await trx
          .insertInto('app.presence_reasons')
          .values({ ...values, code: input.code })
          .returning(COLUMNS)
          .executeTakeFirstOrThrow();
    const after = entry(row);
    await record(trx, actor, input.code, existing ? 'restore' : 'create', null, after);
    return after;
  });
}

/** Relabels or reorders a live reason. @throws ApiError 404 for an unknown or removed code. */
export async function updateReason(
  db: Kysely<Database>,
  actor: AdminActor,
  code: string,
  input: { label?: string; sortOrder?: number },
): Promise<PresenceReasonEntry> {
  return db.transaction().execute(async (trx) => {
    const before = await liveReason(trx, code);
    const row = await trx
      .updateTable('app.presence_reasons')
      .set({
        ...(input.label !== undefined ? { label: input.label } : {}),
        ...(input.sortOrder !== undefined ? { sort_order: input.sortOrder } : {}),
      })
      .where('code', '=', code)
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    const after = entry(row);
    await record(trx, actor, code, 'update', before, after);
    return after;
  });
}

/** Removes a live reason (soft). @throws ApiError 404 for an unknown or removed code. */
export async function deleteReason(db: Kysely<Database>, actor: AdminActor, code: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await liveReason(trx, code);
    await trx
      .updateTable('app.presence_reasons')
      .set({ deleted_at: new Date() })
      .where('code', '=', code)
      .execute();
    await record(trx, actor, code, 'delete', before, null);
  });
}

async function liveReason(trx: Transaction<Database>, code: string): Promise<PresenceReasonEntry> {
  const row = await trx
    .selectFrom('app.presence_reasons')
    .select(COLUMNS)
    .where('code', '=', code)
    .where('deleted_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound(`no pause reason ${code}`);
  return entry(row);
}

function record(
  trx: Transaction<Database>,
  actor: AdminActor,
  code: string,
  op: 'create' | 'restore' | 'update' | 'delete',
  before: PresenceReasonEntry | null,
  after: PresenceReasonEntry | null,
) {
  return audit(trx, {
    user: { id: actor.user.id, login: actor.user.login },
    action: 'presence_reason_change',
    target: `presence_reasons:${code}`,
    ip: actor.ip,
    details: { op, before, after },
  });
}
