import { z } from '@hono/zod-openapi';
import { displayText, ErrorBodySchema } from '../dictionaries/route-schemas.ts';
import { MAX_RANGE_DAYS } from '../reports/report-schemas.ts';

/**
 * Request and response schemas of the presence routes (`/presence`, `/me/presence`,
 * `/presence/reasons`, `/reports/presence`). Bodies and queries are strict: an unknown field is a
 * 400 with the API's error body.
 */

export const PresenceStateSchema = z
  .enum(['available', 'paused', 'offline'])
  .openapi({ description: '`offline`: not at work (never set, or ended with PUT state offline)' });

/**
 * One operator's presence: who (id, server, endpoint, name), the state, the pause reason code and
 * label (null unless paused) and since when (UTC ISO).
 */
export const PresenceItemSchema = z
  .object({
    operatorId: z.number().int(),
    serverId: z.string(),
    endpoint: z.string().openapi({ example: '101' }),
    name: z.string(),
    state: PresenceStateSchema,
    reason: z
      .string()
      .nullable()
      .openapi({ description: 'pause reason code, null unless paused', example: 'lunch' }),
    reasonLabel: z.string().nullable().openapi({ example: 'Обед' }),
    since: z
      .string()
      .openapi({ description: 'start of this state, ISO 8601 UTC', example: '2026-11-21T09:00:00.000Z' }),
    recorded: z.boolean().openapi({
      description:
        "true: the state was set through the product (app.operator_presence); false: none was ever set, so the state is what Asterisk does with the operator's queue memberships (unpaused and registered: available; paused: paused with Asterisk's reason; else offline)",
    }),
    registration: z.enum(['registered', 'unregistered', 'unknown']).openapi({
      description:
        "whether the operator's phone is registered, from the device state Asterisk reports for its queue memberships (AMI QueueStatus / QueueMemberStatus); unknown without AMI or queue membership",
    }),
  })
  .openapi('Presence');

/** `GET /presence`: the operators in your scope. */
export const PresenceListSchema = z
  .object({ operators: z.array(PresenceItemSchema) })
  .openapi('PresenceList');

/**
 * The answer to a presence change: the new presence and whether Asterisk applied the queue pause
 * (AMI QueuePause), with the reason when not.
 */
export const PresenceChangeResultSchema = PresenceItemSchema.extend({
  asterisk: z
    .object({
      applied: z
        .boolean()
        .openapi({ description: 'Asterisk paused/unpaused the queue member (AMI QueuePause)' }),
      reason: z.string().nullable().openapi({
        description: 'why not applied: AMI not configured, not a member of any queue',
        example: 'AMI is not configured (AMI_HOST); the queue pause was not applied',
      }),
    })
    .openapi({ description: 'the queue side of the change' }),
}).openapi('PresenceChangeResult');

/**
 * `PUT /me/presence` and `PUT /presence/{operatorId}` body: the state, and a reason code with
 * `paused` only.
 */
export const PresenceChangeBody = z
  .strictObject({
    state: z.enum(['available', 'paused', 'offline']).openapi({
      description:
        '`available` unpauses in every queue; `paused` pauses with `reason`; `offline` ends the shift',
    }),
    reason: z.string().trim().min(1).max(32).nullable().optional().openapi({
      description: 'a code of GET /presence/reasons; required with `paused` only',
      example: 'lunch',
    }),
  })
  .openapi('PresenceChange');

/** `GET /presence/reasons`: the pause reasons operators pick from, in order. */
export const ReasonListSchema = z
  .object({
    reasons: z.array(
      z.object({
        code: z.string().openapi({ example: 'lunch' }),
        label: z.string().openapi({ example: 'Обед' }),
      }),
    ),
  })
  .openapi('PresenceReasons');

/** An operator id in a path: a positive integer. */
export const operatorIdParam = z
  .string()
  .regex(/^[1-9][0-9]{0,14}$/, 'a positive integer id')
  .transform(Number)
  .openapi({
    param: { name: 'operatorId', in: 'path' },
    description: 'the operator id (GET /presence)',
    example: '3',
  });

