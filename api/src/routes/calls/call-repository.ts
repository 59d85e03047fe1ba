import type { Database } from '@callcenter/platform/database';
import { type Expression, expressionBuilder, type Kysely, type SqlBool, sql, type Transaction } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { LRUCache } from 'lru-cache';
import type { AuthUser } from '../../auth/auth-user.ts';
import { callScope, type ScopedDatabase } from '../../scope/call-scope.ts';
import { type CursorPosition, encodeCursor } from './call-cursor.ts';
import type {
  CallCard,
  CallDirection,
  CallEndedAtStage,
  CallListQuery,
  CallStatus,
  CallSummary,
  SortKey,
  SortOrder,
} from './call-schemas.ts';
import { IVR_NO_CHOICE } from './call-schemas.ts';

/**
 * Reads of app.calls for the call-card routes. Every query goes through app.calls aliased `c`
 * with the user's scope (scope/call-scope.ts) in its WHERE, child tables included (joined to
 * their call), so nothing outside the scope is ever read.
 */

export type Db = Kysely<Database> | Transaction<Database>;

/** The filters of `GET /calls` (everything but sort, limit and cursor). */
export type CallFilters = Omit<CallListQuery, 'sort' | 'order' | 'limit' | 'cursor'>;

/**
 * Which page of `GET /calls` to read: sort column and order, page size, and the keyset position
 * after which it starts.
 */
export interface CallPage {
  sort: SortKey;
  order: SortOrder;
  limit: number;
  after?: CursorPosition;
}

/** One page of calls with the total and the cursor of the next page (null on the last). */
export interface CallList {
  items: CallSummary[];
  /** Calls matching the filters on all pages, counted up to {@link TOTAL_CAP}. */
  total: number;
  /** False when there are more than {@link TOTAL_CAP} (show "10 000+"). */
  totalExact: boolean;
  nextCursor: string | null;
}

/**
 * The total is counted up to this many calls: an exact count over a million-call scope on every
 * page made GET /calls take seconds under load (npm run bench:api); past the cap the UI shows
 * "10 000+" and narrows the filters, as mail and ticket systems do.
 */
export const TOTAL_CAP = 10_000;

/**
 * Counts that reached {@link TOTAL_CAP}, per database, scope and filters, for
 * {@link CAPPED_COUNT_TTL_MS}. Reaching the cap is (almost) monotonic — new calls only add — so
 * "10 000+" stays true while it is cached; counts under the cap are always fresh. Under 50 clients
 * on a million calls, the capped counts were most of GET /calls' database time (bench:api); the
 * cache also lets concurrent identical requests share one count (lru-cache's fetch is
 * single-flight).
 */
const CAPPED_COUNT_TTL_MS = 10_000;
const cappedCounts = new WeakMap<object, LRUCache<string, number, () => Promise<number>>>();

