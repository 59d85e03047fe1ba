import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.ts';

/**
 * The Postgres connection pool and the kysely instance over it. int8 (ids, counts, watermarks) is
 * parsed to a JS number: ids stay far below 2^53. `numeric` is not used by the schema.
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === pg.types.builtins.INT8) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

/** A pool, kysely over it, the URL it connects to, and `close()` (ends the pool). */
export interface Postgres {
  pool: pg.Pool;
  db: Kysely<Database>;
  url: string;
  close(): Promise<void>;
}

/** How long the API lets one statement run before PostgreSQL cancels it (docs/operations.md, "Health"). */
export const API_STATEMENT_TIMEOUT_MS = 15_000;

/**
 * Opens a pool of at most `max` connections to `url` (connecting lazily: no error until first use).
 * `statementTimeoutMs`: PostgreSQL's statement_timeout on every connection (the API's pool: a
 * statement running longer is cancelled with SQLSTATE 57014); none by default.
 */
export function connectPostgres(
  url: string,
  max = 8,
  options: { statementTimeoutMs?: number } = {},
): Postgres {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    types,
    application_name: 'callcenter',
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
  });
  // Every connection keeps an 'error' listener for its whole life, also while checked out (the
  // pool listens only to idle ones): a PostgreSQL restart (57P01) or a dropped socket then fails
  // the query in flight, which its caller retries, instead of ending the process with an
  // unhandled 'error' event.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    pool,
    db,
    url,
    async close() {
      await db.destroy();
    },
  };
}
