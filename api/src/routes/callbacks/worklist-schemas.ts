import { z } from '@hono/zod-openapi';
import { MAX_RANGE_DAYS } from '../reports/report-schemas.ts';

/**
 * Schemas of `GET /callbacks/worklist` (api/src/callbacks/missed-worklist.ts; definitions in
 * docs/metrics.md#missed-calls-worklist-and-callback-kpi). Instants UTC ISO 8601, durations in
 * seconds. Kept apart from `GET /callbacks`' schemas (callback-schemas.ts).
 */

const isoDateTime = z.iso.datetime({ offset: true });

/** Query: strict, so a misspelt parameter is a 400. */
export const WorklistQuery = z.strictObject({
  from: isoDateTime.openapi({
    description: 'lost calls that started from (inclusive; ISO 8601 with zone)',
    example: '2026-11-21T00:00:00+03:00',
  }),
  to: isoDateTime.openapi({
    description: `… to (exclusive); after \`from\`, at most ${MAX_RANGE_DAYS} days later`,
    example: '2026-11-22T00:00:00+03:00',
  }),
  queue: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .openapi({ description: 'only calls that went through this queue', example: 'support' }),
  state: z.enum(['owed', 'reached', 'all']).default('all').openapi({
    description: '`owed`: a phone number not reached again; `reached`: reached again; `all`',
  }),
  limit: z
    .string()
    .regex(/^[1-9][0-9]{0,3}$/, 'an integer 1..5000')
    .transform(Number)
    .refine((n) => n <= 5000, 'at most 5000')
    .optional()
    .openapi({ description: 'items at most (default 1000); the KPI and total cover all', example: '500' }),
});

/** The later answered call that reached the number again. */
export const WorklistReachSchema = z
  .object({
    callId: z.number().int(),
    direction: z.enum(['inbound', 'outbound']),
    startedAt: z.string(),
    operatorEndpoint: z.string().nullable(),
    operatorName: z.string().nullable(),
    afterSec: z.number().openapi({ description: "lost call's start → this call's start (seconds)" }),
  })
  .openapi('WorklistReach');

/** One abandoned or missed inbound call. */
export const WorklistItemSchema = z
  .object({
    callId: z.number().int(),
    serverId: z.string(),
    linkedid: z.string(),
    status: z.enum(['abandoned', 'missed']),
    startedAt: z.string(),
    queue: z.string().nullable(),
    queueWaitSec: z.number().nullable().openapi({ description: 'seconds in the queue; null: never queued' }),
    waitSec: z.number().openapi({ description: 'seconds from the start until the call ended unanswered' }),
    number: z.string().nullable().openapi({ description: 'the caller number as stored' }),
    e164: z.string().nullable().openapi({ example: '+79161234567' }),
    needsCallback: z.boolean(),
    callbackAttempts: z.number().int().openapi({
      description: 'outbound calls to the number after this call, up to the one that reached it',
    }),
    reachedAgain: WorklistReachSchema.nullable(),
  })
  .openapi('WorklistItem');

/** The callback KPI over the period. */
export const WorklistKpiSchema = z
  .object({
    lost: z.number().int(),
    abandoned: z.number().int(),
    missed: z.number().int(),
    withNumber: z
      .number()
      .int()
      .openapi({ description: 'lost calls with a phone number (can be called back)' }),
    owed: z.number().int(),
    reached: z.number().int().openapi({ description: 'reached again, inbound or outbound' }),
    reachedShare: z.number().nullable().openapi({ description: 'reached / withNumber' }),
    calledBack: z.number().int().openapi({ description: 'reached again by an outbound call' }),
    calledBackShare: z.number().nullable().openapi({ description: 'calledBack / withNumber' }),
    medianTimeToCallbackSec: z.number().nullable().openapi({ description: 'median afterSec of the reached' }),
  })
  .openapi('WorklistKpi');

/** `GET /callbacks/worklist`. */
export const WorklistSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    generatedAt: z.string(),
    kpi: WorklistKpiSchema,
    total: z.number().int().openapi({ description: 'lost calls matching `state` (all pages)' }),
    items: z.array(WorklistItemSchema).openapi({ description: 'newest first, at most `limit`' }),
  })
  .openapi('MissedWorklist');
