import { z } from '@hono/zod-openapi';
import { idParam } from '../dictionaries/route-schemas.ts';

/**
 * Shapes of `GET /archive/runs` and `GET /archive/runs/{id}`: the nightly archive's run records
 * (archive/src/archive-run-record.ts). Times are ISO 8601 UTC, sizes bytes, durations
 * seconds.
 */

export const MAX_ARCHIVE_RUNS_LIMIT = 200;

/**
 * `GET /archive/runs` query: paging (`limit`, `offset`), strict (an unknown parameter is a 400).
 */
export const ArchiveRunsQuery = z.strictObject({
  status: z
    .enum(['requested', 'running', 'succeeded', 'failed'])
    .optional()
    .openapi({ description: 'only runs with this status' }),
  limit: z
    .string()
    .regex(/^[0-9]{1,3}$/, `an integer 1..${MAX_ARCHIVE_RUNS_LIMIT}`)
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_ARCHIVE_RUNS_LIMIT))
    .default(30),
  offset: z
    .string()
    .regex(/^[0-9]{1,9}$/, 'an integer ≥ 0')
    .transform(Number)
    .default(0),
});
/** The parsed `GET /archive/runs` query. */
export type ArchiveRunsQuery = z.infer<typeof ArchiveRunsQuery>;

/** `GET /archive/runs/{id}` path: a positive integer id (anything else is a 400). */
export const ArchiveRunIdParams = z.object({ id: idParam('archive run') });

/**
 * One step of an archive run (postgres dump, recordings, ClickHouse Parquet, retention): status,
 * times (UTC ISO), duration in seconds, bytes and files written, progress line, figures and error.
 */
export const ArchiveStep = z
  .object({
    step: z.enum(['postgres', 'recordings', 'clickhouse', 'retention']),
    status: z.enum(['pending', 'running', 'succeeded', 'failed', 'skipped']),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
    duration_sec: z.number().nullable(),
    bytes: z.number().int().openapi({ description: 'bytes written to the archive' }),
    files: z.number().int().openapi({ description: 'files written (removed, for retention)' }),
    progress: z.string().nullable().openapi({ description: 'live progress line, then the summary' }),
    detail: z
      .record(z.string(), z.unknown())
      .openapi({ description: 'step figures (entries, copied, rows…)' }),
    error: z.string().nullable(),
  })
  .openapi('ArchiveStep');

/**
 * One archive run (archive/src/archive-run-record.ts): trigger, status, target folder, the night
 * archived (YYYY-MM-DD in `time_zone`), who asked and when, times (UTC ISO), duration in seconds,
 * bytes written, errors, the host:pid that ran it and its steps.
 */
export const ArchiveRun = z
  .object({
    id: z.number().int(),
    trigger: z.enum(['scheduled', 'manual']),
    status: z.enum(['requested', 'running', 'succeeded', 'failed']).openapi({
      description: "'succeeded' only when every step succeeded",
    }),
    target_dir: z.string(),
    archive_date: z.string().nullable().openapi({ description: 'the night, YYYY-MM-DD in time_zone' }),
    time_zone: z.string(),
    requested_by: z.string(),
    requested_at: z.string(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
    duration_sec: z.number().nullable(),
    bytes_written: z.number().int(),
    error: z.string().nullable().openapi({ description: 'one line per failed step' }),
    runner: z.string().nullable().openapi({ description: 'host:pid that performed the run' }),
    steps: z.array(ArchiveStep),
  })
  .openapi('ArchiveRun');

/**
 * `GET /archive/runs`: the newest runs first, the total, the page (`limit`, `offset`) and when the
 * last successful run finished.
 */
export const ArchiveRunList = z
  .object({
    items: z.array(ArchiveRun),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
    last_success_at: z
      .string()
      .nullable()
      .openapi({ description: 'when the newest successful run finished (null: never)' }),
    configured: z
      .boolean()
      .openapi({ description: 'ARCHIVE_DIR is set: the nightly archive runs and "run now" is possible' }),
    target: z.string().nullable().openapi({ description: 'ARCHIVE_DIR (null: not set)' }),
  })
  .openapi('ArchiveRunList');

export const ArchiveRunRequested = z
  .object({
    id: z.number().int().openapi({ description: 'the requested run; follow it with GET /archive/runs/{id}' }),
  })
  .openapi('ArchiveRunRequested');
