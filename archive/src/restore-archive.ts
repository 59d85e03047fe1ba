import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createClickHouse } from '@callcenter/analytics/clickhouse';
import type { AsteriskServerConfig } from '@callcenter/platform/config';
import { freePort, startEmbeddedPostgres } from '@callcenter/platform/embedded-postgres';
import { migratePostgres } from '@callcenter/platform/migrate';
import { connectPostgres, type Postgres } from '@callcenter/platform/postgres';
import type { ClickHouseClient } from '@clickhouse/client';
import { sql } from 'kysely';
import { ArchiveError } from './archive-errors.ts';
import { archiveLayout, type DumpKind, dumpDate } from './archive-layout.ts';
import { openChdbForArchive } from './archive-now.ts';
import { verifyDump } from './dump-verifier.ts';
import { connectionEnv, findPgTool, newestPgTool, runPgTool, serverMajor } from './pg-client-tools.ts';
import {
  type ClickHouseTransport,
  type FactsRestoreResult,
  factRowCounts,
  restoreFacts,
} from './restore-facts.ts';
import { type RecordingsRestoreResult, restoreRecordings } from './restore-recordings.ts';

/**
 * `callcenter restore --from DIR --date YYYY-MM-DD` (README.md, "Nightly archive and restore"): rebuilds a system from one night
 * of the archive into a FRESH database and chDB path — the embedded PostgreSQL and chDB under
 * `dataDir` (a free port while restoring, so it works beside a running main job), or the
 * DATABASE_URL / CLICKHOUSE_URL given. Both targets are checked before anything is written: a
 * database holding any table, or facts tables holding rows, is refused unless `replace` (--force).
 * Then: the night's dump (daily, else monthly) is verified (SHA-256, pg_restore --list, every
 * block) and restored in one transaction with pg_restore of the target's major; migrations bring
 * the schema up to this version; the facts are restored (restore-facts.ts); the recordings are
 * copied back (restore-recordings.ts) unless `recordingsDir` is null.
 */

export interface RestoreInput {
  /** Archive root. */
  from: string;
  /** The night, `YYYY-MM-DD`. */
  date: string;
  /** Where the embedded PostgreSQL and chDB of the restored system live. */
  dataDir: string;
  databaseUrl?: string;
  clickhouseUrl?: string;
  /** null: do not restore the recordings. */
  recordingsDir: string | null;
  servers: readonly AsteriskServerConfig[];
  replace: boolean;
  print?: (line: string) => void;
}

/**
 * What a restore did: the dump restored, the calls it holds (with attempts and talk seconds), the
 * facts loaded and shipped, and the recordings copied (null when not restored).
 */
export interface RestoreResult {
  dump: string;
  postgres: { calls: number; attempts: number; talkSec: number };
  facts: FactsRestoreResult;
  recordings: RecordingsRestoreResult | null;
}

