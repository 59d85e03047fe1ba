import { hostname, userInfo } from 'node:os';
import type { Database } from '@callcenter/platform/database';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { ArchiveError } from './archive-errors.ts';
import {
  type ArchiveRunRecord,
  failRequest,
  insertRequestedRun,
  loadArchiveRun,
} from './archive-run-record.ts';

/**
 * A manual `archive --now` handing its run to the running main job. On the embedded defaults the
 * main job holds the chDB data directory, which only one process may open; so when a main job is
 * ready for requests (it holds the `agent` lock), the command inserts a 'requested' run, wakes the
 * job with NOTIFY callcenter_archive, and follows the run record in Postgres until it ends. The
 * job side is {@link listenForArchiveRequests}.
 */

export const ARCHIVE_CHANNEL = 'callcenter_archive';

/** `user@host (pid N)`: who asked for a manual run. */
export function manualRequester(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {}
  return `${user}@${hostname()} (pid ${process.pid})`;
}

/**
 * How long a manual request waits for the main job to pick it up, and how often it polls the run
 * record (ms).
 */
export interface FollowOptions {
  /** How long the job has to pick the request up (default 30 s). */
  pickupTimeoutMs?: number;
  pollMs?: number;
}

/**
 * Asks the main job for a run into `target` and follows it: `onUpdate` gets the record whenever it
 * changes; resolves with the final record. Throws ArchiveError when the job does not pick the
 * request up in time (the request is then withdrawn).
 */
export async function requestArchiveFromJob(
  db: Kysely<Database>,
  values: { target: string; timeZone: string; requestedBy: string },
  onUpdate: (run: ArchiveRunRecord) => void,
  options: FollowOptions = {},
): Promise<ArchiveRunRecord> {
  const id = await insertRequestedRun(db, values);
  await sql`SELECT pg_notify(${ARCHIVE_CHANNEL}, ${String(id)})`.execute(db);
  const pickupTimeout = options.pickupTimeoutMs ?? 30_000;
  const pollMs = options.pollMs ?? 500;
  const asked = Date.now();
  let last = '';
  for (;;) {
    const run = await loadArchiveRun(db, id);
    if (!run) throw new ArchiveError('failed', `archive request #${id} disappeared`);
    const seen = JSON.stringify(run);
    if (seen !== last) {
      last = seen;
      onUpdate(run);
    }
    if (run.status === 'succeeded' || run.status === 'failed') return run;
    if (run.status === 'requested' && Date.now() - asked > pickupTimeout) {
      const message = `the running main job did not start the requested run within ${Math.round(pickupTimeout / 1000)} s`;
      if (await failRequest(db, id, message)) throw new ArchiveError('failed', message);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/**
 * Job side: LISTENs on callcenter_archive with its own connection and calls `onRequest` on every
 * notification, plus every `pollMs` as the backstop for a missed one. Returns stop().
 */
export async function listenForArchiveRequests(
  databaseUrl: string,
  onRequest: () => void,
  log: (line: string) => void,
  pollMs = 5000,
): Promise<{ stop(): Promise<void> }> {
  const client = new pg.Client({
    connectionString: databaseUrl,
    application_name: 'callcenter-archive-agent',
  });
  let broken = false;
  client.on('error', (error) => {
    broken = true;
    log(`archive requests: listener error (${error.message}); polling only`);
  });
  client.on('notification', () => onRequest());
  let listening = false;
  try {
    await client.connect();
    await client.query(`LISTEN ${ARCHIVE_CHANNEL}`);
    listening = true;
  } catch (error) {
    log(
      `archive requests: cannot LISTEN (${error instanceof Error ? error.message : String(error)}); polling only`,
    );
  }
  const timer = setInterval(onRequest, pollMs);
  timer.unref();
  onRequest();
  return {
    async stop() {
      clearInterval(timer);
      // end() on a connection that already broke never settles (pg): skip it then.
      if (listening && !broken) await client.end().catch(() => {});
    },
  };
}
