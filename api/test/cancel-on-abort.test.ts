import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApi, startApiServer } from '../src/server/api-server.ts';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';

/**
 * A GET /calls or GET /callbacks whose client hangs up stops running in PostgreSQL
 * (db/cancel-on-abort.ts): over a real HTTP server on loopback and the embedded PostgreSQL, the
 * request's statement is made to wait on a lock another transaction holds on app.calls; the
 * client aborts; the backend's statement is cancelled while the lock is still held (without the
 * cancel it would wait for as long as the lock is held).
 */

let kit: ApiTestKit;
let api: RunningApi;
let admin: string;
let operator: string;

beforeAll(async () => {
  kit = await openApiTestKit();
  admin = (await kit.user({ login: 'c-admin', role: 'admin' })).token;
  operator = (await kit.user({ login: 'c-op', role: 'operator', endpoint: '101' })).token;
  api = await startApiServer(
    {
      db: kit.stores.postgres.db,
      pool: kit.stores.postgres.pool,
      clickhouse: kit.stores.clickhouse,
      config: kit.config,
      log: () => {},
    },
    0,
    '127.0.0.1',
  );
});
afterAll(async () => {
  await api?.close();
  await kit?.dispose();
});

/** Backends whose statement waits on a lock `lockerPid` holds. */
async function lockedReaders(pool: pg.Pool, lockerPid: number): Promise<number[]> {
  const { rows } = await pool.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE state = 'active' AND $1::int = ANY(pg_blocking_pids(pid))`,
    [lockerPid],
  );
  return rows.map((r) => r.pid);
}

async function until<T>(probe: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await probe();
    if (ok(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`never: ${what}`);
}

describe.each([
  ['/calls?status=answered', () => admin],
  ['/callbacks?limit=10', () => operator],
])('GET %s', (path, token) => {
  it('is cancelled in PostgreSQL when the client hangs up', async () => {
    const pool = kit.stores.postgres.pool;
    const locker = await pool.connect();
    try {
      const { rows } = await locker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const lockerPid = rows[0]!.pid;
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE app.calls IN ACCESS EXCLUSIVE MODE');

      const client = new AbortController();
      const request = fetch(`${api.url}${path}`, {
        headers: { authorization: `Bearer ${token()}` },
        signal: client.signal,
      }).catch((error: unknown) => error);
      const waiting = await until(
        () => lockedReaders(pool, lockerPid),
        (pids) => pids.length === 1,
        'the request waits on the lock',
      );

      client.abort();
      expect(await request).toBeInstanceOf(Error);
      // Cancelled while the lock is still held: the statement does not wait for it.
      await until(
        () => lockedReaders(pool, lockerPid),
        (pids) => !pids.includes(waiting[0]!),
        'the statement is cancelled',
      );
      expect(await lockedReaders(pool, lockerPid)).toEqual([]);
    } finally {
      await locker.query('ROLLBACK').catch(() => {});
      locker.release();
    }
    // The API answers the next request as usual.
    const next = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${token()}` } });
    expect(next.status).toBe(200);
  });
});
