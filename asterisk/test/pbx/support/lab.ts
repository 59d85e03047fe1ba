import { type ChildProcess, execFile, spawn } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { freeLabPort } from './ports.ts';
import { expectSippSuccess, type SippProcess, startSipp } from './sipp.ts';

/**
 * The real-PBX lab of `npm run test:pbx`: Debian's Asterisk 22 (asterisk/pbx/install.sh) running
 * the product's own configuration, rendered by `callcenter asterisk render --env-file` for
 * loopback addresses, free ports and test secrets, writing CEL and CDR through cel_pgsql/cdr_pgsql
 * into the embedded PostgreSQL of a main job started exactly as `npm start` starts it
 * (`callcenter start`: collector, live ARI source, AMI presence, API on one port).
 *
 * Several servers can run at once (own work folder, own `systemname`, same extension numbers);
 * the main job is told of all of them (ASTERISK_SERVERS) and follows the first over ARI/AMI.
 */

const execFileAsync = promisify(execFile);
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const PBX_DIR = join(REPO_ROOT, 'asterisk', 'pbx');
const CLI = join(REPO_ROOT, 'bin', 'callcenter.mjs');

/** The DID the provider delivers calls to (asterisk/etc/extensions.conf, from-trunk). */
export const LAB_DID = '74951234567';
export const ARI_USERNAME = 'callcenter';
export const ARI_PASSWORD = 'lab-ari-password-0001';
export const AMI_USERNAME = 'callcenter';
export const AMI_SECRET = 'lab-ami-secret-0001';
const ASTERISK_DB_PASSWORD = 'lab-asterisk-db-0001';
const EMBEDDED_USER = 'postgres';
const EMBEDDED_PASSWORD = 'postgres';

export type PhoneKind = 'webrtc' | 'sip';

export interface LabServerSpec {
  id: string;
  /** Operators' endpoints and the kind of phone behind each. */
  operators: Record<string, PhoneKind>;
}

/** One running Asterisk of the lab. */
export interface LabServer {
  readonly id: string;
  readonly schema: string;
  readonly work: string;
  readonly etc: string;
  readonly sipPort: number;
  readonly httpPort: number;
  readonly amiPort: number;
  /** Where the trunk (the provider) is: a SIPp answering outbound calls listens here. */
  readonly trunkPort: number;
  /** SIP secrets of the operators' endpoints, as render provisioned them in app.operators. */
  readonly secrets: Record<string, string>;
  readonly remote: string;
  /** Runs an Asterisk CLI command (`asterisk -rx`) and returns its output. */
  cli(command: string): Promise<string>;
}

