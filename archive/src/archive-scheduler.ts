import type { AppConfig } from '@callcenter/platform/config';
import type { Database } from '@callcenter/platform/database';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Kysely } from 'kysely';
import cron, { type ScheduledTask } from 'node-cron';
import type pg from 'pg';
import { ArchiveError, errorMessage } from './archive-errors.ts';
import { type HeldLock, tryLock } from './archive-lock.ts';
import { describeRunEnd } from './archive-progress.ts';
import { listenForArchiveRequests } from './archive-requests.ts';
import { runArchive } from './archive-run.ts';
import type { ArchiveRunRecord } from './archive-run-record.ts';

/**
 * The archive inside the main job: the nightly node-cron task (ARCHIVE_SCHEDULE in ARCHIVE_TZ,
 * default 02:30 local, into ARCHIVE_DIR) and the runs a manual `archive --now` hands over
 * (archive-requests.ts). Runs never overlap: in this process a run that is due while another is
 * in progress is skipped (scheduled) or waits (requested); across processes the run lock of
 * archive-lock.ts refuses the second one.
 */

export interface ArchiveSchedulerOptions {
  db: Kysely<Database>;
  pool: pg.Pool;
  databaseUrl: string;
  clickhouse: ClickHouseClient;
  config: Pick<AppConfig, 'archive' | 'recordingsDir' | 'recordingsKeepDays'>;
  log: (line: string) => void;
  /** The runs' clock (tests). */
  now?: () => Date;
}

/**
 * What a scheduled night did: the run's record, or why it was skipped (another run holds the
 * lock).
 */
export type ScheduledOutcome = ArchiveRunRecord | { skipped: string };

/**
 * The main job's nightly archive: runs at `ARCHIVE_SCHEDULE` in `ARCHIVE_TZ`, and runs the
 * `requested` rows `archive --now` leaves (LISTEN callcenter_archive, polling as the backstop)
 * while it holds the archive agent lock (one main job per database does).
 */
export class ArchiveScheduler {
  readonly #options: ArchiveSchedulerOptions;
  #running = false;
  #task: ScheduledTask | null = null;
  #agentLock: HeldLock | null = null;
  #listener: { stop(): Promise<void> } | null = null;
  #stopped = false;

  constructor(options: ArchiveSchedulerOptions) {
    this.#options = options;
  }

  /** True while a run of this process is in progress. */
  get running(): boolean {
    return this.#running;
  }

  #base() {
    const o = this.#options;
    return {
      db: o.db,
      pool: o.pool,
      databaseUrl: o.databaseUrl,
      clickhouse: o.clickhouse,
      keepDaily: o.config.archive.keepDaily,
      keepMonthly: o.config.archive.keepMonthly,
      recordingsDir: o.config.recordingsDir,
      recordingsKeepDays: o.config.recordingsKeepDays,
      now: o.now?.(),
    };
  }

  /**
   * The nightly run (the cron task's body). Skipped, with the reason, when a run is in progress
   * here or in another process, or when ARCHIVE_DIR is not set.
   */
  async runScheduled(): Promise<ScheduledOutcome> {
    const { config, log } = this.#options;
    if (!config.archive.dir) return { skipped: 'ARCHIVE_DIR is not set' };
    if (this.#running) {
      const skipped = 'skipped: the previous archive run is still in progress';
      log(`archive: nightly run ${skipped}`);
      return { skipped };
    }
    this.#running = true;
    try {
      const run = await runArchive({
        ...this.#base(),
        target: config.archive.dir,
        timeZone: config.archive.timeZone,
        trigger: 'scheduled',
        requestedBy: 'schedule',
      });
      log(`archive: ${describeRunEnd(run)}`);
      return run;
    } catch (error) {
      const reason =
        error instanceof ArchiveError && error.kind === 'busy' ? error.message : errorMessage(error);
      log(`archive: nightly run not started: ${reason}`);
      return { skipped: reason };
    } finally {
      this.#running = false;
      void this.runRequests();
    }
  }

  /** Performs the runs manual commands asked for, oldest first (none while a run is in progress). */
  async runRequests(): Promise<number> {
    const { db, log } = this.#options;
    let done = 0;
    while (!this.#running && !this.#stopped) {
      const next = await db
        .selectFrom('app.archive_runs')
        .select(['id', 'target_dir', 'time_zone'])
        .where('status', '=', 'requested')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst()
        .catch(() => undefined);
      if (!next) break;
      this.#running = true;
      try {
        log(`archive: run #${next.id} requested by a manual command → ${next.target_dir}`);
        const run = await runArchive({
          ...this.#base(),
          target: next.target_dir,
          timeZone: next.time_zone,
          trigger: 'manual',
          requestedBy: 'manual',
          requestId: Number(next.id),
        });
        log(`archive: ${describeRunEnd(run)}`);
      } catch (error) {
        log(`archive: requested run #${next.id} not performed: ${errorMessage(error)}`);
      } finally {
        this.#running = false;
      }
      done++;
    }
    return done;
  }

  /** Starts the nightly task (when ARCHIVE_DIR is set) and takes manual requests. */
  async start(): Promise<void> {
    const { config, log, pool, databaseUrl } = this.#options;
    const { archive } = config;
    if (archive.dir) {
      this.#task = cron.schedule(archive.schedule, () => this.runScheduled(), {
        name: 'nightly-archive',
        timezone: archive.timeZone,
        noOverlap: true,
      });
      const next = this.#task.getNextRun();
      log(
        `archive: nightly to ${archive.dir} at "${archive.schedule}" (${archive.timeZone})${next ? `, next ${next.toISOString()}` : ''}; keeping ${archive.keepDaily} daily and ${archive.keepMonthly} monthly dumps`,
      );
    } else {
      log(
        'archive: ARCHIVE_DIR is not set, no nightly archive (npx callcenter archive --now --target DIR still works)',
      );
    }
    await this.#takeAgentLock(pool, databaseUrl);
  }

  #agentRetry: NodeJS.Timeout | null = null;

  /**
   * Takes the agent lock and listens for requests. When the lock's connection breaks (PostgreSQL
   * restarted) or another job holds it, it tries again every 10 s for as long as the job runs.
   */
  async #takeAgentLock(pool: pg.Pool, databaseUrl: string): Promise<void> {
    const { log } = this.#options;
    if (this.#stopped) return;
    try {
      this.#agentLock = await tryLock(pool, 'agent', () => {
        log(
          'archive: lost the agent lock (PostgreSQL connection ended); taking it again when PostgreSQL answers',
        );
        void this.#listener?.stop().catch(() => {});
        this.#listener = null;
        this.#agentLock = null;
        this.#retryAgentLock(pool, databaseUrl);
      });
    } catch {
      this.#agentLock = null;
    }
    if (this.#agentLock) {
      this.#listener = await listenForArchiveRequests(databaseUrl, () => void this.runRequests(), log);
      if (this.#stopped) await this.#listener.stop();
    } else this.#retryAgentLock(pool, databaseUrl);
  }

  #retryAgentLock(pool: pg.Pool, databaseUrl: string): void {
    if (this.#stopped || this.#agentRetry) return;
    this.#agentRetry = setTimeout(() => {
      this.#agentRetry = null;
      void this.#takeAgentLock(pool, databaseUrl);
    }, 10_000);
    this.#agentRetry.unref();
  }

  /** Stops the task and the request listener; a run in progress finishes in the background. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#agentRetry) clearTimeout(this.#agentRetry);
    await this.#task?.destroy();
    await this.#listener?.stop();
    await this.#agentLock?.release();
  }
}
