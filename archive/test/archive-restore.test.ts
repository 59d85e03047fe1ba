import { existsSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scenarioNames } from '@callcenter/ingest/testing/fixtures';
import { openTestStores, type TestStores } from '@callcenter/ingest/testing/stores';
import { loadConfig } from '@callcenter/platform/config';
import { freePort, startEmbeddedPostgres } from '@callcenter/platform/embedded-postgres';
import { connectPostgres } from '@callcenter/platform/postgres';
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveLayout, FACT_TABLES } from '../src/archive-layout.ts';
import { loadArchiveRun } from '../src/archive-run-record.ts';
import { ArchiveScheduler } from '../src/archive-scheduler.ts';
import { verifyArchive } from '../src/archive-verify.ts';
import { newestPgTool } from '../src/pg-client-tools.ts';
import { dumpPostgres } from '../src/postgres-dump-step.ts';
import { restoreArchive } from '../src/restore-archive.ts';
import { hashFile } from '../src/verified-write.ts';
import {
  archiveRun,
  FACT_FIGURES_SQL,
  postgresFigures,
  runCli,
  tempDir,
  writeRecordings,
} from './archive-support.ts';

/**
 * The archive end to end on the embedded defaults (README.md, "Nightly archive and restore"): every bundled capture collected
 * into PostgreSQL and chDB, recordings on disk, a run into a NAS folder; the verification catches
 * a damaged recording copy and a damaged dump; `callcenter restore` rebuilds fresh stores whose
 * counts and sums of calls, attempts and facts equal the originals; `callcenter archive --now`
 * beside a running main job is performed by that job, and a missing NAS fails it with exit 1.
 * The captures are of 2026-11-21 (UTC): runs are dated after it, so that day is closed.
 */

const NIGHT_1 = new Date('2026-11-23T02:30:00Z');
const NIGHT_2 = new Date('2026-11-24T02:30:00Z');
const RECORDINGS = {
  '20261121-042148-in-1795234908.0.wav': 48_000,
  '2026/11/21/out-1795235012.20.wav': 20_000,
  '2026/11/21/q-support-1795234985.12.wav': 33_333,
};

let stores: TestStores;
let nas: string;
let recordingsDir: string;
const cleanup: string[] = [];

beforeAll(async () => {
  stores = await openTestStores();
  for (const name of scenarioNames()) await stores.replay(name);
  await stores.collector().catchUp();
  recordingsDir = join(stores.config.dataDir, 'recordings');
  writeRecordings(recordingsDir, RECORDINGS, new Date('2026-11-21T05:00:00Z'));
  nas = tempDir('nas');
  cleanup.push(nas);
});

afterAll(async () => {
  await stores?.dispose();
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});

async function chFigures(): Promise<Record<string, number>> {
  const result = await stores.clickhouse.query({ query: FACT_FIGURES_SQL, format: 'JSONEachRow' });
  const [row] = await result.json<Record<string, string | number>>();
  return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]));
}

