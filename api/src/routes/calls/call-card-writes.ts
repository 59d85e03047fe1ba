import { randomUUID } from 'node:crypto';
import type { Database } from '@callcenter/platform/database';
import { type Kysely, sql } from 'kysely';
import { audit } from '../../audit/audit-log.ts';
import type { AuthUser } from '../../auth/auth-user.ts';
import { ApiError, conflict, forbidden, notFound } from '../../errors/api-error.ts';
import { callScope } from '../../scope/call-scope.ts';
import { type Db, getCallCard } from './call-repository.ts';
import type { CallCard, CreateCallBody, UpdateCardBody } from './call-schemas.ts';
import { applyCardInput, type CardState, cardChanges, checkCard, EMPTY_CARD } from './card-rules.ts';

/**
 * Card edits and manual calls. Each runs in one transaction that also queues the call in
 * app.outbox (so its facts are re-shipped to ClickHouse with the new version) and writes the audit
 * row. The call row is locked while the edit is checked, and every statement carries the user's
 * scope.
 */

/** Who is writing and from where (for the audit log). */
export interface Writer {
  user: AuthUser;
  ip: string | null;
}

const notFoundCall = (id: number) => notFound(`no call ${id}`);

async function setTags(db: Db, callId: number, before: number[], after: number[]) {
  const removed = before.filter((t) => !after.includes(t));
  const added = after.filter((t) => !before.includes(t));
  if (removed.length) {
    await db
      .deleteFrom('app.call_tag_links')
      .where('call_id', '=', callId)
      .where('tag_id', 'in', removed)
      .execute();
  }
  if (added.length) {
    await db
      .insertInto('app.call_tag_links')
      .values(added.map((tag_id) => ({ call_id: callId, tag_id })))
      .execute();
  }
}

/** The card columns of `next`, for an INSERT or UPDATE of app.calls. */
function cardColumns(next: CardState, completedAt: Date | null, login: string) {
  return {
    purpose_id: next.purpose_id,
    category_id: next.category_id,
    subcategory_id: next.subcategory_id,
    notes: next.notes,
    needs_callback: next.needs_callback,
    resolved_first_call: next.resolved_first_call,
    card_completed_at: completedAt,
    card_updated_at: new Date(),
    card_updated_by: login,
  };
}

/**
 * Applies a card edit to call `id` (PUT /calls/{id}). 404 outside the scope; 409 with the current
 * card when `input.version` is not the saved one; 400/422 by card-rules. A save that changes
 * nothing writes nothing and returns the card as it is.
 */
export async function updateCard(
  db: Kysely<Database>,
  writer: Writer,
  id: number,
  input: UpdateCardBody,
): Promise<CallCard> {
  const { user } = writer;
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('app.calls as c')
      .where(callScope(user))
      .where('c.id', '=', id)
      .select([
        'c.version',
        'c.purpose_id',
        'c.category_id',
        'c.subcategory_id',
        'c.notes',
        'c.needs_callback',
        'c.resolved_first_call',
        'c.card_completed_at',
      ])
      .forUpdate('c')
      .executeTakeFirst();
    if (!row) throw notFoundCall(id);
    if (row.version !== input.version) {
      const card = await getCallCard(trx, user, id);
      throw conflict(`the card was changed (version ${row.version}, yours ${input.version}): reload it`, {
        currentVersion: row.version,
        card,
      });
    }
    const tags = await trx
      .selectFrom('app.call_tag_links as tl')
      .innerJoin('app.calls as c', 'c.id', 'tl.call_id')
      .where(callScope(user))
      .where('tl.call_id', '=', id)
      .select('tl.tag_id')
      .execute();
    const current: CardState = {
      purpose_id: row.purpose_id,
      category_id: row.category_id,
      subcategory_id: row.subcategory_id,
      tag_ids: tags.map((t) => t.tag_id),
      notes: row.notes,
      needs_callback: row.needs_callback,
      resolved_first_call: row.resolved_first_call,
      complete: row.card_completed_at !== null,
    };
    const { version: _version, ...fields } = input;
    const next = applyCardInput(current, fields);
    await checkCard(trx, current, next);
    const changes = cardChanges(current, next);
    if (Object.keys(changes).length === 0) {
      const card = await getCallCard(trx, user, id);
      if (!card) throw notFoundCall(id);
      return card;
    }

    const completedAt = next.complete ? (row.card_completed_at ?? new Date()) : null;
    const updated = await trx
      .updateTable('app.calls as c')
      .set((eb) => ({
        ...cardColumns(next, completedAt, user.login),
        version: eb('c.version', '+', 1),
        updated_at: sql<Date>`now()`,
      }))
      .where(callScope(user))
      .where('c.id', '=', id)
      .where('c.version', '=', input.version)
      .returning('c.version')
      .executeTakeFirst();
    if (!updated) throw notFoundCall(id);
    await setTags(trx, id, current.tag_ids, next.tag_ids);
    await trx.insertInto('app.outbox').values({ call_id: id, version: updated.version }).execute();
    await audit(trx, {
      user,
      action: 'card_edit',
      target: `call:${id}`,
      ip: writer.ip,
      details: { version: updated.version, changes },
    });
    const card = await getCallCard(trx, user, id);
    if (!card) throw notFoundCall(id);
    return card;
  });
}

