import type { Database } from '@callcenter/platform/database';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type pg from 'pg';
import { ArchiveError, errorMessage, FATAL_KINDS } from './archive-errors.ts';
import { archiveLayout } from './archive-layout.ts';
import { tryLock } from './archive-lock.ts';
import {
  ARCHIVE_STEPS,
  type ArchiveRunRecord,
  type ArchiveStepName,
  beginRun,
  closeInterruptedRuns,
  failRequest,
  finishRun,
  loadArchiveRun,
  loadArchiveRuns,
  updateStep,
} from './archive-run-record.ts';
import type { StepOutcome, StepReporter } from './archive-step.ts';
import { checkTarget, formatBytes } from './archive-target.ts';
import { pruneDumps } from './dump-retention.ts';
import { exportFacts } from './facts-export-step.ts';
import { dumpPostgres } from './postgres-dump-step.ts';
import { copyRecordings } from './recordings-copy-step.ts';
import { pruneSourceRecordings } from './recordings-retention.ts';
import { writeSmallFile } from './verified-write.ts';

/**
 * One archive run (docs/operations.md#backups-archive-and-restore), nightly from the main job's schedule or by hand: under the run lock
 * (no overlapping runs), checks the target, then runs the steps in order — postgres (pg_dump,
 * verified), recordings (incremental copy, verified), clickhouse (closed days to Parquet,
 * verified), retention (old dumps; source recordings past RECORDINGS_KEEP_DAYS) — recording each
 * step's status, sizes, duration and errors in Postgres as it goes. A failed step does not stop
 * the independent ones after it, except when the NAS itself failed (missing, full, unreachable,
 * read-only): then the rest are skipped with that reason. Retention runs only after tonight's
 * dump verified. The run is 'succeeded' only when every step succeeded.
 */

export interface ArchiveRunInput {
  db: Kysely<Database>;
  pool: pg.Pool;
  /** URL of the database to dump (password passed to pg_dump through PGPASSWORD). */
  databaseUrl: string;
  clickhouse: ClickHouseClient;
  /** Archive root, absolute (ARCHIVE_DIR or --target). */
  target: string;
  timeZone: string;
  keepDaily: number;
  keepMonthly: number;
  recordingsDir: string;
  recordingsKeepDays: number;
  trigger: 'scheduled' | 'manual';
  requestedBy: string;
  /** A 'requested' run (a manual command asked the main job) to perform instead of a new row. */
  requestId?: number;
  /** The run's clock (tests); default now. */
  now?: Date;
  /** Called with the run record whenever a step starts, reports progress or ends. */
  onUpdate?: (run: ArchiveRunRecord) => void;
  /** Minimum ms between progress writes of one step (default 1000). */
  progressIntervalMs?: number;
}

/** Describes the run that holds the lock, for the "busy" message. */
async function busyMessage(db: Kysely<Database>): Promise<string> {
  const [running] = await loadArchiveRuns(db, { limit: 1, offset: 0, status: 'running' });
  return running
    ? `another archive run is in progress (run #${running.id}, ${running.trigger}, started ${running.started_at} by ${running.runner})`
    : 'another archive run is in progress';
}

/**
 * Performs a run and returns its final record. Throws ArchiveError('busy') when another run holds
 * the lock (a requested run is then failed with that reason); every other failure is recorded in
 * the run and returned with status 'failed'.
 */
export async function runArchive(input: ArchiveRunInput): Promise<ArchiveRunRecord> {
  const lock = await tryLock(input.pool, 'run');
  if (!lock) {
    const message = await busyMessage(input.db);
    if (input.requestId !== undefined) await failRequest(input.db, input.requestId, message);
    throw new ArchiveError('busy', message);
  }
  try {
    await closeInterruptedRuns(input.db);
    const now = input.now ?? new Date();
    const date = DateTime.fromJSDate(now, { zone: input.timeZone }).toISODate()!;
    const runId = await beginRun(input.db, {
      requestId: input.requestId,
      trigger: input.trigger,
      target: input.target,
      timeZone: input.timeZone,
      requestedBy: input.requestedBy,
      archiveDate: date,
    });
    return await performRun(input, runId, date, now);
  } finally {
    await lock.release();
  }
}

