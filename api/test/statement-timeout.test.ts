import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startEmbeddedPostgres } from '@callcenter/platform/embedded-postgres';
import { connectPostgres } from '@callcenter/platform/postgres';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../src/errors/error-handler.ts';

/**
 * Every API statement is bounded: the API's pool sets statement_timeout, PostgreSQL cancels a
 * statement that runs past it, and the answer is a 503 with a message — never a query that keeps
 * loading the database, never a 500.
 */

let dir: string;
let server: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'callcenter-timeout-'));
  server = await startEmbeddedPostgres(join(dir, 'postgres'), await freePort());
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('API statement timeout', () => {
  it('cancels a statement past the limit and answers 503', async () => {
    const postgres = connectPostgres(server.url, 2, { statementTimeoutMs: 300 });
    try {
      const app = new Hono();
      app.onError(errorHandler(() => {}));
      app.get('/slow', async (c) => {
        await postgres.pool.query('SELECT pg_sleep(5)');
        return c.json({ done: true });
      });
      const response = await app.request('/slow');
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ error: 'timeout' });
      // Cancelled by PostgreSQL, not left running: the backend is idle again.
      const active = await postgres.pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(5)%' AND state = 'active'",
      );
      expect(active.rows[0]!.n).toBe(0);
    } finally {
      await postgres.close();
    }
  });
});