export interface Lab {
  readonly dir: string;
  readonly apiUrl: string;
  readonly databaseUrl: string;
  readonly servers: LabServer[];
  /** Everything the main job printed so far. */
  mainJobLog(): string;
  /** Free loopback port for a SIPp or another peer. */
  port(): Promise<number>;
  /** A desk phone: registers `endpoint` from a free port and returns that port. */
  registerPhone(server: LabServer, endpoint: string): Promise<number>;
  /** Creates (or updates) a user through `callcenter user add` and returns its password. */
  addUser(login: string, role: 'operator' | 'supervisor' | 'admin', extra?: string[]): Promise<string>;
  /** An access token for a user (POST /auth/login). */
  login(login: string, password: string): Promise<string>;
  /** Runs one SQL query on the lab's PostgreSQL. */
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  /** Runs a `callcenter` command with the lab's environment. */
  callcenter(args: string[]): Promise<{ stdout: string; stderr: string }>;
  /** The main job's environment (for commands run beside it). */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

const waitFor = async <T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

/** dotenv text of the settings `asterisk render` reads, for one lab server. */
function renderEnv(
  server: {
    id: string;
    sipPort: number;
    httpPort: number;
    amiPort: number;
    trunkPort: number;
    monitorDir: string;
  },
  pgPort: number,
): string {
  const values: Record<string, string> = {
    ARI_USERNAME,
    ARI_PASSWORD,
    ARI_APP: 'callcenter',
    AMI_USERNAME,
    AMI_SECRET,
    AMI_PERMIT: '127.0.0.1/32',
    ASTERISK_DATABASE_URL: `postgres://asterisk:${ASTERISK_DB_PASSWORD}@127.0.0.1:${pgPort}/callcenter`,
    SIP_DOMAIN: 'callcenter',
    TRUNK_HOST: '127.0.0.1',
    TRUNK_PORT: String(server.trunkPort),
    TRUNK_USERNAME: '',
    TRUNK_PASSWORD: '',
    TRUNK_REGISTER: 'no',
    TRUNK_CODECS: 'alaw,ulaw',
    TRUNK_MATCH: `127.0.0.1:${server.trunkPort}`,
    TRUNK_CALLERID: LAB_DID,
    EXTERNAL_ADDRESS: '',
    LOCAL_NETS: '127.0.0.0/8',
    ASTERISK_IP: '127.0.0.1',
    STUN_URLS: '',
    ASTERISK_SYSTEM_NAME: server.id,
    // Always open: the scenarios must not depend on the time of day they run at.
    BUSINESS_HOURS_WEEKDAYS: '*,*,*,*',
    BUSINESS_HOURS_SATURDAY: '*,*,*,*',
    ASTERISK_MONITOR_DIR: server.monitorDir,
    ASTERISK_BIND_ADDRESS: '127.0.0.1',
    ASTERISK_SIP_PORT: String(server.sipPort),
    ASTERISK_HTTP_PORT: String(server.httpPort),
    ASTERISK_HTTPS_PORT: String(server.httpPort + 1),
    AMI_PORT: String(server.amiPort),
  };
  return `${Object.entries(values)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n`;
}

/**
 * Starts the lab: the main job on the embedded defaults, then each server's Asterisk with its
 * rendered configuration, then waits until the main job's ARI source is connected to the first.
 * Throws with the logs' tails when something does not come up. Always `stop()` it.
 */
export async function startLab(specs: LabServerSpec[]): Promise<Lab> {
  const dir = mkdtempSync('/tmp/pbx-lab-');
  const pgPort = await freeLabPort();
  const apiPort = await freeLabPort();
  const planned = [];
  for (const [index, spec] of specs.entries()) {
    planned.push({
      ...spec,
      schema: index === 0 ? 'asterisk' : `asterisk_${spec.id.replace(/[^a-z0-9_]/g, '_')}`,
      work: join(dir, spec.id),
      sipPort: await freeLabPort(),
      httpPort: await freeLabPort(),
      amiPort: await freeLabPort(),
      trunkPort: await freeLabPort(),
    });
  }
  const first = planned[0]!;
  const recordings = join(first.work, 'spool', 'monitor');
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    DATA_DIR: join(dir, 'data'),
    EMBEDDED_PG_PORT: String(pgPort),
    PORT: String(apiPort),
    ASTERISK_SERVERS: planned.map((s) => `${s.id}:${s.schema}:UTC`).join(','),
    OPERATOR_ENDPOINTS: Object.keys(first.operators).join(','),
    ARI_URL: `http://127.0.0.1:${first.httpPort}`,
    ARI_USERNAME,
    ARI_PASSWORD,
    ARI_APP: 'callcenter',
    AMI_HOST: '127.0.0.1',
    AMI_PORT: String(first.amiPort),
    AMI_USERNAME,
    AMI_SECRET,
    RECORDINGS_DIR: recordings,
    // The first server's MixMonitor writes there (its render's ASTERISK_MONITOR_DIR): the API
    // strips this directory from the stored paths and reads the rest under RECORDINGS_DIR.
    ASTERISK_MONITOR_DIR: recordings,
    JWT_SECRET: 'lab-jwt-secret-0123456789abcdefghijklmnopqrstuvwxyz',
    POLL_INTERVAL_MS: '250',
  };
  delete env.DATABASE_URL;
  delete env.CLICKHOUSE_URL;
  mkdirSync(recordings, { recursive: true });

  const logPath = join(dir, 'main-job.log');
  const logStream = createWriteStream(logPath);
  const mainJob: ChildProcess = spawn(process.execPath, [CLI, 'start', '--no-replay'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  mainJob.stdout!.pipe(logStream);
  mainJob.stderr!.pipe(logStream);
  const mainJobLog = () => (existsSync(logPath) ? readFileSync(logPath, 'utf8') : '');
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const databaseUrl = `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${pgPort}/callcenter`;
  const started: LabServer[] = [];
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const query = async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) =>
    (await pool.query<R>(text, values)).rows;

  const callcenter = async (args: string[], commandEnv: Record<string, string> = env) => {
    try {
      return await execFileAsync(process.execPath, [CLI, ...args], {
        cwd: REPO_ROOT,
        env: commandEnv,
        timeout: 60_000,
      });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; message: string };
      throw new Error(
        `callcenter ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`,
      );
    }
  };

