import {
  CALL_COLUMNS,
  CALL_DIRECTIONS,
  CALL_ENDED_AT_STAGES,
  CALL_STATUSES,
  type CallColumnName,
  type CallColumnSpec,
  type CallDirection,
  type CallEndedAtStage,
  type CallStatus,
} from '@callcenter/sql/schema';
import { z } from '@hono/zod-openapi';

/**
 * The call-card routes' zod schemas: they validate requests (unknown fields and parameters → 400)
 * and are the OpenAPI document's schemas. Fields that are `app.calls` columns take their shape
 * from the call's one definition (`@callcenter/sql/schema`, sql/schema/call-columns.ts).
 */

export {
  CALL_DIRECTIONS,
  CALL_ENDED_AT_STAGES,
  CALL_STATUSES,
  type CallDirection,
  type CallEndedAtStage,
  type CallStatus,
};

/**
 * `GET /calls?ivr_choice=-`: the calls with no IVR choice (`ivr_choice` null: no menu, or the caller
 * left it without choosing). `-` is no Asterisk extension a menu could lead to.
 */
export const IVR_NO_CHOICE = '-';

/** The columns `GET /calls` sorts by (`sort`). */
export const SORT_KEYS = ['started_at', 'duration_sec', 'wait_sec', 'talk_sec'] as const;
/** A column `GET /calls` sorts by. */
export type SortKey = (typeof SORT_KEYS)[number];
/** The order of `GET /calls` (`order`). */
export type SortOrder = 'asc' | 'desc';

/** Largest id accepted: 15 digits stay exact in a JS number and in bigint. */
export const MAX_ID = 999_999_999_999_999;
/** Longest list window (`from`..`to`). */
export const MAX_RANGE_DAYS = 366;
/** Longest card note, in characters. */
export const MAX_NOTES_LENGTH = 4000;
/** Most tags on one card. */
export const MAX_TAGS = 50;

const DIGITS_ID = /^[1-9][0-9]{0,14}$/;

/** A database id in a query string or path: digits only (`1 OR 1=1`, `-1`, `1e3` → 400). */
const idString = z.string().regex(DIGITS_ID, 'a positive integer id').transform(Number);

/** An id as a JSON number (a body field). */
const idNumber = z.number().int().min(1).max(MAX_ID);

/** `+7 (916) 123-45-67` → `79161234567`: the separators people type are dropped. */
export function normaliseNumber(raw: string): string {
  return raw.replace(/[\s+()\-.]/g, '');
}

/** A phone number or extension: digits once the separators are gone (anything else → 400). */
const phoneNumber = z
  .string()
  .max(64)
  .transform(normaliseNumber)
  .pipe(z.string().regex(/^[0-9]{1,32}$/, 'digits, optionally with +, spaces, dashes or brackets'));

