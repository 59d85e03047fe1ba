import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppConfig, loadConfig } from '@callcenter/platform/config';
import { freePort } from '@callcenter/platform/embedded-postgres';
import { openStores, type Stores } from '@callcenter/platform/stores';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { Collector, type CollectorOptions } from '../../src/collector/collector.ts';
import { registerOperators } from '../../src/collector/operator-directory.ts';
import { readCapture } from '../../src/replay/capture-files.ts';
import { replayCapture } from '../../src/replay/replay-capture.ts';
import { SCENARIOS_DIR } from '../fixtures.ts';

/**
 * Real stores for tests: an embedded PostgreSQL on a free port and chDB, under a fresh temp
 * directory. One per test file (chDB allows one data directory per process; vitest runs each
 * file in its own process).
 */
export interface TestStores extends Stores {
  config: AppConfig;
  /** Empties Asterisk's tables, the application tables and the facts. */
  reset(): Promise<void>;
  collector(options?: Partial<CollectorOptions>): Collector;
  replay(scenario: string, serverId?: string): Promise<void>;
  dispose(): Promise<void>;
}

export async function openTestStores(env: Record<string, string> = {}): Promise<TestStores> {
  const dir = mkdtempSync(join(tmpdir(), 'callcenter-test-'));
  chmodSync(dir, 0o755);
  const config = loadConfig({ DATA_DIR: dir, EMBEDDED_PG_PORT: String(await freePort()), ...env });
  const stores = await openStores(config);
  const server = config.servers[0]!;
  await registerOperators(stores.postgres.db, server.id, ['101', '102', '103']);
  return {
    ...stores,
    config,
    async reset() {
      for (const s of config.servers) {
        await sql
          .raw(`TRUNCATE "${s.schema}".cel, "${s.schema}".cdr RESTART IDENTITY`)
          .execute(stores.postgres.db);
      }
      await sql`TRUNCATE app.calls, app.watermarks, app.quarantine, app.outbox, app.queues RESTART IDENTITY CASCADE`.execute(
        stores.postgres.db,
      );
      await stores.clickhouse.command({ query: 'TRUNCATE TABLE call_facts' });
      await stores.clickhouse.command({ query: 'TRUNCATE TABLE attempt_facts' });
      await stores.clickhouse.command({ query: 'TRUNCATE TABLE segment_facts' });
    },
    collector(options = {}) {
      return new Collector({
        db: stores.postgres.db,
        pool: stores.postgres.pool,
        clickhouse: stores.clickhouse,
        servers: config.servers,
        batchRows: 1000,
        idleTimeoutSec: 4 * 3600,
        ...options,
      });
    },
    async replay(scenario: string, serverId = server.id) {
      const target = config.servers.find((s) => s.id === serverId);
      if (!target) throw new Error(`no server ${serverId} in the test configuration`);
      await replayCapture(stores.postgres.pool, target, readCapture(join(SCENARIOS_DIR, scenario)), {
        timing: 'fast',
      });
    },
    async dispose() {
      await stores.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Registers the file's hooks: one set of stores for the file (`receive` gets it once open), emptied
 * before each test and disposed after the last.
 */
export function useTestStores(receive: (stores: TestStores) => void, env: Record<string, string> = {}): void {
  let stores: TestStores | undefined;
  beforeAll(async () => {
    stores = await openTestStores(env);
    receive(stores);
  });
  afterAll(async () => {
    await stores?.dispose();
  });
  beforeEach(async () => {
    await stores?.reset();
  });
}
