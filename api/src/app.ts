import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { ApiDeps, ApiEnv } from './api-deps.ts';
import { clientAddress, compileProxyTrust } from './auth/request-origin.ts';
import { ApiError } from './errors/api-error.ts';
import { errorHandler, notFoundHandler } from './errors/error-handler.ts';
import { archiveRoutes } from './routes/archive/archive-routes.ts';
import { auditRoutes } from './routes/audit/audit-routes.ts';
import { authRoutes } from './routes/auth/auth-routes.ts';
import { callbackRoutes } from './routes/callbacks/callback-routes.ts';
import { worklistRoutes } from './routes/callbacks/worklist-routes.ts';
import { callRoutes } from './routes/calls/call-routes.ts';
import { controlRoutes } from './routes/control/control-routes.ts';
import { dictionaryRoutes } from './routes/dictionaries/dictionary-routes.ts';
import { docsRoutes } from './routes/docs/docs-routes.ts';
import { exportRoutes } from './routes/export/export-routes.ts';
import { healthRoutes } from './routes/health/health-routes.ts';
import { liveBusFor, liveRoutes } from './routes/live/live-routes.ts';
import { preferenceRoutes } from './routes/preferences/preference-routes.ts';
import { presenceRoutes } from './routes/presence/presence-routes.ts';
import { qualityRoutes } from './routes/quality/quality-routes.ts';
import { queueRoutes } from './routes/queues/queue-routes.ts';
import { recordingRoutes } from './routes/recordings/recording-routes.ts';
import { callPartRoutes } from './routes/reports/call-part-routes.ts';
import { reportRoutes } from './routes/reports/report-routes.ts';
import { sessionRoutes } from './routes/sessions/session-routes.ts';
import { softphoneRoutes } from './routes/softphone/softphone-routes.ts';
import { userRoutes } from './routes/users/user-routes.ts';
import { webAppRoutes } from './routes/web/web-app-routes.ts';

/**
 * The API's composition root: shared middleware, the one error handler, every route group, and
 * the OpenAPI 3.1 document (/openapi.json) built from the same zod schemas that validate requests.
 * Tests call `createApp(deps).request(...)` with no server (hono's model).
 */
export type { ApiDeps, ApiEnv } from './api-deps.ts';

/** Builds the API (see above) from its dependencies; nothing listens yet (api-server.ts does). */
export function createApp(deps: ApiDeps): OpenAPIHono<ApiEnv> {
  const app = new OpenAPIHono<ApiEnv>({
    // zod validation failures become the API's 400 body (never a 500).
    defaultHook: (result) => {
      if (!result.success) {
        throw new ApiError(400, 'validation_failed', 'the request is not valid', result.error.issues);
      }
    },
  });
  app.onError(errorHandler(deps.log));
  app.notFound(notFoundHandler);
  app.use('*', clientAddress(compileProxyTrust(deps.config.trustProxy ?? [])));
  app.use(
    '*',
    bodyLimit({
      maxSize: deps.config.bodyLimitBytes,
      onError: () => {
        throw new ApiError(413, 'payload_too_large', `the body exceeds ${deps.config.bodyLimitBytes} bytes`);
      },
    }),
  );
  app.route('/', healthRoutes(deps));
  app.route('/', docsRoutes());
  app.route('/', callbackRoutes(deps));
  app.route('/', worklistRoutes(deps));
  app.route('/', sessionRoutes(deps));
  app.route('/', qualityRoutes(deps));
  app.route('/', userRoutes(deps));
  app.route('/', reportRoutes(deps));
  app.route('/', callPartRoutes(deps));
  // One bus for the live stream and the routes that publish on it (presence.changed).
  const withLive = deps.live ? deps : { ...deps, live: liveBusFor(deps) ?? undefined };
  app.route('/', liveRoutes(withLive));
  app.route('/', presenceRoutes(withLive));
  app.route('/', controlRoutes(deps));
  app.route('/', softphoneRoutes(deps));
  app.route('/', preferenceRoutes(deps));
  app.route('/', exportRoutes(deps));
  app.route('/', recordingRoutes(deps));
  app.route('/', auditRoutes(deps));
  app.route('/', archiveRoutes(deps));
  app.route('/', callRoutes(deps));
  app.route('/', dictionaryRoutes(deps));
  app.route('/', queueRoutes(deps));
  app.route('/', authRoutes(deps));
  // The web app (web/dist) under /app/ and the / redirect: not API routes, not in /openapi.json.
  app.route('/', webAppRoutes());
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Call accounting API',
      version: '0.1.0',
      description: 'Call cards, dictionaries, recordings, export and reports.',
    },
  });
  return app;
}
