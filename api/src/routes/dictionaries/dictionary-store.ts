import type { Database } from '@callcenter/platform/database';
import { type Kysely, sql, type Transaction } from 'kysely';
import { badRequest, conflict, notFound } from '../../errors/api-error.ts';
import { type AdminActor, writeAdminChange } from './audit-change.ts';

/**
 * The call-card dictionaries in app.call_purposes, call_categories,
 * call_subcategories (each under a category) and call_tags. Entries are never deleted, only
 * soft-deleted (deleted_at), so cards that used them still show their values. Every change runs in
 * one transaction with its audit row; name clashes among live entries (the partial unique
 * indexes) come back as 409.
 */
export const DICTIONARY_KINDS = ['purposes', 'categories', 'subcategories', 'tags'] as const;
/** One of the four call-card dictionaries. */
export type DictionaryKind = (typeof DICTIONARY_KINDS)[number];

const TABLES = {
  purposes: 'app.call_purposes',
  categories: 'app.call_categories',
  subcategories: 'app.call_subcategories',
  tags: 'app.call_tags',
} as const satisfies Record<DictionaryKind, keyof Database>;

/** The three tables without a parent share one shape; typed as one of them for kysely. */
type FlatTable = 'app.call_purposes';

/** One dictionary entry as the API returns it. */
export interface DictionaryItem {
  id: number;
  name: string;
  sortOrder: number;
  /** ISO time of the soft delete; null while live. */
  deletedAt: string | null;
  /** Subcategories only: the parent category. */
  categoryId?: number;
}

/** What to list: soft-deleted entries too (admins), and for subcategories one category's only. */
export interface ListOptions {
  includeDeleted: boolean;
  /** Subcategories only. */
  categoryId?: number;
}

/** A new entry: name, sort order (default 0), and the parent category of a subcategory. */
export interface CreateInput {
  name: string;
  sortOrder?: number;
  categoryId?: number;
}

/** A change to an entry: any of name, sort order and (subcategories) parent category. */
export interface UpdateInput {
  name?: string;
  sortOrder?: number;
  categoryId?: number;
}

interface Row {
  id: number;
  name: string;
  sort_order: number;
  deleted_at: Date | null;
  category_id?: number;
}

type Db = Kysely<Database> | Transaction<Database>;

const toItem = (row: Row): DictionaryItem => ({
  id: row.id,
  name: row.name,
  sortOrder: row.sort_order,
  deletedAt: row.deleted_at ? new Date(row.deleted_at).toISOString() : null,
  ...(row.category_id !== undefined ? { categoryId: row.category_id } : {}),
});

const flat = (kind: DictionaryKind) => TABLES[kind] as FlatTable;

const FLAT_COLUMNS = ['id', 'name', 'sort_order', 'deleted_at'] as const;
const SUB_COLUMNS = [...FLAT_COLUMNS, 'category_id'] as const;

/** Live entries (or all, for admins) ordered by sort_order, then name, then id. */
export async function listEntries(
  db: Db,
  kind: DictionaryKind,
  options: ListOptions,
): Promise<DictionaryItem[]> {
  let rows: Row[];
  if (kind === 'subcategories') {
    let query = db.selectFrom('app.call_subcategories').select(SUB_COLUMNS);
    if (!options.includeDeleted) query = query.where('deleted_at', 'is', null);
    if (options.categoryId !== undefined) query = query.where('category_id', '=', options.categoryId);
    rows = await query.orderBy('sort_order').orderBy('name').orderBy('id').execute();
  } else {
    let query = db.selectFrom(flat(kind)).select(FLAT_COLUMNS);
    if (!options.includeDeleted) query = query.where('deleted_at', 'is', null);
    rows = await query.orderBy('sort_order').orderBy('name').orderBy('id').execute();
  }
  return rows.map(toItem);
}

/** The entry with its row locked (FOR UPDATE) until this transaction ends, or 404. */
async function lockEntry(
  trx: Transaction<Database>,
  kind: DictionaryKind,
  id: number,
): Promise<DictionaryItem> {
  const row: Row | undefined =
    kind === 'subcategories'
      ? await trx
          .selectFrom('app.call_subcategories')
          .select(SUB_COLUMNS)
          .where('id', '=', id)
          .forUpdate()
          .executeTakeFirst()
      : await trx
          .selectFrom(flat(kind))
          .select(FLAT_COLUMNS)
          .where('id', '=', id)
          .forUpdate()
          .executeTakeFirst();
  if (!row) throw notFound(`no ${singular(kind)} with id ${id}`);
  return toItem(row);
}

/**
 * Requires a live category and holds a share lock on it until commit, so a concurrent delete of
 * the category waits for this subcategory (and then sees it).
 */
async function requireLiveCategory(trx: Transaction<Database>, categoryId: number, onMissing: 400 | 409) {
  const row = await trx
    .selectFrom('app.call_categories')
    .select('id')
    .where('id', '=', categoryId)
    .where('deleted_at', 'is', null)
    .forShare()
    .executeTakeFirst();
  if (row) return;
  const message = `category ${categoryId} does not exist or is deleted`;
  throw onMissing === 400
    ? badRequest(message, { categoryId })
    : conflict(`${message}; restore the category first`, { categoryId });
}