describe('nightly archive to the NAS', () => {
  it('writes a verified dump, recordings with a manifest and closed days as Parquet; the next night copies only what changed', async () => {
    const run = await archiveRun(stores, nas, NIGHT_1);
    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');
    expect(run.archive_date).toBe('2026-11-23');
    expect(run.steps.map((s) => [s.step, s.status])).toEqual([
      ['postgres', 'succeeded'],
      ['recordings', 'succeeded'],
      ['clickhouse', 'succeeded'],
      ['retention', 'succeeded'],
    ]);
    const layout = archiveLayout(nas);
    const dump = layout.dump('daily', '2026-11-23');
    expect(readFileSync(`${dump}.sha256`, 'utf8')).toBe(
      `${(await hashFile(dump)).sha256}  callcenter-2026-11-23.dump\n`,
    );
    expect(existsSync(layout.dump('monthly', '2026-11-23'))).toBe(true); // first dump of November
    const pg = run.steps[0]!.detail as { entries: number; tables: number };
    expect(pg.entries).toBeGreaterThan(30);
    expect(run.bytes_written).toBe(run.steps.reduce((sum, s) => sum + s.bytes, 0));

    // Every recording copied and verified, the manifest holding its SHA-256.
    const manifest = JSON.parse(readFileSync(layout.recordingsManifest, 'utf8')) as {
      files: Record<string, { sha256: string; size: number }>;
    };
    expect(Object.keys(manifest.files).sort()).toEqual(Object.keys(RECORDINGS).sort());
    for (const rel of Object.keys(RECORDINGS)) {
      const source = await hashFile(join(recordingsDir, rel));
      expect(await hashFile(join(layout.recordingFiles, rel))).toEqual(source);
      expect(manifest.files[rel]!.sha256).toBe(source.sha256);
    }
    expect(readFileSync(layout.recordingsSums, 'utf8').split('\n').filter(Boolean)).toHaveLength(3);

    // The closed day of the captures, per table, readable by another Parquet reader with ClickHouse's count.
    const figures = await chFigures();
    for (const table of FACT_TABLES) {
      const file = layout.factsDay(table, '2026-11-21');
      const metadata = await parquetMetadataAsync(await asyncBufferFromFile(file));
      expect(Number(metadata.num_rows), table).toBe(figures[table]);
      expect(readFileSync(layout.factsSchema(table), 'utf8')).toMatch(
        /ENGINE = ReplacingMergeTree\(version, is_deleted\)/,
      );
    }

    const again = await archiveRun(stores, nas, NIGHT_2);
    expect(again.status).toBe('succeeded');
    expect(again.steps[1]!.detail).toMatchObject({ copied: 0, unchanged: 3 });
    expect(again.steps[2]!.detail).toMatchObject({ exported: 0, unchanged: 3 });
    // The run record is in Postgres for the API, and on the NAS for a restore elsewhere.
    expect((await loadArchiveRun(stores.postgres.db, again.id))?.status).toBe('succeeded');
    expect(JSON.parse(readFileSync(layout.runRecord('2026-11-24'), 'utf8')).id).toBe(again.id);
  });

  it('the verification catches a damaged recording copy and a damaged dump; the next night replaces damaged copies', async () => {
    const layout = archiveLayout(nas);
    const pgRestore = await newestPgTool('pg_restore');
    expect((await verifyArchive(nas, pgRestore)).problems).toEqual([]);

    // Bit rot: one byte of a recording copy and one in the middle of a dump, sizes unchanged.
    const copy = join(layout.recordingFiles, '2026/11/21/out-1795235012.20.wav');
    const flip = (file: string, at: number) => {
      const bytes = readFileSync(file);
      bytes[at] = bytes[at]! ^ 0xff;
      writeFileSync(file, bytes);
    };
    flip(copy, 10_000);
    const dump = layout.dump('daily', '2026-11-23');
    flip(dump, Math.floor(readFileSync(dump).length / 2));

    const found = await verifyArchive(nas, pgRestore);
    expect(found.dumps).toBe(3); // two daily, one monthly
    expect(found.recordings).toBe(3);
    expect(found.problems).toHaveLength(2);
    expect(found.problems.join('\n')).toContain(`${copy}: damaged copy`);
    expect(found.problems.join('\n')).toContain(`the dump ${dump} is damaged`);

    // The CLI says the same with exit code 1, and a damaged dump is never restored.
    const never = tempDir('never');
    cleanup.push(never);
    const [cli, refused] = await Promise.all([
      runCli(['archive', '--verify', '--target', nas], { DATA_DIR: stores.config.dataDir }),
      runCli(['restore', '--from', nas, '--date', '2026-11-23', '--data-dir', never], {}),
    ]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain(`DAMAGED: ${copy}`);
    expect(cli.stderr).toContain('2 problems found');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is damaged');
    expect(existsSync(join(never, 'postgres'))).toBe(false); // refused before any target was created

    // The next night replaces both from their sources: the truncated copy by its size, the one
    // with a flipped byte by the rolling re-read of older copies.
    truncateSync(join(layout.recordingFiles, '20261121-042148-in-1795234908.0.wav'), 100);
    const repaired = await archiveRun(stores, nas, NIGHT_2);
    expect(repaired.status, JSON.stringify(repaired.steps)).toBe('succeeded');
    expect(repaired.steps[1]!.detail).toMatchObject({ copied: 2, repaired: 2, unchanged: 2, reverified: 2 });
    expect((await verifyArchive(nas, pgRestore)).problems).toEqual([
      expect.stringContaining(`the dump ${dump} is damaged`),
    ]);
  });

  it('restores a night into fresh stores: the same counts and sums of calls, attempts and facts', async () => {
    const target = tempDir('restored');
    cleanup.push(target);
    const restored = await runCli(['restore', '--from', nas, '--date', '2026-11-24', '--data-dir', target], {
      DATA_DIR: target,
    });
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/restored: \d+ calls, \d+ attempts; facts call_facts \d+/);

    // A second restore into the same, now non-empty, target is refused (checked before chDB is opened).
    await expect(
      restoreArchive({
        from: nas,
        date: '2026-11-24',
        dataDir: target,
        recordingsDir: null,
        servers: stores.config.servers,
        replace: false,
        print: () => {},
      }),
    ).rejects.toThrow(/the target database is not empty \(app\./);

    const original = { pg: await postgresFigures(stores.postgres.db), ch: await chFigures() };
    expect(original.pg.calls).toBeGreaterThan(20);
    expect(original.ch.attempt_facts).toBeGreaterThan(0);

    const embedded = await startEmbeddedPostgres(join(target, 'postgres'), await freePort());
    const postgres = connectPostgres(embedded.url);
    try {
      expect(await postgresFigures(postgres.db)).toEqual(original.pg);
    } finally {
      await postgres.close();
      await embedded.stop();
    }
    // The restored chDB, read by another process (chDB binds one data directory per process).
    const facts = await runCli(['sql', FACT_FIGURES_SQL.replace(/\n/g, ' '), '--format', 'json'], {
      DATA_DIR: target,
    });
    expect(facts.stderr).toBe('');
    const row = JSON.parse(facts.stdout.trim()) as Record<string, string | number>;
    expect(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]))).toEqual(original.ch);

    for (const rel of Object.keys(RECORDINGS)) {
      expect(await hashFile(join(target, 'recordings', rel))).toEqual(
        await hashFile(join(recordingsDir, rel)),
      );
    }
  });

  it('a failed pg_dump of a night already archived leaves the good dump of that night in place', async () => {
    const layout = archiveLayout(nas);
    const file = layout.dump('daily', '2026-11-24');
    const before = await hashFile(file);
    const wrongPassword = new URL(stores.postgres.url);
    wrongPassword.password = 'not-the-password';
    await expect(
      dumpPostgres(
        { pool: stores.postgres.pool, databaseUrl: wrongPassword.toString(), layout, date: '2026-11-24' },
        { progress: () => {} },
      ),
    ).rejects.toThrow(/pg_dump/);
    expect(await hashFile(file)).toEqual(before);
    expect(existsSync(`${file}.pending`)).toBe(false);
  });

  it('archive --now beside a running main job is performed by the job; a missing NAS fails with exit 1', async () => {
    const scheduler = new ArchiveScheduler({
      db: stores.postgres.db,
      pool: stores.postgres.pool,
      databaseUrl: stores.postgres.url,
      clickhouse: stores.clickhouse,
      config: loadConfig({ DATA_DIR: stores.config.dataDir }),
      log: () => {},
    });
    await scheduler.start();
    try {
      const missing = join(nas, 'not-mounted');
      const failed = await runCli(['archive', '--now', '--target', missing], {
        DATA_DIR: stores.config.dataDir,
      });
      expect(failed.stdout).toContain('the main job is running and holds chDB: it performs the run');
      expect(failed.stderr).toContain(`the archive target ${missing} does not exist — is the NAS mounted?`);
      expect(failed.code).toBe(1);

      const second = tempDir('nas2');
      cleanup.push(second);
      const ok = await runCli(['archive', '--now', '--target', second], { DATA_DIR: stores.config.dataDir });
      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/\[1\/4\] postgres: done in [\d.]+ s — callcenter-\d{4}-\d{2}-\d{2}\.dump/);
      expect(ok.stdout).toMatch(/archive run #\d+ succeeded/);
    } finally {
      await scheduler.stop();
    }
  });
});
