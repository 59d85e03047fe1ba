import { describe, expect, it } from 'vitest';
import type { CallCard } from '../../api/calls.ts';
import { ApiRequestError } from '../../api/http.ts';
import {
  type CardFormValues,
  changedFields,
  completeCardSchema,
  draftCardSchema,
  fieldErrorsFromApi,
  reapplyEdits,
  subcategoriesOf,
  updateFromValues,
  valuesFromCard,
} from '../call-card/card-form-values.ts';

const card = (overrides: Partial<CallCard> = {}): CallCard =>
  ({
    id: 42,
    version: 3,
    purpose_id: 1,
    category_id: 2,
    subcategory_id: null,
    tags: [
      { id: 9, name: 'VIP' },
      { id: 4, name: 'Жалоба' },
    ],
    notes: null,
    needs_callback: false,
    resolved_first_call: null,
    ...overrides,
  }) as CallCard;

const empty: CardFormValues = {
  purpose_id: null,
  category_id: null,
  subcategory_id: null,
  tag_ids: [],
  notes: '',
  needs_callback: false,
  resolved_first_call: 'unknown',
};

describe('form ⇄ API', () => {
  it('reads a card into form values (ids as strings, tags sorted)', () => {
    expect(valuesFromCard(card({ resolved_first_call: true, notes: 'ok' }))).toEqual({
      purpose_id: '1',
      category_id: '2',
      subcategory_id: null,
      tag_ids: ['4', '9'],
      notes: 'ok',
      needs_callback: false,
      resolved_first_call: 'yes',
    });
  });
  it('writes the PUT body with the version; blank notes are null; completion only when asked', () => {
    const values = { ...valuesFromCard(card()), notes: '   ', resolved_first_call: 'no' as const };
    expect(updateFromValues(values, 3)).toEqual({
      version: 3,
      purpose_id: 1,
      category_id: 2,
      subcategory_id: null,
      tag_ids: [4, 9],
      notes: null,
      needs_callback: false,
      resolved_first_call: false,
    });
    expect(updateFromValues(values, 3, true).complete).toBe(true);
  });
});

describe('completion rules', () => {
  it('requires purpose, category and non-blank notes to complete, not for a draft', () => {
    expect(draftCardSchema.safeParse(empty).success).toBe(true);
    const result = completeCardSchema.safeParse({ ...empty, notes: '  ' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path[0], i.message])).toEqual([
      ['purpose_id', 'card.errors.required'],
      ['category_id', 'card.errors.required'],
      ['notes', 'card.errors.notesRequired'],
    ]);
    expect(
      completeCardSchema.safeParse({ ...empty, purpose_id: '1', category_id: '2', notes: 'x' }).success,
    ).toBe(true);
  });
  it('limits notes to 4000 characters', () => {
    expect(draftCardSchema.safeParse({ ...empty, notes: 'x'.repeat(4001) }).success).toBe(false);
  });
  it('offers only the sub-categories of the chosen category', () => {
    const subs = [
      { id: 1, name: 'a', sortOrder: 0, deletedAt: null, categoryId: 2 },
      { id: 2, name: 'b', sortOrder: 0, deletedAt: null, categoryId: 3 },
    ];
    expect(subcategoriesOf('2', subs).map((s) => s.id)).toEqual([1]);
    expect(subcategoriesOf(null, subs)).toEqual([]);
  });
});

describe('reapplyEdits after a conflict', () => {
  const base = { ...empty, purpose_id: '1', notes: 'first' };
  it('keeps my changed fields and takes theirs elsewhere, naming the ones both changed', () => {
    const mine = { ...base, notes: 'mine', needs_callback: true };
    const theirs = { ...base, notes: 'theirs', purpose_id: '5', tag_ids: ['7'] };
    const { values, overwritten } = reapplyEdits(base, mine, theirs);
    expect(values).toEqual({ ...base, notes: 'mine', needs_callback: true, purpose_id: '5', tag_ids: ['7'] });
    expect(overwritten).toEqual(['notes']);
  });
  it('does not report a field both set to the same value', () => {
    const mine = { ...base, notes: 'same' };
    expect(reapplyEdits(base, mine, { ...base, notes: 'same' }).overwritten).toEqual([]);
  });
  it('keeps the sub-category with the category it belongs to', () => {
    const mine = { ...base, category_id: '2', subcategory_id: '20' };
    const theirs = { ...base, category_id: '3', subcategory_id: '30' };
    expect(reapplyEdits(base, mine, theirs).values).toMatchObject({ category_id: '2', subcategory_id: '20' });
    const onlyTheirs = { ...base, needs_callback: true };
    expect(reapplyEdits(base, onlyTheirs, theirs).values).toMatchObject({
      category_id: '3',
      subcategory_id: '30',
    });
  });
  it('lists changed fields, tags as a set', () => {
    expect(changedFields({ ...empty, tag_ids: ['1', '2'] }, { ...empty, tag_ids: ['2', '1'] })).toEqual([]);
    expect(changedFields(empty, { ...empty, tag_ids: ['1'], notes: 'x' })).toEqual(['tag_ids', 'notes']);
  });
});

describe('fieldErrorsFromApi', () => {
  it('maps the 422 completion rule', () => {
    const error = new ApiRequestError(422, 'validation_failed', 'a complete card needs purpose_id, notes', {
      missing: ['purpose_id', 'notes'],
    });
    expect(fieldErrorsFromApi(error)).toEqual({
      purpose_id: 'card.errors.required',
      notes: 'card.errors.notesRequired',
    });
  });
  it('maps deleted dictionary entries and a foreign sub-category', () => {
    const deleted = new ApiRequestError(422, 'validation_failed', 'x', {
      fields: [{ field: 'tag_ids', id: 3, message: 'no such tag, or it was deleted' }],
    });
    expect(fieldErrorsFromApi(deleted)).toEqual({ tag_ids: 'card.errors.deletedEntry' });
    const mismatch = new ApiRequestError(400, 'bad_request', 'x', {
      subcategory_id: 5,
      category_id: 2,
      subcategory_category_id: 3,
    });
    expect(fieldErrorsFromApi(mismatch)).toEqual({ subcategory_id: 'card.errors.subcategoryMismatch' });
  });
  it('maps zod issues by path and ignores other statuses', () => {
    const zod = new ApiRequestError(400, 'validation_failed', 'x', [
      { path: ['notes'], message: 'Too big: expected string to have <=4000 characters' },
    ]);
    expect(fieldErrorsFromApi(zod)).toEqual({ notes: 'Too big: expected string to have <=4000 characters' });
    expect(fieldErrorsFromApi(new ApiRequestError(409, 'conflict', 'x', { missing: ['notes'] }))).toEqual({});
    expect(fieldErrorsFromApi(new Error('network'))).toEqual({});
  });
});
