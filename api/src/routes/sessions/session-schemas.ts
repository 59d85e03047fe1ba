import { z } from '@hono/zod-openapi';
import { MAX_RANGE_DAYS } from '../reports/report-schemas.ts';

/**
 * Schemas of `GET /reports/operator-sessions` (api/src/presence/operator-sessions.ts; definitions
 * in docs/metrics.md#operator-sessions-and-occupancy). Seconds as numbers, instants UTC ISO 8601.
 */

const isoDateTime = z.iso.datetime({ offset: true });

/** Query: the period (ISO 8601 with zone), the zone whose days cut it, and optionally one operator. */
export const OperatorSessionsQuery = z.strictObject({
  from: isoDateTime.openapi({
    description: 'period start, inclusive (ISO 8601 with zone)',
    example: '2026-11-21T00:00:00+03:00',
  }),
  to: isoDateTime.openapi({
    description: `period end, exclusive; after \`from\`, at most ${MAX_RANGE_DAYS} days later`,
    example: '2026-11-22T00:00:00+03:00',
  }),
  zone: z.string().min(1).max(64).default('UTC').openapi({
    description: 'IANA time zone whose calendar days split the report',
    example: 'Europe/Moscow',
  }),
  operator: z
    .string()
    .regex(/^[1-9][0-9]{0,14}$/, 'an operator id')
    .transform(Number)
    .optional()
    .openapi({ description: 'only this operator id (GET /presence `operatorId`)', example: '3' }),
});

const seconds = (description: string) => z.number().openapi({ description: `${description} (seconds)` });

/** One operator's day. */
export const OperatorSessionDaySchema = z
  .object({
    operatorId: z.number().int(),
    serverId: z.string(),
    endpoint: z.string().openapi({ example: '101' }),
    name: z.string(),
    day: z.string().openapi({ description: 'calendar day in `zone`', example: '2026-11-21' }),
    sessions: z.number().int().openapi({ description: 'sessions (offline → logged in) begun that day' }),
    firstLoginAt: z.string().nullable().openapi({ description: 'first session start of the day' }),
    lastLogoutAt: z
      .string()
      .nullable()
      .openapi({ description: 'last session end within the day; null while still logged in' }),
    loggedInSec: seconds('not offline: available + paused'),
    availableSec: seconds('available'),
    pausedSec: seconds('paused, all reasons'),
    wrapUpSec: seconds('paused with the reason after_call_work'),
    pausedByReason: z.array(
      z.object({
        reason: z.string(),
        label: z.string(),
        seconds: z.number(),
        pauses: z.number().int().openapi({ description: 'pauses of this reason begun that day' }),
      }),
    ),
    talkSec: seconds('on calls (talk and hold of the call segments), whatever the presence'),
    talkWhileAvailableSec: seconds('the part of talkSec inside available intervals'),
    calls: z.number().int().openapi({ description: 'calls whose segment of this operator starts that day' }),
    occupancy: z.number().nullable().openapi({
      description: 'talkWhileAvailableSec / (loggedInSec − pausedSec), 0..1; null when never available',
    }),
    intervals: z.array(
      z.object({
        state: z.enum(['available', 'paused', 'offline']),
        reason: z.string().nullable(),
        reasonLabel: z.string().nullable(),
        startedAt: z.string(),
        endedAt: z.string().nullable().openapi({ description: 'null: still open' }),
      }),
    ),
  })
  .openapi('OperatorSessionDay');

/** `GET /reports/operator-sessions`: per operator and day, ordered by server, endpoint, day. */
export const OperatorSessionsSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    zone: z.string(),
    generatedAt: z.string().openapi({ description: 'open intervals counted up to this instant (UTC)' }),
    days: z.array(OperatorSessionDaySchema),
  })
  .openapi('OperatorSessions');
