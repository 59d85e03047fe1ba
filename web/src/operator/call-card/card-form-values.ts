import { z } from 'zod';
import type { CallCard } from '../../api/calls.ts';
import { ApiRequestError } from '../../api/http.ts';
import type { CardUpdate, DictionaryItem } from '../operator-api.ts';

/**
 * The card form's values and the pure rules around them (unit-tested): form ⇄ API card, the
 * completion rules the API enforces (api/src/routes/calls/card-rules.ts: purpose, category and
 * notes to complete; a sub-category belongs to the category), re-applying one's edits on top of a
 * card someone else saved (409), and the API's 400/422 details as per-field messages.
 *
 * Select inputs work with strings, so dictionary ids are kept as strings here.
 */

export interface CardFormValues {
  purpose_id: string | null;
  category_id: string | null;
  subcategory_id: string | null;
  tag_ids: string[];
  notes: string;
  needs_callback: boolean;
  /** `yes` / `no` / `unknown` (null in the API: not said). */
  resolved_first_call: 'yes' | 'no' | 'unknown';
}

export type CardField = keyof CardFormValues;

export const CARD_FIELDS: readonly CardField[] = [
  'purpose_id',
  'category_id',
  'subcategory_id',
  'tag_ids',
  'notes',
  'needs_callback',
  'resolved_first_call',
];

export const MAX_NOTES_LENGTH = 4000;

/** Error messages are i18n keys of the `operator` namespace (`card.errors.*`). */
const draftShape = {
  purpose_id: z.string().nullable(),
  category_id: z.string().nullable(),
  subcategory_id: z.string().nullable(),
  tag_ids: z.array(z.string()).max(50, 'card.errors.tooManyTags'),
  notes: z.string().max(MAX_NOTES_LENGTH, 'card.errors.notesTooLong'),
  needs_callback: z.boolean(),
  resolved_first_call: z.enum(['yes', 'no', 'unknown']),
};

/** Saving without completing: only lengths are checked. */
export const draftCardSchema = z.object(draftShape);

/** Completing: purpose, category and notes are required (the API's 422 rule, checked first here). */
export const completeCardSchema = z.object(draftShape).superRefine((values, ctx) => {
  if (!values.purpose_id)
    ctx.addIssue({ code: 'custom', path: ['purpose_id'], message: 'card.errors.required' });
  if (!values.category_id)
    ctx.addIssue({ code: 'custom', path: ['category_id'], message: 'card.errors.required' });
  if (!values.notes.trim())
    ctx.addIssue({ code: 'custom', path: ['notes'], message: 'card.errors.notesRequired' });
});

const idString = (id: number | null) => (id === null ? null : String(id));
const idNumber = (id: string | null) => (id ? Number(id) : null);

/** The form's values for a card as the API returns it. */
export function valuesFromCard(card: CallCard): CardFormValues {
  return {
    purpose_id: idString(card.purpose_id),
    category_id: idString(card.category_id),
    subcategory_id: idString(card.subcategory_id),
    tag_ids: card.tags.map((t) => String(t.id)).sort(),
    notes: card.notes ?? '',
    needs_callback: card.needs_callback,
    resolved_first_call:
      card.resolved_first_call === null ? 'unknown' : card.resolved_first_call ? 'yes' : 'no',
  };
}

/**
 * The `PUT /calls/{id}` body for `values` based on card `version`. `complete`: true completes the
 * card, undefined leaves its completion as it is (a draft save of a complete card keeps it
 * complete, and the API then still requires purpose, category and notes).
 */
export function updateFromValues(values: CardFormValues, version: number, complete?: boolean): CardUpdate {
  const notes = values.notes.trim() === '' ? null : values.notes;
  return {
    version,
    purpose_id: idNumber(values.purpose_id),
    category_id: idNumber(values.category_id),
    subcategory_id: idNumber(values.subcategory_id),
    tag_ids: values.tag_ids.map(Number),
    notes,
    needs_callback: values.needs_callback,
    resolved_first_call:
      values.resolved_first_call === 'unknown' ? null : values.resolved_first_call === 'yes',
    ...(complete === undefined ? {} : { complete }),
  };
}

const same = (a: CardFormValues[CardField], b: CardFormValues[CardField]) =>
  Array.isArray(a) && Array.isArray(b)
    ? a.length === b.length && [...a].sort().every((v, i) => v === [...b].sort()[i])
    : a === b;

/** The fields where `values` differ from `base`. */
export function changedFields(base: CardFormValues, values: CardFormValues): CardField[] {
  return CARD_FIELDS.filter((field) => !same(base[field], values[field]));
}

/**
 * After a 409: the card someone else saved (`theirs`), with the fields this user changed since
 * `base` (what they loaded) put back on top. `overwritten` lists the fields both changed to
 * different values (the user's value wins; the UI names them so nothing is lost silently).
 */
export function reapplyEdits(
  base: CardFormValues,
  mine: CardFormValues,
  theirs: CardFormValues,
): { values: CardFormValues; overwritten: CardField[] } {
  const values = { ...theirs };
  const overwritten: CardField[] = [];
  for (const field of changedFields(base, mine)) {
    (values as Record<CardField, unknown>)[field] = mine[field];
    if (!same(base[field], theirs[field]) && !same(mine[field], theirs[field])) overwritten.push(field);
  }
  // A category taken from theirs with a sub-category of mine (or the reverse) must still match:
  // the sub-category follows the category's owner.
  if (
    changedFields(base, mine).includes('category_id') !== changedFields(base, mine).includes('subcategory_id')
  ) {
    values.subcategory_id = changedFields(base, mine).includes('category_id')
      ? mine.subcategory_id
      : theirs.subcategory_id;
  }
  return { values, overwritten };
}

/** Live sub-categories of a category, for the filtered select. */
export function subcategoriesOf(
  categoryId: string | null,
  subcategories: DictionaryItem[],
): DictionaryItem[] {
  if (!categoryId) return [];
  return subcategories.filter((s) => String(s.categoryId) === categoryId);
}

/**
 * Per-field messages from an API refusal of a card save: 422 `{missing: [...]}` (completion rules)
 * or `{fields: [{field, message}]}` (deleted dictionary entries), 400 with `subcategory_id`
 * (sub-category of another category) or zod issues with a `path`. Values are i18n keys
 * (`card.errors.*`) or the API's own message.
 */
export function fieldErrorsFromApi(error: unknown): Partial<Record<CardField, string>> {
  if (!(error instanceof ApiRequestError) || (error.status !== 400 && error.status !== 422)) return {};
  const out: Partial<Record<CardField, string>> = {};
  const isField = (name: unknown): name is CardField => CARD_FIELDS.includes(name as CardField);
  const details = error.details as Record<string, unknown> | unknown[] | undefined;
  if (Array.isArray(details)) {
    for (const issue of details as { path?: unknown[]; message?: string }[]) {
      const field = issue?.path?.[0];
      if (isField(field) && !out[field]) out[field] = issue.message ?? error.message;
    }
    return out;
  }
  if (!details || typeof details !== 'object') return out;
  if (Array.isArray(details.missing)) {
    for (const field of details.missing)
      if (isField(field))
        out[field] = field === 'notes' ? 'card.errors.notesRequired' : 'card.errors.required';
  }
  if (Array.isArray(details.fields)) {
    for (const item of details.fields as { field?: unknown; message?: string }[]) {
      if (isField(item?.field)) out[item.field] = 'card.errors.deletedEntry';
    }
  }
  if ('subcategory_category_id' in details) out.subcategory_id = 'card.errors.subcategoryMismatch';
  return out;
}