/**
 * Creates a call the telephony never saw, with its card (POST /calls): on the user's server,
 * linkedid `manual-<uuid>`, answered, talk time = duration. An operator's call is theirs
 * (operator_endpoint); a supervisor's must be in one of their queues, so both can see what they
 * created.
 */
export async function createManualCall(
  db: Kysely<Database>,
  writer: Writer,
  input: CreateCallBody,
): Promise<CallCard> {
  const { user } = writer;
  const queue = input.queue ?? null;
  if (user.role === 'operator' && !user.endpoint) {
    throw forbidden('your user has no phone endpoint: ask an admin to set it before entering calls');
  }
  if (user.role === 'supervisor') {
    if (queue === null)
      throw new ApiError(422, 'validation_failed', 'a supervisor’s call needs one of their queues', {
        missing: ['queue'],
      });
    if (!user.queues.includes(queue)) throw forbidden(`the queue ${queue} is not one of yours`);
  }
  const startedAt = new Date(input.started_at);
  if (startedAt.getTime() > Date.now() + 5 * 60_000) {
    throw new ApiError(422, 'validation_failed', 'started_at is in the future', { fields: ['started_at'] });
  }
  const duration = input.duration_sec ?? 0;

  return db.transaction().execute(async (trx) => {
    if (queue !== null) {
      const known = await trx
        .selectFrom('app.queues')
        .select('id')
        .where('server_id', '=', user.serverId)
        .where('name', '=', queue)
        .executeTakeFirst();
      if (!known)
        throw new ApiError(422, 'validation_failed', `no queue ${queue} on server ${user.serverId}`, {
          fields: ['queue'],
        });
    }
    const {
      direction: _d,
      started_at: _s,
      src_number: _src,
      dst_number: _dst,
      duration_sec: _dur,
      queue: _q,
      ...fields
    } = input;
    const card = applyCardInput(EMPTY_CARD, fields);
    await checkCard(trx, EMPTY_CARD, card);

    const endpoint = user.role === 'operator' ? user.endpoint : null;
    const operator = endpoint
      ? await trx
          .selectFrom('app.operators')
          .select('id')
          .where('server_id', '=', user.serverId)
          .where('endpoint', '=', endpoint)
          .executeTakeFirst()
      : undefined;
    const linkedid = `manual-${randomUUID()}`;
    const inserted = await trx
      .insertInto('app.calls')
      .values({
        server_id: user.serverId,
        linkedid,
        uniqueid: linkedid,
        linkedids: [linkedid],
        direction: input.direction,
        status: 'answered',
        started_at: startedAt,
        answered_at: startedAt,
        ended_at: new Date(startedAt.getTime() + duration * 1000),
        duration_sec: duration,
        wait_sec: 0,
        talk_sec: duration,
        hold_sec: 0,
        src_number: input.src_number ?? null,
        dst_number: input.dst_number ?? null,
        did: null,
        queue,
        queues: queue === null ? [] : [queue],
        operator_endpoint: endpoint,
        operator_id: operator?.id ?? null,
        hung_up_by: null,
        recording_path: null,
        recordings: [],
        closed_by: 'manual',
        flags: [],
        reconciler_version: 'manual',
        derived_hash: 'manual',
        ...cardColumns(card, card.complete ? new Date() : null, user.login),
      })
      .returning(['id', 'version'])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('app.call_linkedids')
      .values({ server_id: user.serverId, linkedid, call_id: inserted.id })
      .execute();
    await setTags(trx, inserted.id, [], card.tag_ids);
    await trx.insertInto('app.outbox').values({ call_id: inserted.id, version: inserted.version }).execute();
    await audit(trx, {
      user,
      action: 'card_create',
      target: `call:${inserted.id}`,
      ip: writer.ip,
      details: { linkedid, version: inserted.version, changes: cardChanges(EMPTY_CARD, card) },
    });
    const created = await getCallCard(trx, user, inserted.id);
    if (!created) throw new Error(`manual call ${inserted.id} is outside the scope of its creator`);
    return created;
  });
}
