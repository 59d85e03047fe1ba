import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ClickHouseClient, ClickHouseLogLevel, createClient } from '@clickhouse/client';
import type { ClickHouseOptions } from './clickhouse-client.ts';

/** An open client and how to give it back (closing an embedded client frees the data directory). */
export interface OpenedClickHouse {
  client: ClickHouseClient;
  close(): Promise<void>;
}

/** Opens the client when the command runs (not when the CLI is built: `--help` needs no database). */
export type OpenClickHouse = () => Promise<OpenedClickHouse>;

/** The embedded data directory is in use by another process (chDB: one process per directory). */
export class ChdbLockedError extends Error {
  override name = 'ChdbLockedError';
  constructor(
    readonly dataDir: string,
    readonly pid: number | null,
    options?: { cause?: unknown },
  ) {
    super(
      `the embedded ClickHouse data directory ${dataDir} is in use${pid ? ` by process ${pid}` : ' (or could not be opened)'}: ` +
        'chDB allows one process per data directory, and the running collector (`callcenter start`) usually holds it. ' +
        'Stop it, or set CLICKHOUSE_URL to query a ClickHouse server instead.',
      options,
    );
  }
}

/** PID written in `<dataDir>/status` by a live engine other than this process, or null. */
function chdbHolder(dataDir: string): number | null {
  let status: string;
  try {
    status = readFileSync(join(dataDir, 'status'), 'utf8');
  } catch {
    return null; // no status file: nobody has the directory open
  }
  const pid = Number(/^PID:\s*(\d+)/m.exec(status)?.[1]);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null; // ESRCH: stale file
  }
}

/**
 * Opener for the composition root: a ClickHouse server when `url` is set (no migration: analysts'
 * users are usually read-only and the collector owns the schema), otherwise chDB under `chdbPath`
 * with the facts schema applied (a fresh data directory gets its tables).
 *
 * Throws {@link ChdbLockedError} when another process holds the embedded data directory, Error when
 * neither option is given, ClickHouseError when the migration fails.
 */
export async function openClickHouseFromConfig(options: ClickHouseOptions): Promise<OpenedClickHouse> {
  if (options.url) {
    // Not createClickHouse: its client logs failed requests (multi-line, with a stack) to the
    // console, and this command reports every failure itself on one line.
    const client = createClient({
      url: options.url,
      request_timeout: 300_000,
      log: { level: ClickHouseLogLevel.OFF },
    });
    return { client, close: () => client.close() };
  }
  if (!options.chdbPath) throw new Error('either CLICKHOUSE_URL or a chDB data directory is required');
  const holder = chdbHolder(options.chdbPath);
  if (holder !== null) throw new ChdbLockedError(options.chdbPath, holder);
  // chDB (a native engine) loads only when an embedded query runs, not at CLI start-up.
  const { createClickHouse } = await import('./clickhouse-client.ts');
  const { migrateFacts } = await import('./facts-schema.ts');
  let client: ClickHouseClient;
  try {
    client = createClickHouse({ chdbPath: options.chdbPath });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'CHDB_CONNECTION') {
      throw new ChdbLockedError(options.chdbPath, chdbHolder(options.chdbPath), { cause: error });
    }
    throw error;
  }
  try {
    await migrateFacts(client);
  } catch (error) {
    await client.close();
    throw error;
  }
  return { client, close: () => client.close() };
}