/** Creates a live entry; 409 when a live entry has the name, 400 for a missing parent category. */
export async function createEntry(
  db: Kysely<Database>,
  actor: AdminActor,
  kind: DictionaryKind,
  input: CreateInput,
): Promise<DictionaryItem> {
  return withNameConflict(kind, input.name, () =>
    db.transaction().execute(async (trx) => {
      let row: Row;
      const base = {
        name: input.name,
        ...(input.sortOrder !== undefined ? { sort_order: input.sortOrder } : {}),
      };
      if (kind === 'subcategories') {
        const categoryId = input.categoryId!;
        await requireLiveCategory(trx, categoryId, 400);
        row = await trx
          .insertInto('app.call_subcategories')
          .values({ ...base, category_id: categoryId, deleted_at: null })
          .returning(SUB_COLUMNS)
          .executeTakeFirstOrThrow();
      } else {
        row = await trx
          .insertInto(flat(kind))
          .values({ ...base, deleted_at: null })
          .returning(FLAT_COLUMNS)
          .executeTakeFirstOrThrow();
      }
      const item = toItem(row);
      await audit(trx, actor, kind, item.id, 'create', null, item);
      return item;
    }),
  );
}

/** Renames, reorders or (subcategories) moves an entry; 404 unknown id, 409 name clash. */
export async function updateEntry(
  db: Kysely<Database>,
  actor: AdminActor,
  kind: DictionaryKind,
  id: number,
  input: UpdateInput,
): Promise<DictionaryItem> {
  return withNameConflict(kind, input.name, () =>
    db.transaction().execute(async (trx) => {
      const before = await lockEntry(trx, kind, id);
      const set = {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.sortOrder !== undefined ? { sort_order: input.sortOrder } : {}),
      };
      let row: Row;
      if (kind === 'subcategories') {
        if (input.categoryId !== undefined && input.categoryId !== before.categoryId) {
          await requireLiveCategory(trx, input.categoryId, 400);
        }
        row = await trx
          .updateTable('app.call_subcategories')
          .set({ ...set, ...(input.categoryId !== undefined ? { category_id: input.categoryId } : {}) })
          .where('id', '=', id)
          .returning(SUB_COLUMNS)
          .executeTakeFirstOrThrow();
      } else {
        row = await trx
          .updateTable(flat(kind))
          .set(set)
          .where('id', '=', id)
          .returning(FLAT_COLUMNS)
          .executeTakeFirstOrThrow();
      }
      const after = toItem(row);
      if (JSON.stringify(after) !== JSON.stringify(before)) {
        await audit(trx, actor, kind, id, 'update', before, after);
      }
      return after;
    }),
  );
}

/**
 * Soft-deletes an entry (sets deleted_at); already deleted is a no-op. A category with live
 * subcategories is refused with 409 listing them: delete or move them first.
 */
export async function softDeleteEntry(
  db: Kysely<Database>,
  actor: AdminActor,
  kind: DictionaryKind,
  id: number,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await lockEntry(trx, kind, id);
    if (before.deletedAt !== null) return;
    if (kind === 'categories') {
      const live = await trx
        .selectFrom('app.call_subcategories')
        .select(['id', 'name'])
        .where('category_id', '=', id)
        .where('deleted_at', 'is', null)
        .orderBy('sort_order')
        .orderBy('name')
        .execute();
      if (live.length > 0) {
        throw conflict(`category ${id} has ${live.length} live subcategories; delete or move them first`, {
          categoryId: id,
          subcategories: live,
        });
      }
    }
    await trx.updateTable(flat(kind)).set({ deleted_at: sql<Date>`now()` }).where('id', '=', id).execute();
    const after = await lockEntry(trx, kind, id);
    await audit(trx, actor, kind, id, 'delete', before, after);
  });
}

/**
 * Makes a soft-deleted entry live again (a live one is returned as is). 409 when a live entry
 * took its name meanwhile, or (subcategories) when its category is deleted.
 */
export async function restoreEntry(
  db: Kysely<Database>,
  actor: AdminActor,
  kind: DictionaryKind,
  id: number,
): Promise<DictionaryItem> {
  let name: string | undefined;
  return withNameConflict(
    kind,
    () => name,
    () =>
      db.transaction().execute(async (trx) => {
        const before = await lockEntry(trx, kind, id);
        name = before.name;
        if (before.deletedAt === null) return before;
        if (kind === 'subcategories') await requireLiveCategory(trx, before.categoryId!, 409);
        await trx.updateTable(flat(kind)).set({ deleted_at: null }).where('id', '=', id).execute();
        const after = await lockEntry(trx, kind, id);
        await audit(trx, actor, kind, id, 'restore', before, after);
        return after;
      }),
  );
}

function audit(
  trx: Transaction<Database>,
  actor: AdminActor,
  kind: DictionaryKind,
  id: number,
  op: 'create' | 'update' | 'delete' | 'restore',
  before: DictionaryItem | null,
  after: DictionaryItem | null,
) {
  return writeAdminChange(trx, actor, 'dictionary_change', `${kind}:${id}`, { op, before, after });
}

const SINGULAR: Record<DictionaryKind, string> = {
  purposes: 'purpose',
  categories: 'category',
  subcategories: 'subcategory',
  tags: 'tag',
};

/** The kind's noun for messages (`purpose`). */
export const singular = (kind: DictionaryKind) => SINGULAR[kind];

/** Postgres unique_violation: a live entry already has the name (the partial unique indexes). */
const UNIQUE_VIOLATION = '23505';

async function withNameConflict<T>(
  kind: DictionaryKind,
  name: string | undefined | (() => string | undefined),
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) {
      const clash = typeof name === 'function' ? name() : name;
      throw conflict(
        kind === 'subcategories'
          ? `a live subcategory named "${clash}" already exists in this category`
          : `a live ${singular(kind)} named "${clash}" already exists`,
        { kind, name: clash },
      );
    }
    throw error;
  }
}