/** The dump of `date`: daily first, then monthly. Throws listing the nights the archive holds. */
export async function findDump(root: string, date: string): Promise<string> {
  const layout = archiveLayout(root);
  const available: string[] = [];
  for (const kind of ['daily', 'monthly'] as DumpKind[]) {
    const file = layout.dump(kind, date);
    if (
      await stat(file).then(
        () => true,
        () => false,
      )
    )
      return file;
    for (const name of await readdir(layout.dumpDir(kind)).catch(() => [] as string[])) {
      const d = dumpDate(name);
      if (d) available.push(d);
    }
  }
  if (
    !(await stat(root).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  ) {
    throw new ArchiveError('target_missing', `the archive ${root} does not exist — is the NAS mounted?`);
  }
  throw new ArchiveError(
    'failed',
    `no dump of ${date} in ${root}; nights available: ${[...new Set(available)].sort().join(', ') || 'none'}`,
  );
}

async function userTables(postgres: Postgres): Promise<string[]> {
  const result = await sql<{ name: string }>`
    SELECT schemaname || '.' || tablename AS name FROM pg_tables
    WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1 LIMIT 6`.execute(postgres.db);
  return result.rows.map((r) => r.name);
}

/** Restores one night as described above; throws an ArchiveError naming the step that failed. */
export async function restoreArchive(input: RestoreInput): Promise<RestoreResult> {
  const print = input.print ?? console.log;
  const layout = archiveLayout(input.from);
  const dump = await findDump(input.from, input.date);
  print(`restoring the night of ${input.date} from ${input.from}`);
  // The dump first: a damaged archive is refused before any target is created or touched.
  print(`[1/4] verifying ${dump}`);
  const check = await verifyDump(await newestPgTool('pg_restore'), dump);

  let stopEmbedded: (() => Promise<void>) | null = null;
  let url = input.databaseUrl;
  if (!url) {
    const embedded = await startEmbeddedPostgres(join(input.dataDir, 'postgres'), await freePort());
    url = embedded.url;
    stopEmbedded = embedded.stop;
  }
  const postgres = connectPostgres(url);
  let clickhouse: ClickHouseClient | null = null;
  try {
    // Both targets must be fresh (or --force) before anything is written.
    const tables = await userTables(postgres);
    if (tables.length > 0 && !input.replace) {
      throw new ArchiveError(
        'failed',
        `the target database is not empty (${tables.join(', ')}${tables.length > 5 ? ', …' : ''}): restore into a fresh DATA_DIR or database, or pass --force to replace its contents`,
      );
    }
    const transport: ClickHouseTransport = input.clickhouseUrl ? 'server' : 'chdb';
    clickhouse = input.clickhouseUrl
      ? createClickHouse({ url: input.clickhouseUrl })
      : openChdbForArchive(join(input.dataDir, 'clickhouse'));
    const facts = await factRowCounts(clickhouse);
    const factRows = Object.values(facts).reduce((a, b) => a + b, 0);
    if (factRows > 0 && !input.replace) {
      throw new ArchiveError(
        'failed',
        `the target ClickHouse already holds ${factRows} fact rows: restore into a fresh chDB path, or pass --force to replace them`,
      );
    }

    const major = await serverMajor(postgres.pool);
    const pgRestore = await findPgTool('pg_restore', major);
    print(`[2/4] pg_restore ${major}: ${check.entries} entries into ${url.replace(/:[^:@/]*@/, ':***@')}`);
    const { dbname, env } = connectionEnv(url);
    await runPgTool(
      pgRestore,
      [
        '--no-owner',
        '--no-privileges',
        '--exit-on-error',
        '--single-transaction',
        ...(input.replace ? ['--clean', '--if-exists'] : []),
        `--dbname=${dbname}`,
        dump,
      ],
      { env },
    ).catch((error) => {
      throw new ArchiveError(
        'failed',
        `pg_restore failed, nothing was restored: ${(error as Error).message}`,
      );
    });
    await migratePostgres(postgres.db, input.servers);

    print('[3/4] ClickHouse facts');
    const restoredFacts = await restoreFacts({
      layout,
      date: input.date,
      clickhouse,
      transport,
      db: postgres.db,
      replace: input.replace,
      progress: (line) => print(`      ${line}`),
    });

    let recordings: RecordingsRestoreResult | null = null;
    if (input.recordingsDir) {
      print(`[4/4] recordings → ${input.recordingsDir}`);
      recordings = await restoreRecordings({
        layout,
        recordingsDir: input.recordingsDir,
        replace: input.replace,
        progress: (line) => print(`      ${line}`),
      });
    } else print('[4/4] recordings: not restored (--no-recordings)');

    const totals = await sql<{ calls: number; attempts: number; talk: number }>`
      SELECT (SELECT count(*)::int FROM app.calls) AS calls,
             (SELECT count(*)::int FROM app.call_attempts) AS attempts,
             (SELECT coalesce(sum(talk_sec), 0)::float8 FROM app.calls) AS talk`.execute(postgres.db);
    const t = totals.rows[0]!;
    const result: RestoreResult = {
      dump,
      postgres: { calls: t.calls, attempts: t.attempts, talkSec: t.talk },
      facts: restoredFacts,
      recordings,
    };
    print(
      `restored: ${t.calls} calls, ${t.attempts} attempts; facts ${Object.entries(restoredFacts.rows)
        .map(([k, v]) => `${k} ${v}`)
        .join(
          ', ',
        )} (${restoredFacts.days} day files, ${restoredFacts.shippedCalls} calls shipped from Postgres)${recordings ? `; recordings ${recordings.restored} restored, ${recordings.present} already present` : ''}`,
    );
    if (recordings && recordings.errors.length > 0) {
      throw new ArchiveError(
        'failed',
        `recordings not restored: ${recordings.errors.slice(0, 10).join('; ')}`,
      );
    }
    return result;
  } finally {
    await clickhouse?.close().catch(() => {});
    await postgres.close().catch(() => {});
    await stopEmbedded?.();
  }
}
