import { z } from '@hono/zod-openapi';

/**
 * Schemas shared by the admin route groups (dictionaries, queues): the path id, the error body
 * as OpenAPI responses, and the text rules for names people type.
 */

/** Largest id accepted in a path or body: 15 digits stay exact in a JS number and in bigint. */
export const MAX_ID = 999_999_999_999_999;

/** A database id in a path segment: digits only (`1 OR 1=1`, `-1`, `1e3`, 20 digits → 400). */
export const idParam = (entity: string) =>
  z
    .string()
    .regex(/^[1-9][0-9]{0,14}$/, 'a positive integer id')
    .transform(Number)
    .openapi({ param: { name: 'id', in: 'path' }, description: `the ${entity} id`, example: '12' });

/** The same id as a JSON number (a body field). */
export const idNumber = z.number().int().min(1).max(MAX_ID);

/** An optional id in a query string (`?category_id=3`). */
export const idQuery = (name: string) =>
  z
    .string()
    .regex(/^[1-9][0-9]{0,14}$/, 'a positive integer id')
    .transform(Number)
    .optional()
    .openapi({ param: { name, in: 'query' }, example: '3' });

/**
 * A name people type and others read: trimmed, 1..200 characters, no control characters (a NUL
 * would otherwise reach Postgres, which refuses it in text).
 */
export const displayText = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'at most 200 characters')
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting them is the point.
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'no control characters');

/** The API's one error body (errors/api-error.ts). */
export const ErrorBodySchema = z.object({
  error: z.string().openapi({ example: 'validation_failed' }),
  message: z.string(),
  details: z.unknown().optional(),
});

const ERROR_DESCRIPTIONS = {
  400: 'the request is not valid (unknown field, wrong type, malformed JSON, bad id)',
  401: 'no or invalid access token',
  403: 'not allowed for your role',
  404: 'no such entry',
  409: 'conflicts with existing data',
} as const;

/** OpenAPI `responses` entries for the given error statuses, all with the error body. */
export function errorResponses<const S extends keyof typeof ERROR_DESCRIPTIONS>(...statuses: S[]) {
  const out = {} as Record<
    S,
    { description: string; content: { 'application/json': { schema: typeof ErrorBodySchema } } }
  >;
  for (const status of statuses) {
    out[status] = {
      description: ERROR_DESCRIPTIONS[status],
      content: { 'application/json': { schema: ErrorBodySchema } },
    };
  }
  return out;
}
