import { mkdirSync } from 'node:fs';
import { type ClickHouseClient, createClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';

/**
 * One ClickHouse client for the whole product, two transports (docs/architecture.md#embedded-defaults):
 * with a URL, a ClickHouse server over HTTP; without one, the ClickHouse engine in-process (chDB)
 * through @clickhouse/client's pluggable `connection` (an experimental hook: the client's version
 * is pinned exactly in analytics/package.json and a test proves this path).
 *
 * chDB allows one data directory per process: open the embedded client once and share it.
 */
export interface ClickHouseOptions {
  /** `http://user:pass@host:8123/db`; when absent, chDB under `chdbPath`. */
  url?: string;
  /** Data directory of the embedded engine. */
  chdbPath?: string;
}

/**
 * A ClickHouse client: over HTTP to `url` when given, else chDB under `chdbPath` (created if
 * missing). Throws when neither is given.
 */
export function createClickHouse(options: ClickHouseOptions): ClickHouseClient {
  if (options.url) {
    return createClient({
      url: options.url,
      request_timeout: 300_000,
      clickhouse_settings: { date_time_input_format: 'best_effort' },
    });
  }
  if (!options.chdbPath) throw new Error('either a ClickHouse URL or a chDB data directory is required');
  mkdirSync(options.chdbPath, { recursive: true });
  return createClient({ connection: createChdbConnection({ path: options.chdbPath }) } as Parameters<
    typeof createClient
  >[0]);
}
