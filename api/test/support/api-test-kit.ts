import { scenarioNames } from '@callcenter/ingest/testing/fixtures';
import { openTestStores, type TestStores } from '@callcenter/ingest/testing/stores';
import { sql } from 'kysely';
import { type ApiDeps, createApp } from '../../src/app.ts';
import { signAccessToken } from '../../src/auth/access-token.ts';
import type { AuthUser, Role } from '../../src/auth/auth-user.ts';
import type { ApiConfig } from '../../src/config/api-config.ts';

/**
 * The API over real stores for tests: an embedded PostgreSQL and chDB holding every bundled
 * capture collected into calls (31 calls), an app from `createApp` called with `app.request(...)`
 * (no server), and users of each role with tokens.
 */
export interface ApiTestKit {
  stores: TestStores;
  app: ReturnType<typeof createApp>;
  config: ApiConfig;
  /** Creates (or returns) a user row and an access token for it. */
  user(spec: {
    login: string;
    role: Role;
    endpoint?: string | null;
    queues?: string[];
  }): Promise<{ user: AuthUser; token: string }>;
  /** `app.request` with an optional bearer token and JSON body. */
  request(
    path: string,
    init?: { method?: string; token?: string; json?: unknown; headers?: Record<string, string> },
  ): Promise<Response>;
  dispose(): Promise<void>;
}

export async function openApiTestKit(overrides: Partial<ApiConfig> = {}): Promise<ApiTestKit> {
  const stores = await openTestStores();
  for (const name of scenarioNames()) await stores.replay(name);
  await stores.collector().catchUp();
  const config: ApiConfig = {
    port: 0,
    jwtSecret: 'test-secret-that-is-long-enough-for-hs256-0123456789',
    accessTokenTtlSec: 900,
    refreshTokenTtlSec: 3600,
    recordingsDir: `${stores.config.dataDir}/recordings`,
    bodyLimitBytes: 64 * 1024,
    ...overrides,
  };
  const deps: ApiDeps = {
    db: stores.postgres.db,
    pool: stores.postgres.pool,
    clickhouse: stores.clickhouse,
    config,
    log: () => {},
  };
  const app = createApp(deps);
  return {
    stores,
    app,
    config,
    async user(spec) {
      const row = await stores.postgres.db
        .insertInto('app.users')
        .values({
          login: spec.login,
          password_hash: 'not-a-login-user',
          role: spec.role,
          server_id: 'pbx1',
          operator_endpoint: spec.endpoint ?? null,
        })
        .onConflict((oc) => oc.expression(sql`lower(login)`).doUpdateSet({ role: spec.role }))
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const queue of spec.queues ?? []) {
        await stores.postgres.db
          .insertInto('app.user_queues')
          .values({ user_id: row.id, queue })
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      const user: AuthUser = {
        id: row.id,
        login: spec.login,
        role: spec.role,
        endpoint: spec.endpoint ?? null,
        serverId: 'pbx1',
        queues: spec.queues ?? [],
      };
      return { user, token: await signAccessToken(user, config.jwtSecret, config.accessTokenTtlSec) };
    },
    request(path, init = {}) {
      const headers: Record<string, string> = { ...(init.headers ?? {}) };
      if (init.token) headers.authorization = `Bearer ${init.token}`;
      let body: string | undefined;
      if (init.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(init.json);
      }
      return Promise.resolve(app.request(path, { method: init.method ?? 'GET', headers, body }));
    },
    dispose: () => stores.dispose(),
  };
}
