import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { ApiDeps, ApiEnv } from '../../api-deps.ts';
import { WallboardService } from '../../live/wallboard/wallboard-service.ts';
import { requireRole } from '../../middleware/require-role/require-role.ts';
import { ErrorBodySchema } from '../dictionaries/route-schemas.ts';

/**
 * The live wallboard (README.md "Live wallboard", docs/roles.md): supervisors and admins only,
 * a supervisor seeing their own queues and the operators serving them.
 *
 * - `GET /live/wallboard`: the JSON snapshot `{generated_at, queues, operators, live}`
 *   (live/wallboard/wallboard-service.ts holds the rules and sources);
 * - `GET /live/wallboard/events`: Server-Sent Events: `event: wallboard` with the same snapshot as
 *   `data:` at once and after every change (only when what this user sees changed), a comment
 *   every 15 s. Authenticated like `GET /live/events` (`?access_token=` for EventSource).
 *
 * The authentication middleware is the `/live/*` one of live-routes.ts, which mounts these routes.
 */

const STATES = ['offline', 'available', 'ringing', 'talking', 'hold', 'wrap_up', 'paused'] as const;

const QueueSchema = z
  .object({
    queue: z.string().openapi({ description: 'Asterisk queue name', example: 'support' }),
    name: z.string().openapi({ description: 'display name (app.queues)', example: 'Поддержка' }),
    waiting: z.number().int().openapi({ description: 'callers waiting now' }),
    longest_wait_sec: z
      .number()
      .int()
      .openapi({ description: 'longest wait now, seconds (0: nobody waits)' }),
    operators_available: z.number().int(),
    operators_talking: z.number().int().openapi({ description: 'talking or holding a call' }),
    operators_paused: z.number().int(),
    offered_today: z
      .number()
      .int()
      .openapi({ description: 'since midnight in the queue time zone (docs/metrics.md "Counts")' }),
    answered_today: z.number().int(),
    abandoned_today: z.number().int(),
    service_level_today: z
      .number()
      .nullable()
      .openapi({ description: '0..1, docs/metrics.md "Service level"; null when nothing counts yet' }),
    server_id: z.string(),
    operators_logged_in: z.number().int().openapi({ description: 'members not offline' }),
    operators_ringing: z.number().int(),
    operators_wrap_up: z.number().int(),
    longest_wait_since: z
      .string()
      .nullable()
      .openapi({ description: 'ISO 8601 UTC when the longest-waiting caller entered the queue' }),
    asa_today_sec: z.number().nullable().openapi({ description: 'ASA since midnight, seconds' }),
    service_level_sec: z
      .number()
      .int()
      .openapi({ description: 'T of the service level: the wall alarms when the longest wait passes it' }),
    time_zone: z.string().openapi({ example: 'Europe/Moscow' }),
  })
  .openapi('WallboardQueue');

const CallSchema = z
  .object({
    number: z.string().nullable().openapi({ description: 'the caller number' }),
    queue: z.string().nullable(),
    since: z
      .string()
      .openapi({ description: 'ISO 8601 UTC: the ring, or the answer (talk time runs from it)' }),
  })
  .openapi('WallboardCall');

const OperatorSchema = z
  .object({
    operator: z.string().openapi({ description: 'phone endpoint', example: '101' }),
    name: z.string(),
    state: z.enum(STATES),
    state_since: z.string().openapi({ description: 'ISO 8601 UTC' }),
    operator_id: z.number().int().openapi({ description: 'for PUT /presence/{operatorId}' }),
    server_id: z.string(),
    reason: z.string().nullable().openapi({ description: 'pause reason code while paused' }),
    reason_label: z.string().nullable(),
    queues: z.array(z.string()).openapi({ description: 'the queues it serves that you may see' }),
    current_call: CallSchema.nullable(),
    calls_today: z.number().int(),
    talk_today_sec: z.number().int(),
  })
  .openapi('WallboardOperator');

export const WallboardSchema = z
  .object({
    generated_at: z.string().openapi({ description: 'ISO 8601 UTC' }),
    queues: z.array(QueueSchema),
    operators: z.array(OperatorSchema),
    live: z
      .object({
        source: z.enum(['ami', 'cel']),
        note: z.string().nullable().openapi({ description: 'what CEL timing cannot show, when not on AMI' }),
      })
      .openapi({ description: 'where live states come from: AMI now, or CEL timing (no AMI session)' }),
  })
  .openapi('Wallboard');

const errors = {
  401: {
    description: 'no or invalid access token',
    content: { 'application/json': { schema: ErrorBodySchema } },
  },
  403: {
    description: 'operators may not see the wallboard',
    content: { 'application/json': { schema: ErrorBodySchema } },
  },
};

/** The wallboard service of an app: `deps.wallboard`, else one over PostgreSQL only (CEL timing). */
export function wallboardFor(deps: ApiDeps): WallboardService {
  return deps.wallboard ?? new WallboardService({ db: deps.db, log: deps.log });
}

/** `/live/wallboard` and `/live/wallboard/events`; mounted by liveRoutes after its authentication. */
export function wallboardRoutes(deps: ApiDeps, heartbeatMs: number) {
  const app = new OpenAPIHono<ApiEnv>();
  const wallboard = wallboardFor(deps);
  const onlySupervisors = requireRole('supervisor', 'admin');

  const snapshot = createRoute({
    method: 'get',
    path: '/live/wallboard',
    tags: ['live'],
    security: [{ bearer: [] }],
    summary: 'The live wallboard of your queues (supervisor: own queues; admin: all)',
    middleware: [onlySupervisors],
    responses: {
      200: { description: 'the snapshot', content: { 'application/json': { schema: WallboardSchema } } },
      ...errors,
    },
  });
  app.openapi(snapshot, async (c) => c.json(await wallboard.snapshot(c.get('user')), 200));

  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/live/wallboard/events',
    tags: ['live'],
    security: [{ bearer: [] }],
    summary:
      'The wallboard as Server-Sent Events (`event: wallboard`, data: the snapshot of GET /live/wallboard)',
    request: {
      query: z.object({
        access_token: z.string().optional().openapi({ description: 'for EventSource (no headers)' }),
      }),
    },
    responses: {
      200: {
        description: 'the event stream',
        content: {
          'text/event-stream': { schema: z.string().openapi({ description: '`wallboard` events' }) },
        },
      },
      ...errors,
    },
  });
  app.get('/live/wallboard/events', onlySupervisors, (c) => {
    const user = c.get('user');
    return streamSSE(
      c,
      async (stream) => {
        let dirty = true;
        let wake: (() => void) | null = null;
        const off = wallboard.subscribe(() => {
          dirty = true;
          wake?.();
        });
        stream.onAbort(() => {
          off();
          wake?.();
        });
        let last = '';
        try {
          while (!stream.aborted && !stream.closed) {
            if (dirty) {
              dirty = false;
              const { json, content } = await wallboard.snapshotText(user);
              // Only what this user sees counts as a change (generated_at aside).
              if (content !== last) {
                last = content;
                await stream.writeSSE({ event: 'wallboard', data: json });
              }
              continue;
            }
            const woke = await new Promise<boolean>((resolve) => {
              const timer = setTimeout(() => {
                wake = null;
                resolve(false);
              }, heartbeatMs);
              wake = () => {
                clearTimeout(timer);
                wake = null;
                resolve(true);
              };
            });
            if (!woke && !stream.aborted) await stream.write(': heartbeat\n\n');
          }
        } finally {
          off();
        }
      },
      async (error) => {
        deps.log?.(`wallboard: stream failed: ${error.message}`);
      },
    );
  });
  return app;
}
