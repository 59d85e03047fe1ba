import type { Database } from '@callcenter/platform/database';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';

/**
 * Runs `run` on one pinned connection of `db` and, if `signal` aborts first (the HTTP client hung
 * up: @hono/node-server aborts the request's signal when the socket closes before the response is
 * written), cancels the statement that connection is running with `pg_cancel_backend(pid)`
 * (PostgreSQL docs, "Server Signaling Functions"). The cancel goes over a fresh connection made
 * from `pool`'s options, never through the pool: with every pooled connection busy, a cancel
 * queued behind them could land on the backend after it moved on to another request's statement.
 *
 * Without a signal (or one already aborted), `run(db)` runs as is (resp. not at all: the
 * signal's reason is thrown). The cancelled statement fails with SQLSTATE 57014, which `run`'s
 * caller sees as any failed query; nobody reads the answer of a client that left.
 */
export async function cancelOnAbort<T>(
  db: Kysely<Database>,
  pool: pg.Pool,
  signal: AbortSignal | undefined,
  run: (db: Kysely<Database>) => Promise<T>,
): Promise<T> {
  if (!signal) return run(db);
  signal.throwIfAborted();
  return db.connection().execute(async (connection) => {
    const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(connection);
    const pid = rows[0]!.pid;
    let finished = false;
    const cancel = () => {
      if (finished) return;
      void cancelBackend(pool, pid);
    };
    signal.addEventListener('abort', cancel, { once: true });
    try {
      return await run(connection);
    } finally {
      finished = true;
      signal.removeEventListener('abort', cancel);
    }
  });
}

/** `pg_cancel_backend(pid)` over a connection of its own; errors are dropped (best effort). */
async function cancelBackend(pool: pg.Pool, pid: number): Promise<void> {
  const client = new pg.Client(pool.options);
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT pg_cancel_backend($1)', [pid]);
  } catch {
    // The statement ends by itself (statement_timeout) if the cancel cannot be sent.
  } finally {
    await client.end().catch(() => {});
  }
}
