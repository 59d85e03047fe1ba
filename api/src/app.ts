import type { Database } from '@callcenter/ingest/database';
import type { ClickHouseClient } from '@clickhouse/client';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { ApiConfig } from './config/api-config.ts';
import { ApiError } from './errors/api-error.ts';
import { errorHandler, notFoundHandler } from './errors/error-handler.ts';
import type { ApiVariables } from './middleware/authenticate/authenticate.ts';
import { authRoutes } from './routes/auth/auth-routes.ts';
import { callRoutes } from './routes/calls/call-routes.ts';
import { dictionaryRoutes } from './routes/dictionaries/dictionary-routes.ts';
import { healthRoutes } from './routes/health/health-routes.ts';
import { queueRoutes } from './routes/queues/queue-routes.ts';

/**
 * The API's composition root: shared middleware, the one error handler, every route group, and
 * the OpenAPI 3.1 document (/openapi.json) built from the same zod schemas that validate requests.
 * Tests call `createApp(deps).request(...)` with no server (hono's model).
 */
export interface ApiDeps {
  db: Kysely<Database>;
  pool: pg.Pool;
  clickhouse: ClickHouseClient | null;
  config: ApiConfig;
  log?: (line: string) => void;
}

export type ApiEnv = { Variables: ApiVariables };

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
  app.route('/', callRoutes(deps));
  app.route('/', dictionaryRoutes(deps));
  app.route('/', queueRoutes(deps));
  app.route('/', authRoutes(deps));
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
