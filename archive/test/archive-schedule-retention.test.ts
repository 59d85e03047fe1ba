import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openTestStores, type TestStores } from '@callcenter/ingest/testing/stores';
import { loadConfig } from '@callcenter/platform/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveError, describeFsError } from '../src/archive-errors.ts';
import { archiveLayout } from '../src/archive-layout.ts';
import { tryLock } from '../src/archive-lock.ts';
import { insertRequestedRun, loadArchiveRun } from '../src/archive-run-record.ts';
import { ArchiveScheduler } from '../src/archive-scheduler.ts';
import { datesBeyondRetention } from '../src/dump-retention.ts';
import { pruneSourceRecordings } from '../src/recordings-retention.ts';
import { archiveRun, tempDir, writeRecordings } from './archive-support.ts';

/**
 * Retention (N daily and M monthly dumps; source recordings only after their copy verifies), the
 * guard against overlapping runs (in the main job's schedule and across processes), the schedule's
 * configuration, and the NAS failures' messages. One capture is enough here.
 */

let stores: TestStores;
let recordingsDir: string;
const cleanup: string[] = [];

beforeAll(async () => {
  stores = await openTestStores();
  await stores.replay('01-inbound-answered-caller-hangup');
  await stores.collector().catchUp();
  recordingsDir = join(stores.config.dataDir, 'recordings');
});

afterAll(async () => {
  await stores?.dispose();
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});

const nasDir = () => {
  const dir = tempDir('nas');
  cleanup.push(dir);
  return dir;
};
const dumps = (nas: string, kind: 'daily' | 'monthly') =>
  readdirSync(archiveLayout(nas).dumpDir(kind))
    .filter((n) => n.endsWith('.dump'))
    .sort();

describe('retention', () => {
  it('keeps the newest N dates (pure rule)', () => {
    expect(datesBeyondRetention(['2026-11-03', '2026-11-01', '2026-11-02'], 2)).toEqual(['2026-11-01']);
    expect(datesBeyondRetention(['2026-11-01'], 0)).toEqual(['2026-11-01']);
  });

  it('keeps N daily dumps and the first dump of each of the last M months', async () => {
    const nas = nasDir();
    for (const night of ['2026-10-30', '2026-11-02', '2026-11-03', '2026-11-04', '2026-12-01']) {
      const run = await archiveRun(stores, nas, new Date(`${night}T02:30:00Z`), {
        keepDaily: 2,
        keepMonthly: 2,
      });
      expect(run.status, run.error ?? '').toBe('succeeded');
    }
    expect(dumps(nas, 'daily')).toEqual(['callcenter-2026-11-04.dump', 'callcenter-2026-12-01.dump']);
    expect(dumps(nas, 'monthly')).toEqual(['callcenter-2026-11-02.dump', 'callcenter-2026-12-01.dump']);
    expect(existsSync(join(archiveLayout(nas).dumpDir('daily'), 'callcenter-2026-11-03.dump.sha256'))).toBe(
      false,
    );
  });

  it('removes a source recording only when its copy and the source verify against the manifest', async () => {
    const nas = nasDir();
    const old = new Date('2026-11-01T10:00:00Z');
    writeRecordings(recordingsDir, { 'keep-me.wav': 4000, 'a.wav': 3000, 'b.wav': 2000 }, old);
    const first = await archiveRun(stores, nas, new Date('2026-11-20T02:30:00Z'));
    expect(first.status).toBe('succeeded');
    // The copy of keep-me.wav rots on the NAS (same size) before the rule deletes sources.
    const copy = join(archiveLayout(nas).recordingFiles, 'keep-me.wav');
    const bytes = readFileSync(copy);
    bytes[5] = bytes[5]! ^ 0xff;
    writeFileSync(copy, bytes);

    const second = await archiveRun(stores, nas, new Date('2026-11-20T03:00:00Z'), {
      recordingsKeepDays: 7,
    });
    // The rolling re-read found and replaced the damaged copy first; then every source verified.
    expect(second.steps[1]!.detail).toMatchObject({ repaired: 1 });
    expect(second.steps[3]!.detail).toMatchObject({ recordings_removed: 3, recordings_kept: 0 });
    expect(readdirSync(recordingsDir)).toEqual([]);
    const manifest = JSON.parse(readFileSync(archiveLayout(nas).recordingsManifest, 'utf8'));
    expect(manifest.files['a.wav'].source_deleted_at).toEqual(expect.any(String));

    // The rule itself: a source whose archived copy does not verify stays on this server.
    writeRecordings(recordingsDir, { 'c.wav': 1000 }, old);
    expect((await archiveRun(stores, nas, new Date('2026-11-21T02:30:00Z'))).status).toBe('succeeded');
    writeFileSync(join(archiveLayout(nas).recordingFiles, 'c.wav'), Buffer.alloc(1000, 7));
    const pruned = await pruneSourceRecordings({
      recordingsDir,
      layout: archiveLayout(nas),
      now: new Date('2026-11-21T03:00:00Z'),
      keepDays: 7,
    });
    expect(pruned).toMatchObject({ removed: 0, kept: 1 });
    expect(pruned.errors).toEqual(['c.wav: kept on this server, its archived copy does not verify']);
    expect(existsSync(join(recordingsDir, 'c.wav'))).toBe(true);
    rmSync(join(recordingsDir, 'c.wav'));
  });
});

