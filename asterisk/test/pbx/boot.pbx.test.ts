import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { join } from 'node:path';
import { parseEnv, promisify } from 'node:util';
import { freePort, startEmbeddedPostgres } from '@callcenter/platform/embedded-postgres';
import { asteriskTablesDdl } from '@callcenter/sql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConf } from '../../src/conf/asterisk-conf.ts';
import { REPO_ROOT } from '../support/asterisk-test-kit.ts';
import { freeLabPort } from './support/ports.ts';
import { startSipp } from './support/sipp.ts';

/**
 * The configuration `callcenter asterisk render --out DIR --env-file .env.example` writes, booted
 * on Debian's Asterisk 22 (asterisk/pbx/start.sh): every module modules.conf lists loaded, ARI
 * answering, no ERROR logged during start-up. What cannot be .env.example's own on a shared test
 * machine comes from the environment, which wins over the file as with docker-compose: the
 * database's address (an embedded PostgreSQL holding sql/asterisk's tables and the role
 * docker/postgres/init-asterisk-role.sh makes with .env.example's ASTERISK_DB_PASSWORD), free
 * ports, and a provider at 127.0.0.1 so that the trunk's sections load too.
 */

const execFileAsync = promisify(execFile);
const PBX_DIR = join(REPO_ROOT, 'asterisk', 'pbx');
const ENV_EXAMPLE = parseEnv(readFileSync(join(REPO_ROOT, '.env.example'), 'utf8')) as Record<string, string>;

let dir: string;
let databaseUrl: string;
let stopPostgres: (() => Promise<void>) | undefined;
const booted: string[] = [];

/** One Asterisk on a rendered configuration: its folders, ports and CLI. */
interface Booted {
  etc: string;
  work: string;
  ports: { http: number; https: number; sip: number; ami: number; trunk: number };
  cli(command: string): Promise<string>;
  /** The messages log of the start-up. */
  log(): string;
}

/**
 * Renders `--env-file .env.example` (plus the test's environment: database, free ports, `env`)
 * into DIR/NAME/etc and starts Asterisk on it with asterisk/pbx/start.sh in DIR/NAME/work.
 * `prepare` runs first with the work folder (visible inside Asterisk's root at the same path).
 */
async function boot(
  name: string,
  env: (work: string) => Record<string, string> = () => ({}),
  prepare: (work: string) => void = () => {},
): Promise<Booted> {
  const etc = join(dir, name, 'etc');
  const work = join(dir, name, 'work');
  mkdirSync(work, { recursive: true });
  prepare(work);
  const ports = {
    http: await freeLabPort(),
    https: await freeLabPort(),
    sip: await freeLabPort(),
    ami: await freeLabPort(),
    trunk: await freeLabPort(),
  };
  execFileSync(
    process.execPath,
    [join(REPO_ROOT, 'bin/callcenter.mjs'), 'asterisk', 'render', '--out', etc, '--env-file', '.env.example'],
    {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH,
        DATA_DIR: join(dir, name, 'data'),
        ASTERISK_DATABASE_URL: databaseUrl,
        ASTERISK_HTTP_PORT: String(ports.http),
        ASTERISK_HTTPS_PORT: String(ports.https),
        ASTERISK_SIP_PORT: String(ports.sip),
        AMI_PORT: String(ports.ami),
        // A provider on this machine, matched on its address alone (no port): it must not
        // capture the operators' phones, which also send from 127.0.0.1.
        TRUNK_HOST: '127.0.0.1',
        TRUNK_PORT: String(ports.trunk),
        ...env(work),
      },
      stdio: 'pipe',
    },
  );
  await execFileAsync('bash', [join(PBX_DIR, 'start.sh'), etc, work], {
    env: { ...process.env, ASTERISK_BOOT_TIMEOUT: '60' },
    timeout: 90_000,
  });
  booted.push(work);
  return {
    etc,
    work,
    ports,
    cli: async (command) =>
      (await execFileAsync(join(work, 'bin', 'asterisk'), ['-rx', command], { timeout: 20_000 })).stdout,
    log: () =>
      readdirSync(join(work, 'log'))
        .filter((f) => f.startsWith('messages'))
        .map((f) => readFileSync(join(work, 'log', f), 'utf8'))
        .join(''),
  };
}

/** The lines Asterisk logged at level ERROR. */
const errorLines = (log: string) => log.split('\n').filter((line) => line.includes(' ERROR['));

let pbx: Booted;

beforeAll(async () => {
  dir = mkdtempSync('/tmp/pbx-boot-');
  chmodSync(dir, 0o755);

  // The database cel_pgsql/cdr_pgsql connect to at load, set up as the compose stack does.
  const embedded = await startEmbeddedPostgres(join(dir, 'postgres'), await freePort());
  stopPostgres = embedded.stop;
  const owner = new URL(embedded.url);
  const database = decodeURIComponent(owner.pathname.slice(1));
  execFileSync('bash', [join(REPO_ROOT, 'docker/postgres/init-asterisk-role.sh')], {
    env: {
      PATH: process.env.PATH,
      PGHOST: owner.hostname,
      PGPORT: owner.port,
      PGPASSWORD: decodeURIComponent(owner.password),
      POSTGRES_USER: decodeURIComponent(owner.username),
      POSTGRES_DB: database,
      ASTERISK_DB_PASSWORD: ENV_EXAMPLE.ASTERISK_DB_PASSWORD,
    },
    stdio: 'pipe',
  });
  const client = new pg.Client({ connectionString: embedded.url });
  await client.connect();
  await client.query(asteriskTablesDdl('asterisk'));
  await client.end();
  databaseUrl = `postgres://asterisk:${encodeURIComponent(ENV_EXAMPLE.ASTERISK_DB_PASSWORD!)}@127.0.0.1:${owner.port}/${database}`;

  pbx = await boot('example');
}, 240_000);

