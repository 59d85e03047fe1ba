import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createClickHouse, migrateFacts } from '@callcenter/analytics/clickhouse';
import { type AppConfig, loadConfig } from '@callcenter/platform/config';
import { UsageError } from '@callcenter/platform/errors';
import { openPostgresStore } from '@callcenter/platform/stores';
import type { ClickHouseClient } from '@clickhouse/client';
import { ArchiveError, errorMessage } from './archive-errors.ts';
import { isLockHeld } from './archive-lock.ts';
import { describeRunEnd, RunPrinter } from './archive-progress.ts';
import { manualRequester, requestArchiveFromJob } from './archive-requests.ts';
import { runArchive } from './archive-run.ts';
import type { ArchiveRunRecord } from './archive-run-record.ts';
import { verifyArchive } from './archive-verify.ts';
import { newestPgTool } from './pg-client-tools.ts';

/**
 * `callcenter archive --now [--target DIR]` and `--verify`: the manual run with its progress
 * display. Where the run happens: with CLICKHOUSE_URL, here. On the embedded defaults chDB's data
 * directory can be opened by one process only, so when the main job (`npm start`) is running and
 * takes requests, the run is handed to it and followed here (archive-requests.ts); when no main
 * job runs, this process opens chDB itself, and if another process (e.g. `callcenter sql`) holds
 * it, the command says which and stops. Any failed step ends the command with exit code 1.
 */

function targetOf(config: AppConfig, target: string | undefined): string {
  const dir = target ?? config.archive.dir;
  if (!dir) throw new UsageError('no archive target: set ARCHIVE_DIR (the NAS mount) or pass --target DIR');
  return resolve(dir);
}

/** Opens chDB under DATA_DIR, or says clearly which process holds it. */
export function openChdbForArchive(chdbPath: string): ClickHouseClient {
  try {
    return createClickHouse({ chdbPath });
  } catch (error) {
    let holder = '';
    try {
      const pid = /PID:\s*(\d+)/.exec(readFileSync(join(chdbPath, 'status'), 'utf8'))?.[1];
      if (pid) holder = ` (pid ${pid})`;
    } catch {}
    throw new ArchiveError(
      'chdb_in_use',
      `the chDB data directory ${chdbPath} is in use by another process${holder}: only one process may open it. Stop that process (e.g. a long \`callcenter sql\`), or start the main job (\`npm start\`), which then performs \`archive --now\` itself. (${errorMessage(error)})`,
    );
  }
}

/** Runs (or has the main job run) an archive into `target`; throws when the run did not succeed. */
export async function archiveNow(options: {
  target?: string;
  print?: (line: string) => void;
}): Promise<ArchiveRunRecord> {
  const config = loadConfig();
  const target = targetOf(config, options.target);
  const printer = new RunPrinter(options.print);
  const store = await openPostgresStore(config);
  let run: ArchiveRunRecord;
  try {
    const { db, pool, url } = store.postgres;
    if (!config.clickhouseUrl && (await isLockHeld(pool, 'agent'))) {
      (options.print ?? console.log)(
        'the main job is running and holds chDB: it performs the run; following it here',
      );
      run = await requestArchiveFromJob(
        db,
        { target, timeZone: config.archive.timeZone, requestedBy: manualRequester() },
        (r) => printer.update(r),
      );
    } else {
      const clickhouse = config.clickhouseUrl
        ? createClickHouse({ url: config.clickhouseUrl })
        : openChdbForArchive(join(config.dataDir, 'clickhouse'));
      try {
        await migrateFacts(clickhouse);
        run = await runArchive({
          db,
          pool,
          databaseUrl: url,
          clickhouse,
          target,
          timeZone: config.archive.timeZone,
          keepDaily: config.archive.keepDaily,
          keepMonthly: config.archive.keepMonthly,
          recordingsDir: config.recordingsDir,
          recordingsKeepDays: config.recordingsKeepDays,
          trigger: 'manual',
          requestedBy: manualRequester(),
          onUpdate: (r) => printer.update(r),
        });
      } finally {
        await clickhouse.close().catch(() => {});
      }
    }
  } finally {
    await store.close();
  }
  if (run.status !== 'succeeded') throw new ArchiveError('failed', describeRunEnd(run));
  (options.print ?? console.log)(describeRunEnd(run));
  return run;
}

/** `archive --verify`: reads the whole archive back; throws listing every damaged or missing file. */
export async function verifyArchiveNow(options: {
  target?: string;
  print?: (line: string) => void;
}): Promise<void> {
  const print = options.print ?? console.log;
  const config = loadConfig();
  const target = targetOf(config, options.target);
  const result = await verifyArchive(target, await newestPgTool('pg_restore'));
  const checked = `${result.dumps} dumps, ${result.recordings} recordings, ${result.parquet} Parquet files checked in ${target}`;
  if (result.problems.length > 0) {
    for (const problem of result.problems) print(`DAMAGED: ${problem}`);
    throw new ArchiveError('verification_failed', `${result.problems.length} problems found; ${checked}`);
  }
  print(`archive verified: ${checked}, all intact`);
}