const isoDateTime = z.iso.datetime({ offset: true });
/** A local time of day `HH:MM` (00:00..24:00): the report's interval drill-down. */
const timeOfDay = z.string().regex(/^(?:[01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/, 'a time of day HH:MM');
/** An IANA time zone name Node knows (`Europe/Moscow`). */
const timeZone = z
  .string()
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'an IANA time zone such as Europe/Moscow');

/** `/calls/{id}` path: a positive integer id of at most 15 digits (anything else is a 400). */
export const CallIdParams = z.object({
  id: idString.openapi({ param: { name: 'id', in: 'path' }, description: 'the call id', example: '42' }),
});

/** `GET /calls` query parameters (strict: an unknown parameter is a 400, so is a repeated one). */
export const CallListQuery = z
  .strictObject({
    from: isoDateTime.optional().openapi({ description: 'calls started at or after (ISO 8601 with zone)' }),
    to: isoDateTime.optional().openapi({ description: 'calls started before (ISO 8601 with zone)' }),
    operator: z.string().min(1).max(64).optional().openapi({ description: 'operator endpoint, e.g. 101' }),
    queue: z.string().min(1).max(128).optional().openapi({ description: 'the call’s queue (Asterisk name)' }),
    status: z.enum(CALL_STATUSES).optional(),
    direction: z.enum(CALL_DIRECTIONS).optional(),
    ended_at_stage: z.enum(CALL_ENDED_AT_STAGES).optional().openapi({
      description:
        'the stage the call had reached when it ended (docs/reconciliation.md#ended-at-stage): ivr, refused, queue, ringing, voicemail, talk, service',
    }),
    ivr_choice: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .openapi({
        description: `the caller's IVR menu choice(s), exact (docs/reconciliation.md#ivr-choice): \`3\`, \`2>1\` (nested menus), \`t\` timeout, \`i\` invalid; \`${IVR_NO_CHOICE}\` = calls with no choice (no menu, or hung up in it)`,
        example: '3',
      }),
    purpose_id: idString.optional(),
    category_id: idString.optional(),
    subcategory_id: idString.optional(),
    tag_id: idString.optional(),
    needs_callback: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    card: z.enum(['complete', 'incomplete']).optional(),
    number: phoneNumber.optional().openapi({ description: 'caller or callee number (exact, digits)' }),
    q: z.string().min(1).max(200).optional().openapi({ description: 'text in the notes (case-insensitive)' }),
    did: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .openapi({ description: 'the number the caller dialled (DID), exact' }),
    time_from: timeOfDay.optional().openapi({
      description:
        'calls started at or after this local time of day (HH:MM in `tz`), on any day of the period',
    }),
    time_to: timeOfDay.optional().openapi({
      description: 'calls started before this local time of day (HH:MM in `tz`; 24:00 = end of day)',
    }),
    tz: timeZone.optional().openapi({ description: 'IANA zone of time_from/time_to (default UTC)' }),
    sort: z.enum(SORT_KEYS).default('started_at'),
    order: z.enum(['asc', 'desc']).default('desc'),
    limit: z
      .string()
      .regex(/^[0-9]{1,3}$/, 'an integer 1..500')
      .transform(Number)
      .pipe(z.number().int().min(1).max(500))
      .default(50),
    cursor: z
      .string()
      .min(1)
      .max(512)
      .regex(/^[A-Za-z0-9_-]+$/, 'a cursor from nextCursor')
      .optional()
      .openapi({ description: 'nextCursor of the previous page (same filters and sort)' }),
  })
  .superRefine((q, ctx) => {
    if (q.time_from && q.time_to && q.time_from >= q.time_to)
      ctx.addIssue({ code: 'custom', path: ['time_from'], message: 'time_from must be before time_to' });
    if (q.from && q.to) {
      const from = Date.parse(q.from);
      const to = Date.parse(q.to);
      if (from > to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'from must not be after to' });
      else if (to - from > MAX_RANGE_DAYS * 86_400_000)
        ctx.addIssue({
          code: 'custom',
          path: ['to'],
          message: `the range must not exceed ${MAX_RANGE_DAYS} days`,
        });
    }
  });
/** The parsed `GET /calls` query (ids and limits as numbers). */
export type CallListQuery = z.output<typeof CallListQuery>;

/** Card fields a person types; in `PUT` an absent field is left as it is. */
const cardFields = {
  purpose_id: idNumber.nullable().optional(),
  category_id: idNumber.nullable().optional(),
  subcategory_id: idNumber.nullable().optional(),
  tag_ids: z
    .array(idNumber)
    .max(MAX_TAGS)
    .refine((ids) => new Set(ids).size === ids.length, 'tag ids must be unique')
    .optional(),
  notes: z.string().max(MAX_NOTES_LENGTH).nullable().optional(),
  needs_callback: z.boolean().optional(),
  resolved_first_call: z.boolean().nullable().optional(),
  complete: z.boolean().optional().openapi({
    description: 'true marks the card complete (needs purpose, category and notes); false reopens it',
  }),
};

/** `PUT /calls/{id}`: card fields plus the `version` the client read (optimistic concurrency). */
export const UpdateCardBody = z
  .strictObject({
    ...cardFields,
    // 0 = a provisional live card, still ringing (sql/postgres/007): it can be typed at once.
    version: z.number().int().min(0).openapi({ description: 'the card version this edit is based on' }),
  })
  .openapi('UpdateCardBody');
/** The parsed `PUT /calls/{id}` body. */
export type UpdateCardBody = z.output<typeof UpdateCardBody>;

/** `POST /calls`: a call the telephony never saw (taken on a mobile, …) with its card. */
export const CreateCallBody = z
  .strictObject({
    direction: z.enum(CALL_DIRECTIONS),
    started_at: isoDateTime,
    src_number: phoneNumber.nullable().optional(),
    dst_number: phoneNumber.nullable().optional(),
    duration_sec: z.number().min(0).max(86_400).optional(),
    queue: z.string().min(1).max(128).nullable().optional(),
    ...cardFields,
  })
  .refine((b) => b.src_number || b.dst_number, {
    message: 'src_number or dst_number is needed',
    path: ['src_number'],
  })
  .openapi('CreateCallBody');
/** The parsed `POST /calls` body (phone numbers without separators). */
export type CreateCallBody = z.output<typeof CreateCallBody>;

const isoTime = z.string().openapi({ format: 'date-time' });

/** A tag on a card: id and name. */
export const TagRef = z.object({ id: z.number().int(), name: z.string() }).openapi('CallTagRef');

