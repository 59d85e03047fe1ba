import { join } from 'node:path';
import { createClickHouse, migrateFacts } from '@callcenter/analytics/clickhouse';
import type { ClickHouseClient } from '@clickhouse/client';
import type { AppConfig } from './config/env-config.ts';
import { startEmbeddedPostgres } from './db/embedded-postgres.ts';
import { migratePostgres } from './db/migrate-postgres.ts';
import { connectPostgres, type Postgres } from './db/postgres-pool.ts';
import { DependencyHealth, isConnectionError } from './dependency-health.ts';

/**
 * Opens the stores as docs/architecture.md#embedded-defaults says: DATABASE_URL or an embedded
 * PostgreSQL under DATA_DIR/postgres (joined if another process of ours already runs it);
 * CLICKHOUSE_URL or chDB under DATA_DIR/clickhouse. Same code path either way. Migrates before
 * returning.
 */

export interface PostgresStore {
  postgres: Postgres;
  /** Human-readable description of where data lives, for start-up messages. */
  describe: string[];
  close(): Promise<void>;
}

/** PostgreSQL and ClickHouse (server or chDB), migrated: what the main job and `serve` run on. */
export interface Stores extends PostgresStore {
  clickhouse: ClickHouseClient;
  /** Whether PostgreSQL and ClickHouse answer (GET /health; logged once per change). */
  health: DependencyHealth;
  /**
   * Resolves once the facts schema is migrated: at once when it was at start, else it migrates
   * now (ClickHouse was down at start) and throws while ClickHouse still does not answer.
   */
  clickhouseReady(): Promise<void>;
}

/** How {@link openStores} treats ClickHouse at start. */
export interface OpenStoresOptions {
  /**
   * The main job: ClickHouse unreachable at start is not fatal — it is marked down in `health`
   * (logged once) and migrated when it answers, while call cards flow and facts wait in the
   * outbox. Otherwise (default) it fails with an error naming ClickHouse.
   */
  clickhouseMayBeDown?: boolean;
}

const hidePassword = (url: string) => url.replace(/:[^:@/]*@/, ':***@');

/**
 * PostgreSQL only: for commands that must run beside the main job (replay), which holds the chDB
 * directory (chDB allows one process per data directory).
 */
export async function openPostgresStore(
  config: AppConfig,
  log: (line: string) => void = () => {},
): Promise<PostgresStore> {
  let stopEmbedded: (() => Promise<void>) | null = null;
  let url = config.databaseUrl;
  const describe: string[] = [];
  if (!url) {
    const dir = join(config.dataDir, 'postgres');
    const embedded = await startEmbeddedPostgres(dir, config.embeddedPgPort, log);
    url = embedded.url;
    stopEmbedded = embedded.stop;
    describe.push(
      embedded.shared
        ? `PostgreSQL: embedded, already running on 127.0.0.1:${embedded.port} (data in ${dir})`
        : `PostgreSQL: embedded, data in ${dir}, listening on 127.0.0.1:${embedded.port}`,
    );
  } else describe.push(`PostgreSQL: ${hidePassword(url)}`);
  const postgres = connectPostgres(url);
  const close = async () => {
    // A pool whose connections PostgreSQL dropped may never finish closing: 10 s, then the
    // embedded server is stopped regardless.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      postgres.close().catch(() => {}),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, 10_000);
      }),
    ]).finally(() => clearTimeout(timer));
    await stopEmbedded?.();
  };
  try {
    await migratePostgres(postgres.db, config.servers);
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
  return { postgres, describe, close };
}

/** PostgreSQL and ClickHouse, both migrated (ClickHouse: see {@link OpenStoresOptions}). */
export async function openStores(
  config: AppConfig,
  log: (line: string) => void = () => {},
  options: OpenStoresOptions = {},
): Promise<Stores> {
  const store = await openPostgresStore(config, log);
  const clickhouse = createClickHouse(
    config.clickhouseUrl ? { url: config.clickhouseUrl } : { chdbPath: join(config.dataDir, 'clickhouse') },
  );
  const where = config.clickhouseUrl ? hidePassword(config.clickhouseUrl) : 'chDB';
  const describe = [
    ...store.describe,
    config.clickhouseUrl
      ? `ClickHouse: ${where}`
      : `ClickHouse: embedded chDB, data in ${join(config.dataDir, 'clickhouse')}`,
  ];
  const health = new DependencyHealth(log);
  const close = async () => {
    await clickhouse.close().catch(() => {});
    await store.close();
  };
  let migrated: Promise<void> | null = null;
  const clickhouseReady = () => {
    migrated ??= migrateFacts(clickhouse).then(
      () => health.up('clickhouse'),
      (error: unknown) => {
        migrated = null;
        throw error;
      },
    );
    return migrated;
  };
  try {
    await clickhouseReady();
  } catch (error) {
    if (options.clickhouseMayBeDown && isConnectionError(error)) health.down('clickhouse', error, where);
    else {
      await close().catch(() => {});
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`ClickHouse at ${where}: ${message}`, { cause: error });
    }
  }
  return { postgres: store.postgres, clickhouse, describe, close, health, clickhouseReady };
}
