import { join } from 'node:path';
import { createClickHouse, migrateFacts } from '@callcenter/analytics/clickhouse';
import type { ClickHouseClient } from '@clickhouse/client';
import type { AppConfig } from '../config/env-config.ts';
import { startEmbeddedPostgres } from '../db/embedded-postgres.ts';
import { migratePostgres } from '../db/migrate-postgres.ts';
import { connectPostgres, type Postgres } from '../db/postgres-pool.ts';

/**
 * Opens the two stores the way DESIGN.md's embedded defaults say: DATABASE_URL or an embedded
 * PostgreSQL under DATA_DIR/postgres; CLICKHOUSE_URL or chDB under DATA_DIR/clickhouse. Same
 * code path either way. Migrates both before returning.
 */
export interface Stores {
  postgres: Postgres;
  clickhouse: ClickHouseClient;
  /** Human-readable description of where data lives, for start-up messages. */
  describe: string[];
  close(): Promise<void>;
}

export async function openStores(config: AppConfig, log: (line: string) => void = () => {}): Promise<Stores> {
  let stopEmbedded: (() => Promise<void>) | null = null;
  let url = config.databaseUrl;
  const describe: string[] = [];
  if (!url) {
    const dir = join(config.dataDir, 'postgres');
    const embedded = await startEmbeddedPostgres(dir, config.embeddedPgPort, log);
    url = embedded.url;
    stopEmbedded = embedded.stop;
    describe.push(`PostgreSQL: embedded, data in ${dir}, listening on 127.0.0.1:${embedded.port}`);
  } else describe.push(`PostgreSQL: ${url.replace(/:[^:@/]*@/, ':***@')}`);
  const postgres = connectPostgres(url);
  const clickhouse = createClickHouse(
    config.clickhouseUrl ? { url: config.clickhouseUrl } : { chdbPath: join(config.dataDir, 'clickhouse') },
  );
  describe.push(
    config.clickhouseUrl
      ? `ClickHouse: ${config.clickhouseUrl.replace(/:[^:@/]*@/, ':***@')}`
      : `ClickHouse: embedded chDB, data in ${join(config.dataDir, 'clickhouse')}`,
  );
  try {
    await migratePostgres(postgres.db, config.servers);
    await migrateFacts(clickhouse);
  } catch (error) {
    await postgres.close().catch(() => {});
    await clickhouse.close().catch(() => {});
    await stopEmbedded?.().catch(() => {});
    throw error;
  }
  return {
    postgres,
    clickhouse,
    describe,
    async close() {
      await postgres.close().catch(() => {});
      await clickhouse.close().catch(() => {});
      await stopEmbedded?.();
    },
  };
}