/** A column's value in a response: times as ISO strings, ids and counts as numbers. */
type ApiValue<C extends CallColumnSpec> =
  | (C['pg'] extends 'timestamptz'
      ? string
      : C['pg'] extends 'text[]'
        ? string[]
        : C['pg'] extends 'text'
          ? C extends { values: readonly (infer V)[] }
            ? V
            : string
          : C['pg'] extends 'boolean'
            ? boolean
            : number)
  | (C['nullable'] extends true ? null : never);

/** The response schema of one app.calls column, from its spec (type, nullability, CHECK values, doc). */
function columnSchema<N extends CallColumnName>(name: N): z.ZodType<ApiValue<(typeof CALL_COLUMNS)[N]>> {
  const spec: CallColumnSpec = CALL_COLUMNS[name];
  const base =
    spec.pg === 'timestamptz'
      ? isoTime
      : spec.pg === 'text[]'
        ? z.array(z.string())
        : spec.pg === 'text'
          ? spec.values
            ? z.enum(spec.values as readonly [string, ...string[]])
            : z.string()
          : spec.pg === 'boolean'
            ? z.boolean()
            : spec.pg === 'double precision'
              ? z.number()
              : z.number().int();
  const schema = (spec.nullable ? base.nullable() : base).openapi({ description: spec.doc });
  return schema as unknown as z.ZodType<ApiValue<(typeof CALL_COLUMNS)[N]>>;
}

/** Response fields for the named app.calls columns, in the order given. */
function columns<const N extends CallColumnName>(...names: N[]) {
  return Object.fromEntries(names.map((name) => [name, columnSchema(name)])) as {
    [K in N]: z.ZodType<ApiValue<(typeof CALL_COLUMNS)[K]>>;
  };
}

/** One call in a list: the derived facts and the card, with dictionary names. */
export const CallSummary = z
  .object({
    ...columns(
      'id',
      'server_id',
      'linkedid',
      'direction',
      'status',
      'started_at',
      'answered_at',
      'ended_at',
      'duration_sec',
      'wait_sec',
      'talk_sec',
      'hold_sec',
      'src_number',
      'dst_number',
      'did',
      'queue',
      'queues',
      'operator_endpoint',
      'ended_at_stage',
      'ivr_choice',
    ),
    has_recording: z.boolean(),
    manual: z.boolean().openapi({ description: 'entered by hand (POST /calls), not seen by the telephony' }),
    live: z.boolean().openapi({
      description:
        'a provisional live card (README.md, "Live calls"): the call is still going on, its status, operator and answer time come from ARI or the CEL seen so far; false once the call is written from its CEL',
    }),
    ...columns('purpose_id'),
    purpose_name: z.string().nullable(),
    ...columns('category_id'),
    category_name: z.string().nullable(),
    ...columns('subcategory_id'),
    subcategory_name: z.string().nullable(),
    tags: z.array(TagRef),
    ...columns('notes', 'needs_callback', 'resolved_first_call'),
    card_complete: z.boolean(),
    ...columns('card_completed_at', 'version'),
  })
  .openapi('CallSummary');
/** One call of a list, as the API returns it. */
export type CallSummary = z.infer<typeof CallSummary>;

/**
 * One ring of an operator's phone within a call: when (UTC ISO), how long in seconds, the outcome
 * (`answered`, `no_answer`, `busy`, `declined`, `canceled`, …) and the Q.850 hangup cause.
 */
export const CallAttempt = z
  .object({
    seq: z.number().int(),
    operator_endpoint: z.string(),
    operator_id: z.number().int().nullable(),
    queue: z.string().nullable(),
    rang_at: isoTime,
    ring_sec: z.number(),
    outcome: z.string(),
    hangup_cause: z.number().int().nullable(),
  })
  .openapi('CallAttempt');

/**
 * One transfer within a call: blind or attended, who transferred, the target and when (UTC ISO).
 */
export const CallTransfer = z
  .object({
    seq: z.number().int(),
    kind: z.string(),
    from_operator: z.string().nullable(),
    to_target: z.string().nullable(),
    at: isoTime,
  })
  .openapi('CallTransfer');

/**
 * One stretch of talk with one party (docs/reconciliation.md#segments): operator, party, times
 * (UTC ISO), talk and hold in seconds.
 */
export const CallSegment = z
  .object({
    seq: z.number().int(),
    operator_endpoint: z.string().nullable(),
    operator_id: z.number().int().nullable(),
    party: z.string(),
    started_at: isoTime,
    ended_at: isoTime,
    talk_sec: z.number(),
    hold_sec: z.number(),
  })
  .openapi('CallSegment');

/** One hold within a call: which operator held, from and to (UTC ISO). */
export const CallHold = z
  .object({
    seq: z.number().int(),
    operator_endpoint: z.string().nullable(),
    started_at: isoTime,
    ended_at: isoTime,
  })
  .openapi('CallHold');