async function performRun(input: ArchiveRunInput, runId: number, date: string, now: Date) {
  const { db } = input;
  const started = Date.now();
  const layout = archiveLayout(input.target);
  const publish = async () => {
    if (!input.onUpdate) return;
    const run = await loadArchiveRun(db, runId);
    if (run) input.onUpdate(run);
  };
  const outcomes = new Map<ArchiveStepName, 'succeeded' | 'failed' | 'skipped'>();
  const errors: string[] = [];
  let bytesWritten = 0;
  let fatal: ArchiveError | null = null;

  try {
    await checkTarget(input.target);
  } catch (error) {
    fatal = error instanceof ArchiveError ? error : new ArchiveError('failed', errorMessage(error));
    errors.push(fatal.message);
  }

  const steps: Record<ArchiveStepName, (reporter: StepReporter) => Promise<StepOutcome>> = {
    postgres: (reporter) =>
      dumpPostgres({ pool: input.pool, databaseUrl: input.databaseUrl, layout, date }, reporter),
    recordings: (reporter) => copyRecordings({ recordingsDir: input.recordingsDir, layout, now }, reporter),
    clickhouse: (reporter) =>
      exportFacts({ clickhouse: input.clickhouse, layout, timeZone: input.timeZone, date }, reporter),
    retention: async (reporter) => {
      reporter.progress('removing dumps beyond retention');
      const daily = await pruneDumps(layout, 'daily', input.keepDaily);
      const monthly = await pruneDumps(layout, 'monthly', input.keepMonthly);
      const sources =
        outcomes.get('recordings') === 'succeeded'
          ? await pruneSourceRecordings({
              recordingsDir: input.recordingsDir,
              layout,
              now,
              keepDays: input.recordingsKeepDays,
            })
          : null;
      return {
        bytes: 0,
        files: daily.removed.length + monthly.removed.length + (sources?.removed ?? 0),
        summary: `kept ${daily.kept.length}/${input.keepDaily} daily and ${monthly.kept.length}/${input.keepMonthly} monthly dumps, removed ${daily.removed.length + monthly.removed.length}${input.recordingsKeepDays > 0 ? `; ${sources?.removed ?? 0} recordings older than ${input.recordingsKeepDays} days removed from this server (${formatBytes(sources?.bytes ?? 0)}), archived copies verified` : ''}`,
        detail: {
          daily_removed: daily.removed,
          daily_kept: daily.kept,
          monthly_removed: monthly.removed,
          monthly_kept: monthly.kept,
          recordings_keep_days: input.recordingsKeepDays,
          recordings_removed: sources?.removed ?? 0,
          recordings_kept: sources?.kept ?? 0,
        },
        errors: sources?.errors ?? [],
      };
    },
  };

  for (const step of ARCHIVE_STEPS) {
    const skipReason = fatal
      ? `skipped (${fatal.kind.replace(/_/g, ' ')}: see the run's error)`
      : step === 'retention' && outcomes.get('postgres') !== 'succeeded'
        ? "skipped: tonight's dump did not verify, so no older copy is removed"
        : null;
    if (skipReason) {
      outcomes.set(step, 'skipped');
      await updateStep(db, runId, step, { status: 'skipped', error: skipReason });
      continue;
    }
    const stepStarted = Date.now();
    await updateStep(db, runId, step, { status: 'running', started_at: new Date().toISOString() });
    await publish();
    let chain: Promise<void> = Promise.resolve();
    let lastWrite = 0;
    const reporter: StepReporter = {
      progress(line) {
        const t = Date.now();
        if (t - lastWrite < (input.progressIntervalMs ?? 1000)) return;
        lastWrite = t;
        chain = chain
          .then(() => updateStep(db, runId, step, { progress: line }).then(publish))
          .catch(() => {});
      },
    };
    const finished = () => ({
      finished_at: new Date().toISOString(),
      duration_sec: (Date.now() - stepStarted) / 1000,
    });
    try {
      const outcome = await steps[step](reporter);
      await chain;
      const failed = (outcome.errors?.length ?? 0) > 0;
      outcomes.set(step, failed ? 'failed' : 'succeeded');
      bytesWritten += outcome.bytes;
      if (failed) errors.push(`${step}: ${outcome.errors!.join('; ')}`);
      await updateStep(db, runId, step, {
        status: failed ? 'failed' : 'succeeded',
        ...finished(),
        bytes: outcome.bytes,
        files: outcome.files,
        progress: outcome.summary,
        detail: outcome.detail,
        error: failed ? outcome.errors!.join('\n') : null,
      });
    } catch (error) {
      await chain;
      const message = errorMessage(error);
      outcomes.set(step, 'failed');
      errors.push(`${step}: ${message}`);
      if (error instanceof ArchiveError && FATAL_KINDS.has(error.kind)) fatal = error;
      await updateStep(db, runId, step, { status: 'failed', ...finished(), error: message });
    }
    await publish();
  }

  const succeeded = ARCHIVE_STEPS.every((s) => outcomes.get(s) === 'succeeded');
  await finishRun(db, runId, {
    status: succeeded ? 'succeeded' : 'failed',
    bytesWritten,
    error: succeeded ? null : errors.join('\n'),
    durationSec: (Date.now() - started) / 1000,
  });
  const record = (await loadArchiveRun(db, runId))!;
  if (!fatal) {
    // The night's record on the NAS too, for a restore on a machine without this database.
    await writeSmallFile(layout.runRecord(date), `${JSON.stringify(record, null, 2)}\n`).catch(() => {});
  }
  input.onUpdate?.(record);
  return record;
}