  const stop = async () => {
    for (const server of started.reverse())
      await execFileAsync('bash', [join(PBX_DIR, 'stop.sh'), server.work]).catch(() => {});
    await pool.end().catch(() => {});
    if (mainJob.exitCode === null && mainJob.signalCode === null) {
      const exited = new Promise((r) => mainJob.once('exit', r));
      mainJob.kill('SIGINT');
      const timer = setTimeout(() => mainJob.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    logStream.end();
    if (!process.env.PBX_KEEP) rmSync(dir, { recursive: true, force: true });
  };

  try {
    await waitFor("the main job's API", 120_000, async () => {
      if (mainJob.exitCode !== null)
        throw new Error(`main job exited ${mainJob.exitCode}:\n${mainJobLog().slice(-3000)}`);
      const res = await fetch(`${apiUrl}/health`).catch(() => null);
      return res?.ok ? true : undefined;
    });

    // Servers after the first have their operators too (same numbers: numbers repeat across servers).
    for (const spec of planned) {
      for (const [endpoint, phone] of Object.entries(spec.operators)) {
        await query(
          `INSERT INTO app.operators (server_id, endpoint, name, phone)
             VALUES ($1, $2, $3, $4)
           ON CONFLICT (server_id, endpoint) DO UPDATE SET phone = EXCLUDED.phone`,
          [spec.id, endpoint, `Оператор ${endpoint}`, phone],
        );
      }
      // Asterisk's own login may only insert CEL and CDR rows (docker/postgres/init-asterisk-role.sh).
      await query(`DO $$ BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'asterisk') THEN
            CREATE ROLE asterisk LOGIN PASSWORD '${ASTERISK_DB_PASSWORD}';
          END IF;
        END $$`);
      await query(`GRANT USAGE ON SCHEMA "${spec.schema}" TO asterisk`);
      await query(`GRANT INSERT ON ALL TABLES IN SCHEMA "${spec.schema}" TO asterisk`);
      await query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA "${spec.schema}" TO asterisk`);
    }

    for (const spec of planned) {
      const etc = join(spec.work, 'conf');
      const envFile = join(dir, `${spec.id}.env`);
      const siteEnv = renderEnv({ ...spec, monitorDir: join(spec.work, 'spool', 'monitor') }, pgPort);
      writeFileSync(envFile, siteEnv);
      // render lets the process environment win over --env-file: the main job's AMI_PORT and
      // ASTERISK_MONITOR_DIR are the first server's, so they must not reach another server's render.
      const renderProcessEnv = { ...env };
      for (const line of siteEnv.split('\n')) delete renderProcessEnv[line.split('=')[0]!];
      await callcenter(
        ['asterisk', 'render', '--out', etc, '--env-file', envFile, '--server-id', spec.id],
        renderProcessEnv,
      );
      const { stdout } = await execFileAsync('bash', [join(PBX_DIR, 'start.sh'), etc, spec.work], {
        // cel_pgsql/cdr_pgsql write local times without a zone: ASTERISK_SERVERS says UTC for
        // every server, so each Asterisk runs in UTC whatever the machine's zone.
        env: { ...env, TZ: 'UTC', ASTERISK_BOOT_TIMEOUT: '60' },
        timeout: 90_000,
      }).catch((error: { stderr?: string; message: string }) => {
        throw new Error(`Asterisk ${spec.id} did not start: ${error.message}\n${error.stderr ?? ''}`);
      });
      const secrets = Object.fromEntries(
        (
          await query<{ endpoint: string; sip_secret: string }>(
            'SELECT endpoint, sip_secret FROM app.operators WHERE server_id = $1',
            [spec.id],
          )
        ).map((r) => [r.endpoint, r.sip_secret]),
      );
      const work = spec.work;
      started.push({
        id: spec.id,
        schema: spec.schema,
        work,
        etc,
        sipPort: spec.sipPort,
        httpPort: spec.httpPort,
        amiPort: spec.amiPort,
        trunkPort: spec.trunkPort,
        secrets,
        remote: `127.0.0.1:${spec.sipPort}`,
        async cli(command: string) {
          const { stdout: out } = await execFileAsync(join(work, 'bin', 'asterisk'), ['-rx', command], {
            timeout: 20_000,
          });
          return out;
        },
      });
      void stdout;
    }

    await waitFor("the main job's ARI connection", 60_000, async () =>
      /ARI: connected/.test(mainJobLog()) ? true : undefined,
    );
  } catch (error) {
    const tail = mainJobLog().slice(-3000);
    await stop();
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\n--- main job log (tail)\n${tail}`,
    );
  }

  const lab: Lab = {
    dir,
    apiUrl,
    databaseUrl,
    servers: started,
    env,
    mainJobLog,
    port: freeLabPort,
    query,
    callcenter,
    async registerPhone(server, endpoint) {
      const localPort = await freeLabPort();
      const sipp = startSipp({
        scenario: 'phone-register.xml',
        values: { USER: endpoint, EXPIRES: 3600 },
        workDir: join(dir, 'sipp'),
        localPort,
        mediaPort: await freeLabPort(),
        remote: server.remote,
        calls: 1,
        auth: { username: endpoint, password: server.secrets[endpoint]! },
        timeoutSec: 20,
      });
      await expectSippSuccess(sipp, `REGISTER ${endpoint}`);
      return localPort;
    },
    async addUser(login, role, extra = []) {
      const password = `pbx-${login}-password-1`;
      await callcenter(['user', 'add', '--login', login, '--password', password, '--role', role, ...extra]);
      return password;
    },
    async login(login, password) {
      const res = await fetch(`${apiUrl}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login, password }),
      });
      if (!res.ok) throw new Error(`login ${login}: ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { accessToken?: string; access_token?: string };
      return (body.accessToken ?? body.access_token)!;
    },
    stop,
  };
  return lab;
}

export type { SippProcess };
