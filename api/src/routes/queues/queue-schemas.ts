import { z } from '@hono/zod-openapi';
import { displayText } from '../dictionaries/route-schemas.ts';
import { isIanaTimeZone } from './time-zone.ts';

/**
 * The queue-settings routes' schemas (`GET /queues`, `PATCH /queues/{id}`): one queue as answered
 * and the admin's change, as they appear in /openapi.json.
 */

/** One queue in responses. */
export const QueueItemSchema = z
  .object({
    id: z.number().int(),
    serverId: z.string(),
    name: z.string().openapi({ description: 'the Asterisk queue name', example: 'support' }),
    displayName: z.string(),
    timeZone: z
      .string()
      .openapi({ description: 'IANA zone reports of this queue run in', example: 'Europe/Moscow' }),
    serviceLevelSec: z
      .number()
      .int()
      .openapi({ description: 'service-level threshold T, seconds from queue entry' }),
  })
  .openapi('Queue');

/** PATCH body: at least one setting; strict (an unknown field is a 400). */
export const QueueUpdateSchema = z
  .strictObject({
    displayName: displayText.optional(),
    timeZone: z
      .string()
      .refine(isIanaTimeZone, 'an IANA time zone such as Europe/Moscow')
      .optional()
      .openapi({ example: 'Asia/Yekaterinburg' }),
    serviceLevelSec: z.number().int().min(1).max(600).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'send at least one field to change' });