const reasonCode = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,31}$/, 'lower-case letters, digits and _, starting with a letter, at most 32')
  .refine((code) => code !== 'offline', 'offline is the reason Asterisk gets for the offline state')
  .openapi({ example: 'coaching' });

/** `POST /presence/reasons` (admin). */
export const ReasonCreateBody = z
  .strictObject({
    code: reasonCode.openapi({ description: 'sent to Asterisk as QueuePause Reason; never changes' }),
    label: displayText.openapi({ example: 'Наставничество' }),
    sortOrder: z.number().int().min(0).max(100_000).default(100),
  })
  .openapi('PresenceReasonCreate');

/** `PATCH /presence/reasons/{code}` (admin): at least one field. */
export const ReasonUpdateBody = z
  .strictObject({
    label: displayText.optional(),
    sortOrder: z.number().int().min(0).max(100_000).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'send at least one field to change' });

/** One pause reason as admins manage it: code, label and sort order. */
export const ReasonEntrySchema = z
  .object({ code: z.string(), label: z.string(), sortOrder: z.number().int() })
  .openapi('PresenceReason');

/** `/presence/reasons/{code}` path: a reason code. */
export const ReasonParams = z.object({
  code: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,31}$/, 'a reason code')
    .openapi({ param: { name: 'code', in: 'path' }, example: 'lunch' }),
});

/** `PUT /presence/{operatorId}`'s path. */
export const OperatorParams = z.object({ operatorId: operatorIdParam });

const isoDateTime = z.iso.datetime({ offset: true });

/**
 * `GET /reports/presence` query: the period (ISO 8601 with zone, `from` < `to`, at most
 * MAX_RANGE_DAYS) and optionally one operator.
 */
export const PresenceReportQuery = z.strictObject({
  from: isoDateTime.openapi({
    description: 'period start, inclusive (ISO 8601 with zone)',
    example: '2026-11-21T00:00:00+03:00',
  }),
  to: isoDateTime.openapi({
    description: `period end, exclusive; after \`from\`, at most ${MAX_RANGE_DAYS} days later`,
    example: '2026-11-22T00:00:00+03:00',
  }),
  operator: z
    .string()
    .regex(/^[1-9][0-9]{0,14}$/, 'an operator id')
    .transform(Number)
    .optional()
    .openapi({ description: 'only this operator id (GET /presence `operatorId`)', example: '3' }),
});

/**
 * `GET /reports/presence`: per operator, seconds available and paused (by reason) within the
 * period and pauses started in it; open intervals count up to `generatedAt`.
 */
export const PresenceReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    generatedAt: z
      .string()
      .openapi({ description: 'open intervals are counted up to this instant (ISO UTC)' }),
    operators: z.array(
      z.object({
        operatorId: z.number().int(),
        serverId: z.string(),
        endpoint: z.string(),
        name: z.string(),
        availableSec: z.number().openapi({ description: 'seconds available within the period' }),
        pausedSec: z.number().openapi({ description: 'seconds paused within the period, all reasons' }),
        pauses: z.number().int().openapi({ description: 'pauses that started within the period' }),
        pausedByReason: z.array(
          z.object({ reason: z.string(), label: z.string(), seconds: z.number(), pauses: z.number().int() }),
        ),
      }),
    ),
  })
  .openapi('PresenceReport');

const DESCRIPTIONS = {
  400: 'the request is not valid (unknown field, missing or unknown reason, bad dates)',
  401: 'no or invalid access token',
  403: 'not allowed for your role',
  404: 'no such operator in your scope',
  409: 'your user has no registered operator endpoint',
  502: 'Asterisk refused or did not answer the QueuePause; nothing was recorded',
  503: 'Asterisk is not reachable over AMI; nothing was recorded',
} as const;

/** OpenAPI responses for the given error statuses, with the API's error body. */
export function presenceErrors<const S extends keyof typeof DESCRIPTIONS>(...statuses: S[]) {
  const out = {} as Record<
    S,
    { description: string; content: { 'application/json': { schema: typeof ErrorBodySchema } } }
  >;
  for (const status of statuses) {
    out[status] = {
      description: DESCRIPTIONS[status],
      content: { 'application/json': { schema: ErrorBodySchema } },
    };
  }
  return out;
}
