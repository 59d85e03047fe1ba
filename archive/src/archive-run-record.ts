import { hostname } from 'node:os';
import type { Database } from '@callcenter/platform/database';
import { type Kysely, sql } from 'kysely';

/**
 * The run record in Postgres (sql/postgres/005_archive_runs.sql): one row per run, one per step,
 * read by admins over the API (GET /archive/runs) and by a manual `archive --now` following a run
 * it handed to the main job. Times come out as ISO 8601 strings (UTC), sizes in bytes, durations
 * in seconds.
 */

export const ARCHIVE_STEPS = ['postgres', 'recordings', 'clickhouse', 'retention'] as const;
/** A step of a run, in the order they run. */
export type ArchiveStepName = (typeof ARCHIVE_STEPS)[number];
/**
 * Where a step stands; `skipped` when an earlier fatal error (a full or missing NAS) made it
 * pointless.
 */
export type ArchiveStepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';
/**
 * Where a run stands: `requested` (waiting for the main job), `running`, `succeeded` (every step
 * did) or `failed`.
 */
export type ArchiveRunStatus = 'requested' | 'running' | 'succeeded' | 'failed';

/**
 * One step as recorded (app.archive_run_steps): status, times (UTC ISO), duration in seconds,
 * bytes and files written, the progress line, the step's figures and its error.
 */
export interface ArchiveStepRecord {
  step: ArchiveStepName;
  status: ArchiveStepStatus;
  started_at: string | null;
  finished_at: string | null;
  duration_sec: number | null;
  bytes: number;
  files: number;
  progress: string | null;
  detail: Record<string, unknown>;
  error: string | null;
}

/**
 * One run as recorded (app.archive_runs) with its steps: trigger, status, target folder, the night
 * (YYYY-MM-DD in `time_zone`), who asked and when, times (UTC ISO), duration in seconds, bytes
 * written, errors and the `host:pid` that ran it.
 */
export interface ArchiveRunRecord {
  id: number;
  trigger: 'scheduled' | 'manual';
  status: ArchiveRunStatus;
  target_dir: string;
  archive_date: string | null;
  time_zone: string;
  requested_by: string;
  requested_at: string;
  started_at: string | null;
  finished_at: string | null;
  duration_sec: number | null;
  bytes_written: number;
  error: string | null;
  runner: string | null;
  steps: ArchiveStepRecord[];
}

/** `host:pid` of this process, stored as the run's runner. */
export const thisRunner = (): string => `${hostname()}:${process.pid}`;

const iso = (value: Date | string | null): string | null =>
  value === null ? null : (value instanceof Date ? value : new Date(value)).toISOString();

/** A run (with its steps in step order) by id, or null. */
export async function loadArchiveRun(db: Kysely<Database>, id: number): Promise<ArchiveRunRecord | null> {
  const [run] = await loadArchiveRuns(db, { ids: [id], limit: 1, offset: 0 });
  return run ?? null;
}

/** Runs newest first (requested_at, then id), with their steps; `ids` narrows to those runs. */
export async function loadArchiveRuns(
  db: Kysely<Database>,
  q: { limit: number; offset: number; ids?: number[]; status?: ArchiveRunStatus },
): Promise<ArchiveRunRecord[]> {
  let query = db.selectFrom('app.archive_runs').selectAll();
  if (q.ids) query = query.where('id', 'in', q.ids.length ? q.ids : [-1]);
  if (q.status) query = query.where('status', '=', q.status);
  const runs = await query
    .orderBy('requested_at', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit)
    .offset(q.offset)
    .execute();
  if (runs.length === 0) return [];
  const steps = await db
    .selectFrom('app.archive_run_steps')
    .selectAll()
    .where(
      'run_id',
      'in',
      runs.map((r) => r.id),
    )
    .orderBy('run_id')
    .orderBy('seq')
    .execute();
  return runs.map((r) => ({
    id: Number(r.id),
    trigger: r.trigger,
    status: r.status,
    target_dir: r.target_dir,
    archive_date: r.archive_date,
    time_zone: r.time_zone,
    requested_by: r.requested_by,
    requested_at: iso(r.requested_at)!,
    started_at: iso(r.started_at),
    finished_at: iso(r.finished_at),
    duration_sec: r.duration_sec,
    bytes_written: Number(r.bytes_written),
    error: r.error,
    runner: r.runner,
    steps: steps
      .filter((s) => Number(s.run_id) === Number(r.id))
      .map((s) => ({
        step: s.step,
        status: s.status,
        started_at: iso(s.started_at),
        finished_at: iso(s.finished_at),
        duration_sec: s.duration_sec,
        bytes: Number(s.bytes),
        files: s.files,
        progress: s.progress,
        detail: (s.detail ?? {}) as Record<string, unknown>,
        error: s.error,
      })),
  }));
}

