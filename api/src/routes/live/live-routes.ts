import { OpenAPIHono, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { ApiDeps, ApiEnv } from '../../api-deps.ts';
import { ApiError } from '../../errors/api-error.ts';
import { callChangeSource } from '../../live/call-change-source.ts';
import { callLiveSource, combinedSources } from '../../live/call-live-source.ts';
import { LiveBus } from '../../live/live-bus.ts';
import { eventJson } from '../../live/live-event.ts';
import { authenticate } from '../../middleware/authenticate/authenticate.ts';
import { wallboardRoutes } from './wallboard-routes.ts';

/**
 * `GET /live/events`: the live journal (live/live-bus.ts) as Server-Sent Events. Authenticated by
 * `Authorization: Bearer` or `?access_token=` (EventSource cannot send headers). Each user gets
 * only events of calls in their scope (live/live-event.ts, the rules of scope/call-scope.ts).
 *
 * The stream starts with `event: ready` (no id) once the change listener listens, then replays
 * what came after `Last-Event-ID` (header, or `?last_event_id=`), or sends `event: refetch` when
 * that id is no longer in the journal: reload the lists, the stream goes on. Then every event as
 * `id: <n>`, `event: <type>`, `data: <json>`; a comment every 15 s keeps proxies from closing it.
 */

export const HEARTBEAT_MS = 15_000;

/** The bus the app's live routes use: `deps.live`, else one per app over Postgres NOTIFY. */
export function liveBusFor(deps: ApiDeps): LiveBus | null {
  if (deps.live) return deps.live;
  const connectionString = deps.databaseUrl ?? deps.pool.options.connectionString;
  if (!connectionString) return null;
  return new LiveBus({
    // Reconciled calls and card edits (call_changed) + what happens on calls now (call_live, README.md "Live calls").
    source: combinedSources(
      callChangeSource({ connectionString, pool: deps.pool, log: deps.log }),
      callLiveSource({ connectionString, pool: deps.pool, log: deps.log }),
    ),
    log: deps.log,
  });
}

const EventStreamDoc = z.string().openapi({
  description:
    'text/event-stream: `ready`, `call.ringing` (screen-pop: the card id and the caller history), `call.answered`, `call.held`, `call.unheld`, `call.transferred`, `call.hangup`, `call.updated`, `call.ended`, `card.completed`, `refetch`',
});

/** The `/live` route group, registered on the app with `app.route('/', liveRoutes(deps))`. */
export function liveRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  // Created here, started on the first subscriber (the LISTEN connection is not opened before).
  const bus = liveBusFor(deps);
  const heartbeatMs = deps.liveHeartbeatMs ?? HEARTBEAT_MS;
  app.use('/live/*', authenticate({ secret: deps.config.jwtSecret, allowQueryToken: true }));
  // The wallboard (README.md "Live wallboard"), behind the same authentication.
  app.route('/', wallboardRoutes(deps, heartbeatMs));

  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/live/events',
    tags: ['live'],
    security: [{ bearer: [] }],
    summary: 'Live call events in your scope (Server-Sent Events; Last-Event-ID resumes)',
    request: {
      query: z.object({
        access_token: z.string().optional().openapi({ description: 'for EventSource (no headers)' }),
        last_event_id: z.string().optional().openapi({ description: 'as the Last-Event-ID header' }),
      }),
    },
    responses: {
      200: { description: 'the event stream', content: { 'text/event-stream': { schema: EventStreamDoc } } },
      401: { description: 'no or invalid access token' },
      503: { description: 'no database URL to listen on' },
    },
  });

  app.get('/live/events', async (c) => {
    if (!bus) throw new ApiError(503, 'live_unavailable', 'live events need a database URL');
    const user = c.get('user');
    const lastEventId = c.req.header('last-event-id') ?? c.req.query('last_event_id');
    const { subscription, replay } = await bus.subscribe(user, lastEventId);
    // What a replay or a refetch covers: queued events all come after it.
    const resumeId = bus.latestId;
    return streamSSE(
      c,
      async (stream) => {
        stream.onAbort(() => subscription.end());
        await stream.writeSSE({ event: 'ready', data: JSON.stringify({ latest_id: resumeId }) });
        if (replay.refetch) {
          await stream.writeSSE({
            id: String(resumeId),
            event: 'refetch',
            data: JSON.stringify({ reason: replay.reason }),
          });
        } else {
          for (const event of replay.events) {
            await stream.writeSSE({ id: String(event.id), event: event.type, data: eventJson(event) });
          }
        }
        while (!stream.aborted && !stream.closed) {
          const event = await subscription.next(heartbeatMs);
          if (subscription.ended === 'overflow') {
            await stream.writeSSE({
              event: 'refetch',
              data: JSON.stringify({ reason: 'too many events waiting for this connection' }),
            });
            break;
          }
          if (subscription.ended) break;
          if (event)
            await stream.writeSSE({ id: String(event.id), event: event.type, data: eventJson(event) });
          else await stream.write(': heartbeat\n\n');
        }
        subscription.end();
      },
      async (error) => {
        deps.log?.(`live: stream failed: ${error.message}`);
        subscription.end();
      },
    );
  });
  return app;
}