async function countMatching(
  db: Db,
  user: AuthUser,
  filters: CallFilters,
  predicates: Expression<SqlBool>[],
  shared: object,
): Promise<number> {
  const count = async () => {
    // An operator's unfiltered count is their participant rows (the scope is exactly those,
    // scope/call-scope.ts): an index-only range of call_participants_endpoint_idx.
    if (user.role === 'operator' && user.endpoint && predicates.length === 0) {
      const mine = db
        .selectFrom('app.call_participants as p')
        .where('p.server_id', '=', user.serverId)
        .where('p.endpoint', '=', user.endpoint)
        .select(sql`1`.as('one'));
      const { n } = await db
        .selectFrom(mine.limit(TOTAL_CAP + 1).as('matching'))
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(n);
    }
    let capped = db.selectFrom('app.calls as c').where(callScope(user)).select(sql`1`.as('one'));
    for (const p of predicates) capped = capped.where(p);
    const { n } = await db
      .selectFrom(capped.limit(TOTAL_CAP + 1).as('matching'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(n);
  };
  let cache = cappedCounts.get(shared);
  if (!cache) {
    cache = new LRUCache({
      max: 2000,
      ttl: CAPPED_COUNT_TTL_MS,
      fetchMethod: (_key, _stale, { context }) => context(),
    });
    cappedCounts.set(shared, cache);
  }
  const key = JSON.stringify([user.role, user.serverId, user.endpoint, [...user.queues].sort(), filters]);
  let n: number;
  try {
    n = (await cache.fetch(key, { context: count })) as number;
  } catch {
    // The shared count ran on the connection of another request, which may have been cancelled
    // (its client left, db/cancel-on-abort.ts): count on ours.
    n = await count();
  }
  // Only a count at the cap stays cached (see above); a smaller one is counted afresh next time.
  if (n <= TOTAL_CAP) cache.delete(key);
  return n;
}

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

/** `%`, `_` and `\` taken literally in a LIKE pattern (the escape character is `\`). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

const icuByDb = new WeakMap<object, Promise<boolean>>();

/**
 * Whether the server has ICU's root collation. The embedded server is initialised with locale C,
 * under which ILIKE folds only ASCII (`ТЕРАПЕВТ` would not find `терапевт`); with ICU the notes
 * search folds every script. Asked once per `shared` (the kysely instance by default; a pinned
 * connection passes the instance it came from).
 */
export function hasIcu(db: Db, shared: object = db): Promise<boolean> {
  let known = icuByDb.get(shared);
  if (!known) {
    known = sql<{
      ok: boolean;
    }>`SELECT EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu') AS ok`
      .execute(db)
      .then((r) => r.rows[0]?.ok === true)
      .catch(() => false);
    icuByDb.set(shared, known);
  }
  return known;
}

/** The filters as predicates over `c` (values are always bound parameters). */
export function filterPredicates(f: CallFilters, icu: boolean): Expression<SqlBool>[] {
  const eb = expressionBuilder<ScopedDatabase, 'c'>();
  const out: Expression<SqlBool>[] = [];
  // Bound as text and cast in SQL: microseconds in the bounds are kept (a JS Date has none).
  if (f.from) out.push(eb('c.started_at', '>=', sql<Date>`${f.from}::timestamptz`));
  if (f.to) out.push(eb('c.started_at', '<', sql<Date>`${f.to}::timestamptz`));
  if (f.time_from || f.time_to) {
    // Local time of day in `tz` (the report's zone): the interval drill-down of the reports.
    const local = sql`(${sql.ref('c.started_at')} AT TIME ZONE ${f.tz ?? 'UTC'})::time`;
    if (f.time_from) out.push(sql<SqlBool>`${local} >= ${f.time_from}::time`);
    if (f.time_to && f.time_to !== '24:00') out.push(sql<SqlBool>`${local} < ${f.time_to}::time`);
  }
  if (f.did) out.push(eb('c.did', '=', f.did));
  if (f.operator) out.push(eb('c.operator_endpoint', '=', f.operator));
  if (f.queue) out.push(eb('c.queue', '=', f.queue));
  if (f.status) out.push(eb('c.status', '=', f.status));
  if (f.direction) out.push(eb('c.direction', '=', f.direction));
  if (f.ended_at_stage) out.push(eb('c.ended_at_stage', '=', f.ended_at_stage));
  if (f.ivr_choice)
    out.push(
      f.ivr_choice === IVR_NO_CHOICE ? eb('c.ivr_choice', 'is', null) : eb('c.ivr_choice', '=', f.ivr_choice),
    );
  if (f.purpose_id !== undefined) out.push(eb('c.purpose_id', '=', f.purpose_id));
  if (f.category_id !== undefined) out.push(eb('c.category_id', '=', f.category_id));
  if (f.subcategory_id !== undefined) out.push(eb('c.subcategory_id', '=', f.subcategory_id));
  if (f.tag_id !== undefined) {
    const tagId = f.tag_id;
    out.push(
      eb.exists(
        eb
          .selectFrom('app.call_tag_links as tl')
          .select(sql`1`.as('one'))
          .whereRef('tl.call_id', '=', 'c.id')
          .where('tl.tag_id', '=', tagId),
      ),
    );
  }
  if (f.needs_callback !== undefined) out.push(eb('c.needs_callback', '=', f.needs_callback));
  if (f.card === 'complete') out.push(eb('c.card_completed_at', 'is not', null));
  if (f.card === 'incomplete') out.push(eb('c.card_completed_at', 'is', null));
  if (f.number) {
    const numbers = [f.number, `+${f.number}`];
    out.push(eb.or([eb('c.src_number', 'in', numbers), eb('c.dst_number', 'in', numbers)]));
  }
  if (f.q) {
    const pattern = `%${escapeLike(f.q)}%`;
    out.push(
      icu
        ? sql<SqlBool>`${sql.ref('c.notes')} COLLATE "und-x-icu" ILIKE ${pattern} ESCAPE '\\'`
        : sql<SqlBool>`${sql.ref('c.notes')} ILIKE ${pattern} ESCAPE '\\'`,
    );
  }
  return out;
}

/** `(sort column, id)` after (or before, descending) the cursor's position. */
function keysetPredicate(page: CallPage, after: CursorPosition): Expression<SqlBool> {
  const op = sql.raw(page.order === 'asc' ? '>' : '<');
  const value =
    page.sort === 'started_at' ? sql`${after.value}::timestamptz` : sql`${after.value}::double precision`;
  return sql<SqlBool>`(${sql.ref(`c.${page.sort}`)}, ${sql.ref('c.id')}) ${op} (${value}, ${after.id}::bigint)`;
}

/**
 * The columns of a summary, with dictionary names and tags, for `user`'s scope (`scope` given:
 * that predicate instead — the caller states the same scope in another form).
 */
function summaryQuery(db: Db, user: AuthUser, scope: Expression<SqlBool> = callScope(user)) {
  return db
    .selectFrom('app.calls as c')
    .leftJoin('app.call_purposes as p', 'p.id', 'c.purpose_id')
    .leftJoin('app.call_categories as cat', 'cat.id', 'c.category_id')
    .leftJoin('app.call_subcategories as sub', 'sub.id', 'c.subcategory_id')
    .where(scope)
    .select((eb) => [
      'c.id',
      'c.server_id',
      'c.linkedid',
      'c.direction',
      'c.status',
      'c.started_at',
      'c.answered_at',
      'c.ended_at',
      'c.duration_sec',
      'c.wait_sec',
      'c.talk_sec',
      'c.hold_sec',
      'c.src_number',
      'c.dst_number',
      'c.did',
      'c.queue',
      'c.queues',
      'c.operator_endpoint',
      'c.ended_at_stage',
      'c.ivr_choice',
      'c.closed_by',
      sql<boolean>`(c.reconciler_version = 'provisional')`.as('live'),
      sql<boolean>`(c.recording_path IS NOT NULL OR cardinality(c.recordings) > 0)`.as('has_recording'),
      'c.purpose_id',
      'p.name as purpose_name',
      'c.category_id',
      'cat.name as category_name',
      'c.subcategory_id',
      'sub.name as subcategory_name',
      jsonArrayFrom(
        eb
          .selectFrom('app.call_tag_links as tl')
          .innerJoin('app.call_tags as t', 't.id', 'tl.tag_id')
          .select(['t.id', 't.name'])
          .whereRef('tl.call_id', '=', 'c.id')
          .orderBy('t.sort_order')
          .orderBy('t.id'),
      ).as('tags'),
      'c.notes',
      'c.needs_callback',
      'c.resolved_first_call',
      'c.card_completed_at',
      'c.version',
    ]);
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaryQuery>['executeTakeFirstOrThrow']>>;

function toSummary(r: SummaryRow): CallSummary {
  return {
    id: r.id,
    server_id: r.server_id,
    linkedid: r.linkedid,
    direction: r.direction as CallDirection,
    status: r.status as CallStatus,
    started_at: iso(r.started_at),
    answered_at: isoOrNull(r.answered_at),
    ended_at: isoOrNull(r.ended_at),
    duration_sec: r.duration_sec,
    wait_sec: r.wait_sec,
    talk_sec: r.talk_sec,
    hold_sec: r.hold_sec,
    src_number: r.src_number,
    dst_number: r.dst_number,
    did: r.did,
    queue: r.queue,
    queues: r.queues,
    operator_endpoint: r.operator_endpoint,
    ended_at_stage: r.ended_at_stage as CallEndedAtStage | null,
    ivr_choice: r.ivr_choice,
    has_recording: r.has_recording,
    manual: r.closed_by === 'manual',
    live: r.live,
    purpose_id: r.purpose_id,
    purpose_name: r.purpose_name,
    category_id: r.category_id,
    category_name: r.category_name,
    subcategory_id: r.subcategory_id,
    subcategory_name: r.subcategory_name,
    tags: r.tags,
    notes: r.notes,
    needs_callback: r.needs_callback,
    resolved_first_call: r.resolved_first_call,
    card_complete: r.card_completed_at !== null,
    card_completed_at: isoOrNull(r.card_completed_at),
    version: r.version,
  };
}

/**
 * One page of the calls `user` may see under `filters`, in `page.sort` order with the id as the
 * tiebreak (keyset: stable while rows are added), and the number of such calls on all pages.
 * `shared` keys the per-database caches (capped counts, ICU): the kysely instance by default; a
 * caller running on a pinned connection of it (db/cancel-on-abort.ts) passes the instance.
 */
export async function listCalls(
  db: Db,
  user: AuthUser,
  filters: CallFilters,
  page: CallPage,
  shared: object = db,
): Promise<CallList> {
  const predicates = filterPredicates(filters, filters.q ? await hasIcu(db, shared) : false);
  const endpoint = user.role === 'operator' ? user.endpoint : null;
  const viaParticipants = endpoint !== null && page.sort === 'started_at';
  // Via participants, the inner join below is the operator's scope (their server, a participant
  // row with their endpoint: scope/call-scope.ts); the EXISTS form beside it made the planner
  // join all of the operator's rows twice and sort them.
  let query = summaryQuery(
    db,
    user,
    viaParticipants ? sql<SqlBool>`${sql.ref('c.server_id')} = ${user.serverId}` : callScope(user),
  ).select(
    page.sort === 'started_at'
      ? sql<string>`to_char(c.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('sort_key')
      : sql<number>`${sql.ref(`c.${page.sort}`)}`.as('sort_key'),
  );
  for (const p of predicates) query = query.where(p);
  // An operator's journal in time order walks their participant rows (call_participants_endpoint_idx,
  // newest first) and reads only the calls of the page; walking every call in time order and
  // probing each for the operator read 16,000 calls for a page at 1M calls (docs/performance.md).
  // The participant row's started_at is the call's (kept by the same triggers), so the order, the
  // keyset and the rows are the same.
  if (viaParticipants) {
    const joined = query.innerJoin('app.call_participants as op_p', (join) =>
      join
        .onRef('op_p.call_id', '=', 'c.id')
        .on('op_p.server_id', '=', user.serverId)
        .on('op_p.endpoint', '=', endpoint),
    );
    const after = page.after;
    const rows = await (after
      ? joined.where(
          sql<SqlBool>`(op_p.started_at, op_p.call_id) ${sql.raw(page.order === 'asc' ? '>' : '<')} (${after.value}::timestamptz, ${after.id}::bigint)`,
        )
      : joined
    )
      .orderBy('op_p.started_at', page.order)
      .orderBy('op_p.call_id', page.order)
      .limit(page.limit + 1)
      .execute();
    return pageOf(rows, await countMatching(db, user, filters, predicates, shared), page);
  }
  if (page.after) query = query.where(keysetPredicate(page, page.after));
  const rows = await query
    .orderBy(`c.${page.sort}`, page.order)
    .orderBy('c.id', page.order)
    .limit(page.limit + 1)
    .execute();
  return pageOf(rows, await countMatching(db, user, filters, predicates, shared), page);
}

/** A page of summary rows (one more than the limit when there is a next page) as a {@link CallList}. */
function pageOf(
  rows: (SummaryRow & { sort_key: string | number })[],
  counted: number,
  page: CallPage,
): CallList {
  const more = rows.length > page.limit;
  const pageRows = more ? rows.slice(0, page.limit) : rows;
  const last = pageRows.at(-1);
  return {
    items: pageRows.map(toSummary),
    total: Math.min(counted, TOTAL_CAP),
    totalExact: counted <= TOTAL_CAP,
    nextCursor: more && last ? encodeCursor({ value: last.sort_key, id: last.id }) : null,
  };
}

/** The card of call `id`, or null when there is none in `user`'s scope. */
export async function getCallCard(db: Db, user: AuthUser, id: number): Promise<CallCard | null> {
  const row = await summaryQuery(db, user)
    .select([
      'c.uniqueid',
      'c.linkedids',
      'c.queue_wait_sec',
      'c.operator_id',
      'c.hung_up_by',
      'c.flags',
      'c.card_updated_at',
      'c.card_updated_by',
      'c.created_at',
      'c.updated_at',
    ])
    .where('c.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const scope = callScope(user);
  const [attempts, transfers, segments, holds] = await Promise.all([
    db
      .selectFrom('app.call_attempts as a')
      .innerJoin('app.calls as c', 'c.id', 'a.call_id')
      .where(scope)
      .where('a.call_id', '=', id)
      .select([
        'a.seq',
        'a.operator_endpoint',
        'a.operator_id',
        'a.queue',
        'a.rang_at',
        'a.ring_sec',
        'a.outcome',
        'a.hangup_cause',
      ])
      .orderBy('a.seq')
      .execute(),
    db
      .selectFrom('app.call_transfers as t')
      .innerJoin('app.calls as c', 'c.id', 't.call_id')
      .where(scope)
      .where('t.call_id', '=', id)
      .select(['t.seq', 't.kind', 't.from_operator', 't.to_target', 't.at'])
      .orderBy('t.seq')
      .execute(),
    db
      .selectFrom('app.call_segments as s')
      .innerJoin('app.calls as c', 'c.id', 's.call_id')
      .where(scope)
      .where('s.call_id', '=', id)
      .select([
        's.seq',
        's.operator_endpoint',
        's.operator_id',
        's.party',
        's.started_at',
        's.ended_at',
        's.talk_sec',
        's.hold_sec',
      ])
      .orderBy('s.seq')
      .execute(),
    db
      .selectFrom('app.call_holds as h')
      .innerJoin('app.calls as c', 'c.id', 'h.call_id')
      .where(scope)
      .where('h.call_id', '=', id)
      .select(['h.seq', 'h.operator_endpoint', 'h.started_at', 'h.ended_at'])
      .orderBy('h.seq')
      .execute(),
  ]);
  return {
    ...toSummary(row),
    uniqueid: row.uniqueid,
    linkedids: row.linkedids,
    queue_wait_sec: row.queue_wait_sec,
    operator_id: row.operator_id,
    hung_up_by: row.hung_up_by,
    closed_by: row.closed_by,
    flags: row.flags,
    card_updated_at: isoOrNull(row.card_updated_at),
    card_updated_by: row.card_updated_by,
    created_at: iso(row.created_at),
    // database.ts types updated_at as Generated<Timestamp> (a nested ColumnType): it is a Date.
    updated_at: iso(row.updated_at as unknown as Date),
    attempts: attempts.map((a) => ({ ...a, rang_at: iso(a.rang_at) })),
    transfers: transfers.map((t) => ({ ...t, at: iso(t.at) })),
    segments: segments.map((s) => ({ ...s, started_at: iso(s.started_at), ended_at: iso(s.ended_at) })),
    holds: holds.map((h) => ({ ...h, started_at: iso(h.started_at), ended_at: iso(h.ended_at) })),
  };
}