/** Number of runs (for the API's total). */
export async function countArchiveRuns(db: Kysely<Database>, status?: ArchiveRunStatus): Promise<number> {
  let query = db.selectFrom('app.archive_runs').select((eb) => eb.fn.countAll<string>().as('n'));
  if (status) query = query.where('status', '=', status);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** A manual run the main job is asked to perform (see archive-request.ts); returns its id. */
export async function insertRequestedRun(
  db: Kysely<Database>,
  values: { target: string; timeZone: string; requestedBy: string },
): Promise<number> {
  const row = await db
    .insertInto('app.archive_runs')
    .values({
      trigger: 'manual',
      status: 'requested',
      target_dir: values.target,
      time_zone: values.timeZone,
      requested_by: values.requestedBy,
      started_at: null,
      finished_at: null,
      duration_sec: null,
      error: null,
      runner: null,
      archive_date: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/**
 * Closes 'running' rows left by a process that died mid-run. Call only while holding the run lock:
 * then no run is really running.
 */
export async function closeInterruptedRuns(db: Kysely<Database>): Promise<number> {
  const closed = await db
    .updateTable('app.archive_runs')
    .set({
      status: 'failed',
      finished_at: sql`now()`,
      error: 'interrupted: the process running it stopped before it finished',
    })
    .where('status', '=', 'running')
    .executeTakeFirst();
  await db
    .updateTable('app.archive_run_steps')
    .set({ status: 'failed', error: 'interrupted', finished_at: sql`now()` })
    .where('status', '=', 'running')
    .execute();
  return Number(closed.numUpdatedRows);
}

/**
 * Marks a run as running (a new row, or the requested row `requestId`) with its steps pending.
 * Returns the run id.
 */
export async function beginRun(
  db: Kysely<Database>,
  values: {
    requestId?: number;
    trigger: 'scheduled' | 'manual';
    target: string;
    timeZone: string;
    requestedBy: string;
    archiveDate: string;
  },
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    let id: number;
    const running = {
      status: 'running' as const,
      started_at: new Date(),
      archive_date: values.archiveDate,
      runner: thisRunner(),
      target_dir: values.target,
      time_zone: values.timeZone,
    };
    if (values.requestId !== undefined) {
      const row = await trx
        .updateTable('app.archive_runs')
        .set(running)
        .where('id', '=', values.requestId)
        .where('status', '=', 'requested')
        .returning('id')
        .executeTakeFirst();
      if (!row) throw new Error(`archive request #${values.requestId} is no longer waiting`);
      id = Number(row.id);
    } else {
      const row = await trx
        .insertInto('app.archive_runs')
        .values({
          ...running,
          trigger: values.trigger,
          requested_by: values.requestedBy,
          finished_at: null,
          duration_sec: null,
          error: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      id = Number(row.id);
    }
    await trx
      .insertInto('app.archive_run_steps')
      .values(
        ARCHIVE_STEPS.map((step, seq) => ({
          run_id: id,
          step,
          seq,
          status: 'pending' as const,
          started_at: null,
          finished_at: null,
          duration_sec: null,
          progress: null,
          error: null,
        })),
      )
      .execute();
    return id;
  });
}

/** Updates one step's columns (status, figures, progress line, detail, error). */
export async function updateStep(
  db: Kysely<Database>,
  runId: number,
  step: ArchiveStepName,
  patch: Partial<Omit<ArchiveStepRecord, 'step' | 'detail'>> & { detail?: Record<string, unknown> },
): Promise<void> {
  const { detail, ...rest } = patch;
  await db
    .updateTable('app.archive_run_steps')
    .set({ ...rest, ...(detail ? { detail: JSON.stringify(detail) } : {}) })
    .where('run_id', '=', runId)
    .where('step', '=', step)
    .execute();
}

/** Closes a run with its final status, total bytes and error lines. */
export async function finishRun(
  db: Kysely<Database>,
  runId: number,
  values: { status: 'succeeded' | 'failed'; bytesWritten: number; error: string | null; durationSec: number },
): Promise<void> {
  await db
    .updateTable('app.archive_runs')
    .set({
      status: values.status,
      finished_at: new Date(),
      duration_sec: values.durationSec,
      bytes_written: values.bytesWritten,
      error: values.error,
    })
    .where('id', '=', runId)
    .execute();
}

/** Fails a request that was never started (busy, not picked up), with the reason. */
export async function failRequest(db: Kysely<Database>, runId: number, error: string): Promise<boolean> {
  const result = await db
    .updateTable('app.archive_runs')
    .set({ status: 'failed', finished_at: new Date(), error })
    .where('id', '=', runId)
    .where('status', '=', 'requested')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