/** One call's card: the summary plus identifiers, card bookkeeping and the child rows. */
export const CallCard = CallSummary.extend({
  ...columns(
    'uniqueid',
    'linkedids',
    'queue_wait_sec',
    'operator_id',
    'hung_up_by',
    'closed_by',
    'flags',
    'card_updated_at',
    'card_updated_by',
    'created_at',
    'updated_at',
  ),
  attempts: z.array(CallAttempt),
  transfers: z.array(CallTransfer),
  segments: z.array(CallSegment),
  holds: z.array(CallHold),
}).openapi('CallCard');
/** One call's card, as the API returns it. */
export type CallCard = z.infer<typeof CallCard>;

/** One CEL row of a call's explanation (Asterisk's `cel` columns the reconciler reads). */
export const ExplainCelRow = z
  .object({
    id: z.number().int().openapi({ description: '`cel.id` on the call’s server' }),
    event_type: z.string(),
    event_time: isoTime,
    channel: z.string().openapi({ description: '`channame`' }),
    uniqueid: z.string(),
    linkedid: z.string(),
    cid_num: z.string(),
    exten: z.string(),
    context: z.string(),
    app_name: z.string(),
    app_data: z.string(),
    peer: z.string(),
    extra: z.string().openapi({ description: 'the raw `extra` column (JSON text or empty)' }),
  })
  .openapi('ExplainCelRow');
export type ExplainCelRow = z.infer<typeof ExplainCelRow>;

/** One CDR row of a call's explanation. */
export const ExplainCdrRow = z
  .object({
    id: z.number().int(),
    start: isoTime.nullable(),
    answer: isoTime.nullable(),
    end: isoTime.nullable(),
    src: z.string(),
    dst: z.string(),
    channel: z.string(),
    dstchannel: z.string(),
    lastapp: z.string(),
    disposition: z.string(),
    billsec: z.number().nullable(),
    uniqueid: z.string(),
    linkedid: z.string(),
  })
  .openapi('ExplainCdrRow');
export type ExplainCdrRow = z.infer<typeof ExplainCdrRow>;

export const ExplainDecision = z
  .object({
    field: z
      .string()
      .openapi({ description: '`status`, `direction`, `operator`, `attempts[i]`, `transfers[i]`, …' }),
    value: z.unknown().openapi({ description: 'the value the rule gave (as in the reconciler’s output)' }),
    rule: z.string().openapi({ description: 'the deciding rule: an anchor of docs/reconciliation.md' }),
    evidence: z.array(z.number().int()).openapi({ description: '`cel.id`s of the rows the rule read' }),
  })
  .openapi('ExplainDecision');

/** `GET /calls/:id/explain` (docs/reconciliation.md#explanation). */
export const CallExplanation = z
  .object({
    call: CallCard,
    cel: z.array(ExplainCelRow).openapi({ description: 'the call’s CEL rows in `cel.id` order' }),
    cdr: z.array(ExplainCdrRow),
    decisions: z.array(ExplainDecision),
  })
  .openapi('CallExplanation');
export type CallExplanation = z.infer<typeof CallExplanation>;

/**
 * `GET /calls`: one keyset page of calls, the total (counted up to 10 000) and the next cursor.
 */
export const CallListResponse = z
  .object({
    items: z.array(CallSummary),
    total: z
      .number()
      .int()
      .openapi({ description: 'calls matching the filters on all pages, counted up to 10 000' }),
    totalExact: z
      .boolean()
      .openapi({ description: 'false when more than 10 000 calls match (show "10 000+")' }),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: 'pass as `cursor` for the next page; null on the last' }),
  })
  .openapi('CallList');

/** The API's error body as the call routes document it: `{error, message, details?}`. */
export const ErrorBody = z
  .object({ error: z.string(), message: z.string(), details: z.unknown().optional() })
  .openapi('CallErrorBody');

const ERRORS = {
  400: 'the request is not valid (unknown field or parameter, wrong type, bad id or cursor)',
  401: 'no or invalid access token',
  403: 'not allowed for your role or scope',
  404: 'no such call in your scope',
  409: 'the card changed since it was read: `details.currentVersion` and `details.card`',
  422: 'the card cannot be saved: `details` names the fields',
} as const;

/** OpenAPI `responses` entries for the given error statuses, all with the error body. */
export function errorResponses<const S extends keyof typeof ERRORS>(...statuses: S[]) {
  const out = {} as Record<
    S,
    { description: string; content: { 'application/json': { schema: typeof ErrorBody } } }
  >;
  for (const status of statuses) {
    out[status] = { description: ERRORS[status], content: { 'application/json': { schema: ErrorBody } } };
  }
  return out;
}