afterAll(async () => {
  for (const work of booted) await execFileAsync('bash', [join(PBX_DIR, 'stop.sh'), work]).catch(() => {});
  await stopPostgres?.();
  if (dir && !process.env.PBX_KEEP) rmSync(dir, { recursive: true, force: true });
});

describe("render --env-file .env.example on Debian's Asterisk 22", () => {
  it('loads every module modules.conf lists', async () => {
    const listed = loadConf(pbx.etc, 'modules.conf')
      .flatMap((s) => s.entries)
      .filter((e) => e.key === 'load')
      .map((e) => e.value);
    const shown = await pbx.cli('module show');
    const running = new Set(
      shown
        .split('\n')
        .map((line) => /^(\S+\.so)\s.*\sRunning\s/.exec(line)?.[1])
        .filter((m): m is string => m !== undefined),
    );
    expect(listed.length).toBeGreaterThan(50);
    expect(listed.filter((m) => !running.has(m))).toEqual([]);
    expect(await pbx.cli('module show like res_ari.so')).toMatch(/res_ari\.so\s.*Running/);
  });

  it("answers ARI with .env.example's user on the rendered address and port", async () => {
    const auth = Buffer.from(`${ENV_EXAMPLE.ARI_USERNAME}:${ENV_EXAMPLE.ARI_PASSWORD}`).toString('base64');
    const res = await fetch(`http://127.0.0.1:${pbx.ports.http}/ari/asterisk/info`, {
      headers: { authorization: `Basic ${auth}` },
    });
    expect(res.status).toBe(200);
    const info = (await res.json()) as { system: { version: string } };
    expect(info.system.version).toMatch(/^22\./);
    // Loopback only, and no TLS listener: .env.example names no certificate.
    expect(await pbx.cli('http show status')).toContain(
      `Server Enabled and Bound to 127.0.0.1:${pbx.ports.http}`,
    );
    expect(await pbx.cli('http show status')).not.toContain('HTTPS Server Enabled');
  });

  it('logs no ERROR while starting', () => {
    const log = pbx.log();
    expect(log).toContain('Asterisk Ready');
    expect(errorLines(log)).toEqual([]);
  });

  it("registers an operator's phone from the provider's address as the operator, not as the trunk", async () => {
    // The trunk's identify matches 127.0.0.1 (every port); the phone registers from there too.
    expect(await pbx.cli('pjsip show identify trunk')).toMatch(/Match:\s+127\.0\.0\.1\/32/);
    const secrets = JSON.parse(readFileSync(join(pbx.etc, 'generated', 'operator-secrets.json'), 'utf8'));
    const phone = startSipp({
      scenario: 'phone-register.xml',
      values: { USER: '101', EXPIRES: 120 },
      workDir: join(dir, 'sipp'),
      localPort: await freeLabPort(),
      mediaPort: await freeLabPort(),
      remote: `127.0.0.1:${pbx.ports.sip}`,
      calls: 1,
      auth: { username: '101', password: secrets['101'] },
      timeoutSec: 20,
    });
    const result = await phone.done;
    expect(result.code, result.errors).toBe(0);
    expect(await pbx.cli('pjsip show contacts')).toMatch(/Contact:\s+101\/sip:101@127\.0\.0\.1/);
  });
});

describe('TLS with the certificate docker/certs/generate-certs.sh makes, a trunk matched on host:port', () => {
  it('serves ARI over HTTPS on ASTERISK_HTTPS_PORT when the files exist, with no ERROR', async () => {
    const tls = await boot(
      'tls',
      (work) => ({
        ASTERISK_TLS_CERT: join(work, 'certs', 'server.crt'),
        ASTERISK_TLS_KEY: join(work, 'certs', 'server.key'),
        // res_pjsip_endpoint_identifier_ip reads address:port/mask and host:port.
        TRUNK_MATCH: '127.0.0.1:5099/32,localhost:5098',
      }),
      (work) =>
        execFileSync('bash', [join(REPO_ROOT, 'docker/certs/generate-certs.sh')], {
          env: {
            PATH: process.env.PATH,
            CERT_DIR: join(work, 'certs'),
            PUBLIC_HOST: 'localhost',
            CERT_GID: '0',
          },
          stdio: 'pipe',
        }),
    );
    expect(await tls.cli('http show status')).toContain(
      `HTTPS Server Enabled and Bound to 127.0.0.1:${tls.ports.https}`,
    );
    const auth = Buffer.from(`${ENV_EXAMPLE.ARI_USERNAME}:${ENV_EXAMPLE.ARI_PASSWORD}`).toString('base64');
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpsGet(
        {
          host: '127.0.0.1',
          port: tls.ports.https,
          path: '/ari/asterisk/info',
          headers: { authorization: `Basic ${auth}` },
          rejectUnauthorized: false,
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
    });
    expect(status).toBe(200);
    expect(await tls.cli('pjsip show identify trunk')).toMatch(/Match:\s+127\.0\.0\.1:5099\/32/);
    expect(errorLines(tls.log())).toEqual([]);
  });
});