describe('no overlapping runs', () => {
  it('the schedule skips a run that is due while the previous one is still in progress', async () => {
    const nas = nasDir();
    const lines: string[] = [];
    const scheduler = new ArchiveScheduler({
      db: stores.postgres.db,
      pool: stores.postgres.pool,
      databaseUrl: stores.postgres.url,
      clickhouse: stores.clickhouse,
      config: loadConfig({ DATA_DIR: stores.config.dataDir, ARCHIVE_DIR: nas }),
      log: (line) => lines.push(line),
      now: () => new Date('2026-11-23T02:30:00Z'),
    });
    const first = scheduler.runScheduled();
    expect(scheduler.running).toBe(true);
    const second = await scheduler.runScheduled();
    expect(second).toEqual({ skipped: 'skipped: the previous archive run is still in progress' });
    const done = await first;
    expect('status' in done && done.status).toBe('succeeded');
    expect(scheduler.running).toBe(false);
    expect(lines).toContain('archive: nightly run skipped: the previous archive run is still in progress');
  });

  it('a run is refused while another process holds the run lock; a waiting request is failed with the reason', async () => {
    const nas = nasDir();
    const lock = await tryLock(stores.postgres.pool, 'run');
    expect(lock).not.toBeNull();
    try {
      const requestId = await insertRequestedRun(stores.postgres.db, {
        target: nas,
        timeZone: 'UTC',
        requestedBy: 'test',
      });
      const refused = await archiveRun(stores, nas, new Date('2026-11-23T02:30:00Z'), { requestId }).catch(
        (e) => e,
      );
      expect(refused).toBeInstanceOf(ArchiveError);
      expect((refused as ArchiveError).kind).toBe('busy');
      expect((refused as Error).message).toMatch(/^another archive run is in progress/);
      const request = await loadArchiveRun(stores.postgres.db, requestId);
      expect(request).toMatchObject({
        status: 'failed',
        error: expect.stringMatching(/another archive run/),
      });
    } finally {
      await lock!.release();
    }
    expect((await archiveRun(stores, nas, new Date('2026-11-23T02:30:00Z'))).status).toBe('succeeded');
  });

  it('a run interrupted by a dying process is closed as failed by the next one', async () => {
    const nas = nasDir();
    const stale = await stores.postgres.db
      .insertInto('app.archive_runs')
      .values({
        trigger: 'scheduled',
        status: 'running',
        target_dir: nas,
        time_zone: 'UTC',
        requested_by: 'schedule',
        archive_date: '2026-11-22',
        started_at: new Date(),
        finished_at: null,
        duration_sec: null,
        error: null,
        runner: 'gone:1',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await archiveRun(stores, nas, new Date('2026-11-23T02:30:00Z'));
    expect(await loadArchiveRun(stores.postgres.db, Number(stale.id))).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/^interrupted/),
    });
  });
});

describe('configuration and failures', () => {
  it('reads the schedule, zone and retention from the environment, rejecting bad values', () => {
    const config = loadConfig({ ASTERISK_SERVERS: 'pbx1:asterisk:Europe/Moscow' });
    expect(config.archive).toMatchObject({
      dir: undefined,
      schedule: '30 2 * * *',
      timeZone: 'Europe/Moscow',
      keepDaily: 7,
      keepMonthly: 12,
    });
    expect(() => loadConfig({ ARCHIVE_SCHEDULE: 'at night', ARCHIVE_TZ: 'Mars/Olympus' })).toThrow(
      /ARCHIVE_SCHEDULE: must be a cron expression[\s\S]*ARCHIVE_TZ: must be an IANA time zone/,
    );
  });

  it('a missing NAS fails the run with a clear message, every step skipped', async () => {
    const missing = join(nasDir(), 'not-mounted');
    const run = await archiveRun(stores, missing, new Date('2026-11-23T02:30:00Z'));
    expect(run.status).toBe('failed');
    expect(run.error).toBe(
      `the archive target ${missing} does not exist — is the NAS mounted? (the archive never creates its root directory)`,
    );
    expect(run.steps.map((s) => s.status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);
    expect(existsSync(missing)).toBe(false);
  });

  it('names disk full, permission and NAS errors', () => {
    const errno = (code: string) => Object.assign(new Error(code), { code });
    expect(describeFsError(errno('ENOSPC'), 'writing', '/nas/x.dump')).toMatchObject({
      kind: 'disk_full',
      message: 'disk full: no space left while writing /nas/x.dump',
    });
    expect(describeFsError(errno('EACCES'), 'writing', '/nas/x').kind).toBe('target_not_writable');
    expect(describeFsError(errno('EROFS'), 'writing', '/nas/x').message).toBe(
      'read-only file system while writing /nas/x',
    );
    expect(describeFsError(errno('ESTALE'), 'reading back', '/nas/x').kind).toBe('target_unavailable');
  });
});
