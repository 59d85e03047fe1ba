import { z } from '@hono/zod-openapi';

/**
 * `GET /audit` schemas: the query (strict: unknown parameters → 400) and the page it answers.
 */

const isoDateTime = z.iso.datetime({ offset: true });

/** Most rows one page may ask for. */
export const MAX_AUDIT_LIMIT = 500;

/**
 * `GET /audit` query: period (ISO 8601 with zone, `from` ≤ `to`), who (`login`), `action`,
 * `target`, and paging (`limit` 1..500, default 100; `offset`). Strict: an unknown parameter is a
 * 400.
 */
export const AuditListQuery = z
  .strictObject({
    from: isoDateTime.optional().openapi({ description: 'rows at or after (ISO 8601 with zone)' }),
    to: isoDateTime.optional().openapi({ description: 'rows before (ISO 8601 with zone)' }),
    login: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: 'who acted (case-insensitive)' }),
    action: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .openapi({ description: '`login`, `card_edit`, `recording_listen`, `recording_download`, …' }),
    target: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: 'what was acted on, e.g. `call:42`' }),
    limit: z
      .string()
      .regex(/^[0-9]{1,3}$/, `an integer 1..${MAX_AUDIT_LIMIT}`)
      .transform(Number)
      .pipe(z.number().int().min(1).max(MAX_AUDIT_LIMIT))
      .default(100),
    offset: z
      .string()
      .regex(/^[0-9]{1,9}$/, 'an integer ≥ 0')
      .transform(Number)
      .default(0),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && Date.parse(q.from) > Date.parse(q.to)) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'from must not be after to' });
    }
  });
/** The parsed `GET /audit` query (limit and offset as numbers). */
export type AuditListQuery = z.infer<typeof AuditListQuery>;

/**
 * One audit row: when (UTC ISO), who (user id, login), the action, its target (`call:42`), the
 * client address and details.
 */
export const AuditEntry = z
  .object({
    id: z.number().int(),
    at: z.string().openapi({ description: 'when (ISO 8601, UTC)' }),
    user_id: z.number().int().nullable(),
    login: z.string(),
    action: z.string(),
    target: z.string().nullable(),
    ip: z.string().nullable(),
    details: z.unknown(),
  })
  .openapi('AuditEntry');
/** One audit row as the API returns it. */
export type AuditEntry = z.infer<typeof AuditEntry>;

/** `GET /audit`: the rows newest first, the total matching and the page. */
export const AuditListResponse = z
  .object({
    items: z.array(AuditEntry),
    total: z.number().int().openapi({ description: 'rows matching the filters (all pages)' }),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .openapi('AuditList');
