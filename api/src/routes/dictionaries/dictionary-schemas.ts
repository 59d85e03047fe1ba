import { z } from '@hono/zod-openapi';
import type { CreateInput, DictionaryKind, UpdateInput } from './dictionary-store.ts';
import { displayText, idNumber, idQuery } from './route-schemas.ts';

/**
 * Request and response schemas of the dictionary routes: they validate requests (strict objects:
 * an unknown field is a 400) and describe them in /openapi.json.
 */

/** sort_order is an int4; the API keeps it to a range people use. */
export const sortOrder = z.number().int().min(0).max(1_000_000);

/** One entry in responses. */
export const DictionaryItemSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    sortOrder: z.number().int(),
    deletedAt: z.string().nullable().openapi({ description: 'ISO time of the soft delete; null while live' }),
    categoryId: z
      .number()
      .int()
      .optional()
      .openapi({ description: 'subcategories only: the parent category' }),
  })
  .openapi('DictionaryItem');

/** `GET /dictionaries/{kind}`: the entries ordered by sortOrder, then name. */
export const DictionaryListSchema = z.object({ items: z.array(DictionaryItemSchema) });

/** `?include_deleted=true` (admins) and, for subcategories, `?category_id=`. */
export function listQuerySchema(kind: DictionaryKind) {
  const includeDeleted = z
    .enum(['true', 'false'])
    .optional()
    .openapi({
      param: { name: 'include_deleted', in: 'query' },
      description: 'admins only: also return soft-deleted entries (with deletedAt)',
    });
  const withCategory = z.object({ include_deleted: includeDeleted, category_id: idQuery('category_id') });
  if (kind === 'subcategories') return withCategory;
  // Other kinds take no category_id (so the document does not list it); the type stays one.
  return z.object({ include_deleted: includeDeleted }) as unknown as typeof withCategory;
}

/** POST body: `{name, sortOrder?}`, plus `categoryId` for subcategories. */
export function createBodySchema(kind: DictionaryKind): z.ZodType<CreateInput> {
  return kind === 'subcategories'
    ? z.strictObject({ name: displayText, sortOrder: sortOrder.optional(), categoryId: idNumber })
    : z.strictObject({ name: displayText, sortOrder: sortOrder.optional() });
}

/** PATCH body: at least one of `{name, sortOrder}` (and `categoryId` for subcategories). */
export function updateBodySchema(kind: DictionaryKind): z.ZodType<UpdateInput> {
  const shape =
    kind === 'subcategories'
      ? z.strictObject({
          name: displayText.optional(),
          sortOrder: sortOrder.optional(),
          categoryId: idNumber.optional(),
        })
      : z.strictObject({ name: displayText.optional(), sortOrder: sortOrder.optional() });
  return shape.refine((body) => Object.keys(body).length > 0, {
    message: 'send at least one field to change',
  });
}
