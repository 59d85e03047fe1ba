import { ApiError, badRequest } from '../../errors/api-error.ts';
import type { Db } from './call-repository.ts';

/**
 * What a card must satisfy before it is saved:
 * - a dictionary id the edit sets (purpose, category, sub-category, tag) exists and is not
 *   soft-deleted — ids the card already had stay valid after their entry is deleted (422);
 * - a sub-category belongs to the card's category (400);
 * - a complete card has a purpose, a category and notes that are not blank (422).
 */

/** A card's editable state. */
export interface CardState {
  purpose_id: number | null;
  category_id: number | null;
  subcategory_id: number | null;
  tag_ids: number[];
  notes: string | null;
  needs_callback: boolean;
  resolved_first_call: boolean | null;
  complete: boolean;
}

/** The fields a card edit may send; absent ones keep their current value. */
export type CardInput = Partial<CardState>;

/** The state after applying `input` to `current`. */
export function applyCardInput(current: CardState, input: CardInput): CardState {
  const pick = <K extends keyof CardState>(key: K): CardState[K] =>
    input[key] === undefined ? current[key] : (input[key] as CardState[K]);
  return {
    purpose_id: pick('purpose_id'),
    category_id: pick('category_id'),
    subcategory_id: pick('subcategory_id'),
    tag_ids: pick('tag_ids'),
    notes: pick('notes'),
    needs_callback: pick('needs_callback'),
    resolved_first_call: pick('resolved_first_call'),
    complete: pick('complete'),
  };
}

/** An empty card (a new call). */
export const EMPTY_CARD: CardState = {
  purpose_id: null,
  category_id: null,
  subcategory_id: null,
  tag_ids: [],
  notes: null,
  needs_callback: false,
  resolved_first_call: null,
  complete: false,
};

const sameTags = (a: number[], b: number[]) =>
  a.length === b.length &&
  [...a].sort((x, y) => x - y).every((v, i) => v === [...b].sort((x, y) => x - y)[i]);

/** The fields whose value differs, as `{field: {from, to}}` (tags compared as sets). */
export function cardChanges(
  before: CardState,
  after: CardState,
): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after) as (keyof CardState)[]) {
    const a = before[key];
    const b = after[key];
    const same = key === 'tag_ids' ? sameTags(a as number[], b as number[]) : a === b;
    if (!same) out[key] = { from: a, to: b };
  }
  return out;
}

const LIVE_TABLES = {
  purpose_id: 'app.call_purposes',
  category_id: 'app.call_categories',
  subcategory_id: 'app.call_subcategories',
  tag_ids: 'app.call_tags',
} as const;

/** The ids among `ids` that exist in `table` and are not soft-deleted. */
async function liveIds(db: Db, table: (typeof LIVE_TABLES)[keyof typeof LIVE_TABLES], ids: number[]) {
  if (ids.length === 0) return new Set<number>();
  // The four dictionaries share id/deleted_at; typed as one of them for kysely.
  const rows = await db
    .selectFrom(table as 'app.call_purposes')
    .select('id')
    .where('id', 'in', ids)
    .where('deleted_at', 'is', null)
    .execute();
  return new Set(rows.map((r) => r.id));
}

/**
 * Throws the API error for the first rule `next` breaks (see the module comment); `previous` is
 * the saved card (EMPTY_CARD for a new call), whose ids need not be live any more.
 */
export async function checkCard(db: Db, previous: CardState, next: CardState): Promise<void> {
  const unknown: { field: string; id: number; message: string }[] = [];
  for (const field of ['purpose_id', 'category_id', 'subcategory_id'] as const) {
    const id = next[field];
    if (id === null || id === previous[field]) continue;
    if (!(await liveIds(db, LIVE_TABLES[field], [id])).has(id))
      unknown.push({ field, id, message: 'no such entry, or it was deleted' });
  }
  const newTags = next.tag_ids.filter((t) => !previous.tag_ids.includes(t));
  const liveTags = await liveIds(db, LIVE_TABLES.tag_ids, newTags);
  for (const id of newTags) {
    if (!liveTags.has(id)) unknown.push({ field: 'tag_ids', id, message: 'no such tag, or it was deleted' });
  }
  if (unknown.length) {
    throw new ApiError(422, 'validation_failed', 'the card refers to dictionary entries that do not exist', {
      fields: unknown,
    });
  }

  if (next.subcategory_id !== null) {
    const sub = await db
      .selectFrom('app.call_subcategories')
      .select('category_id')
      .where('id', '=', next.subcategory_id)
      .executeTakeFirst();
    if (!sub || sub.category_id !== next.category_id) {
      throw badRequest('the sub-category does not belong to the card’s category', {
        subcategory_id: next.subcategory_id,
        category_id: next.category_id,
        subcategory_category_id: sub?.category_id ?? null,
      });
    }
  }

  if (next.complete) {
    const missing: string[] = [];
    if (next.purpose_id === null) missing.push('purpose_id');
    if (next.category_id === null) missing.push('category_id');
    if (!next.notes?.trim()) missing.push('notes');
    if (missing.length) {
      throw new ApiError(422, 'validation_failed', `a complete card needs ${missing.join(', ')}`, {
        missing,
      });
    }
  }
}
