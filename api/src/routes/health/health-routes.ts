import { DependencyHealth } from '@callcenter/platform/dependency-health';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { sql } from 'kysely';
import type { ApiDeps, ApiEnv } from '../../api-deps.ts';

/**
 * GET /health (no authentication; load balancers, compose, monitoring — docs/operations.md
 * "Health"): probes PostgreSQL (`SELECT 1`) and ClickHouse (ping), each within 2 s, and answers
 * 200 with `{status: 'ok' | 'degraded', postgres: {ok, since}, clickhouse: {ok, since}, outbox,
 * watermark_lag}`. `since` (ISO 8601, UTC) is when the dependency's state last changed; `outbox`
 * is the entries waiting for ClickHouse; `watermark_lag` the CEL and CDR rows above the
 * collector's watermarks (open calls keep theirs above it) — both null while PostgreSQL is down.
 */
const dependency = z.object({ ok: z.boolean(), since: z.string() });
const route = createRoute({
  method: 'get',
  path: '/health',
  tags: ['health'],
  responses: {
    200: {
      description: 'the state of the job and of its dependencies',
      content: {
        'application/json': {
          schema: z.object({
            status: z.enum(['ok', 'degraded']),
            postgres: dependency,
            clickhouse: dependency,
            outbox: z.number().int().nullable(),
            watermark_lag: z.number().int().nullable(),
          }),
        },
      },
    },
  },
});

const PROBE_MS = 2000;

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * `GET /health` (no token): always 200 with `{status: 'ok' | 'degraded', postgres, clickhouse,
 * outbox, watermark_lag}` — each dependency `{ok, since}` (UTC ISO time of the last change),
 * `outbox` the facts waiting for ClickHouse, `watermark_lag` the CEL+CDR rows not yet read
 * (null when PostgreSQL does not answer within 2 s). See docs/operations.md.
 */
export function healthRoutes(deps: ApiDeps) {
  const health = deps.health ?? new DependencyHealth(deps.log);
  const app = new OpenAPIHono<ApiEnv>();
  return app.openapi(route, async (c) => {
    let outbox: number | null = null;
    let lag: number | null = null;
    try {
      const figures = await within(
        (async () => {
          const o = await sql<{ n: number }>`SELECT count(*)::int AS n FROM app.outbox`.execute(deps.db);
          const servers = await sql<{ id: string; cel_schema: string }>`
            SELECT id, cel_schema FROM app.asterisk_servers`.execute(deps.db);
          let behind = 0;
          for (const s of servers.rows) {
            const schema = s.cel_schema.replaceAll('"', '""');
            const r = await sql<{ n: number }>`
              SELECT
                COALESCE((SELECT max(id) FROM ${sql.raw(`"${schema}".cel`)}), 0)
                  - COALESCE((SELECT last_id FROM app.watermarks WHERE source = 'cel' AND server_id = ${s.id}), 0)
                + COALESCE((SELECT max(id) FROM ${sql.raw(`"${schema}".cdr`)}), 0)
                  - COALESCE((SELECT last_id FROM app.watermarks WHERE source = 'cdr' AND server_id = ${s.id}), 0)
                AS n`.execute(deps.db);
            behind += Number(r.rows[0]?.n ?? 0);
          }
          return { outbox: o.rows[0]?.n ?? 0, lag: behind };
        })(),
        PROBE_MS,
      );
      outbox = figures.outbox;
      lag = figures.lag;
      health.up('postgres');
    } catch (error) {
      health.down('postgres', error);
    }
    if (deps.clickhouse) {
      try {
        const ping = await within(deps.clickhouse.ping(), PROBE_MS);
        if (ping.success) health.up('clickhouse');
        else health.down('clickhouse', ping.error);
      } catch (error) {
        health.down('clickhouse', error);
      }
    }
    const state = health.snapshot();
    const status = state.postgres.ok && state.clickhouse.ok ? ('ok' as const) : ('degraded' as const);
    return c.json({ status, ...state, outbox, watermark_lag: lag }, 200);
  });
}
