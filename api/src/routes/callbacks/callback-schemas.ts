import { z } from '@hono/zod-openapi';

/**
 * The callback worklist's schemas (`GET /callbacks`, callbacks/callback-list.ts): the query it
 * validates and the list it answers, as they appear in /openapi.json. Times are UTC ISO 8601.
 */

export const CallbackReach = z
  .object({
    callId: z.number().int(),
    direction: z.enum(['inbound', 'outbound']),
    startedAt: z.string(),
    operatorEndpoint: z.string().nullable(),
  })
  .openapi('CallbackReach');

/**
 * One call owed a callback (api/src/callbacks/callback-list.ts): why (missed, abandoned, or the
 * card asks for one), the customer's number as stored and as E.164, when the call started (UTC
 * ISO), and — once reached again — the call that reached them and how long that took in seconds.
 */
export const CallbackItem = z
  .object({
    callId: z.number().int(),
    serverId: z.string(),
    linkedid: z.string(),
    direction: z.string(),
    status: z.string(),
    reason: z.enum(['missed', 'abandoned', 'needs_callback']),
    needsCallback: z.boolean(),
    startedAt: z.string(),
    number: z.string().nullable().openapi({ description: 'the customer number as stored' }),
    e164: z.string().nullable().openapi({ example: '+79161234567' }),
    queue: z.string().nullable(),
    operatorEndpoint: z.string().nullable(),
    timeToCallbackSec: z
      .number()
      .nullable()
      .openapi({ description: 'start of this call → start of the call that reached the customer' }),
    reachedBy: CallbackReach.nullable(),
  })
  .openapi('CallbackItem');

/**
 * `GET /callbacks`: the items, oldest first, how many are still owed, and how many were reached
 * again (null unless `include_done`).
 */
export const CallbackList = z
  .object({
    items: z.array(CallbackItem),
    owed: z.number().int(),
    done: z.number().int().nullable(),
  })
  .openapi('CallbackList');

/** Query: strict, so a misspelt `include_done` is a 400 rather than silently ignored. */
export const CallbackQuery = z.strictObject({
  include_done: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true')
    .openapi({ param: { name: 'include_done', in: 'query' }, description: 'also list calls reached again' }),
  limit: z
    .string()
    .regex(/^[1-9][0-9]{0,3}$/, 'an integer 1..5000')
    .transform(Number)
    .refine((n) => n <= 5000, 'at most 5000')
    .optional()
    .openapi({ param: { name: 'limit', in: 'query' }, example: '500' }),
});
