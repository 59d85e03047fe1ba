import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerOperators } from '@callcenter/ingest/operators';
import { loadConfig } from '@callcenter/platform/config';
import { freePort, startEmbeddedPostgres } from '@callcenter/platform/embedded-postgres';
import { openPostgresStore } from '@callcenter/platform/stores';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestHa1 } from '../src/operators/sip-secret.ts';
import { REPO_ROOT, SITE_ENV } from './support/asterisk-test-kit.ts';

/**
 * `callcenter asterisk render` against a real PostgreSQL (embedded): operators from
 * app.operators, secrets generated once and stored; and the Asterisk role the compose stack
 * creates (docker/postgres/init-asterisk-role.sh) may insert CEL/CDR rows and nothing else.
 */

let dir: string;
let url: string;
let stop: () => Promise<void>;
let close: () => Promise<void>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'asterisk-render-'));
  chmodSync(dir, 0o755);
  const embedded = await startEmbeddedPostgres(join(dir, 'postgres'), await freePort());
  url = embedded.url;
  stop = embedded.stop;
  const store = await openPostgresStore(loadConfig({ DATA_DIR: dir, DATABASE_URL: url }));
  close = store.close;
  await registerOperators(store.postgres.db, 'pbx1', ['101', '102', '103']);
  await store.postgres.db
    .updateTable('app.operators')
    .set({ sip_secret: 'kept-secret-103-xxxxxx', name: 'Сидорова Мария' })
    .where('endpoint', '=', '103')
    .execute();
  await store.postgres.db
    .insertInto('app.operators')
    .values({ server_id: 'pbx1', endpoint: '104', name: 'Gone', active: false })
    .execute();
});

afterAll(async () => {
  await close?.();
  await stop?.();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[], env: Record<string, string | undefined> = {}) =>
  spawnSync(process.execPath, [join(REPO_ROOT, 'bin/callcenter.mjs'), 'asterisk', 'render', ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, DATA_DIR: dir, DATABASE_URL: url, ...SITE_ENV, ...env },
  });

const secrets = async () => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const rows = await client.query<{ endpoint: string; sip_secret: string | null }>(
      'SELECT endpoint, sip_secret FROM app.operators ORDER BY endpoint',
    );
    return Object.fromEntries(rows.rows.map((r) => [r.endpoint, r.sip_secret]));
  } finally {
    await client.end();
  }
};

describe('asterisk render from app.operators', () => {
  it('provisions missing SIP secrets once and renders every active operator', async () => {
    const out = join(dir, 'generated');
    const first = cli(['--out', out, '--server-id', 'pbx1']);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(
      'rendered 12 files for server pbx1 (tables asterisk.cel/cdr): 3 operators from app.operators (2 new SIP secrets), 3 queues (registry: 3, support: 3, sales: 3)',
    );
    const stored = await secrets();
    expect(stored['103']).toBe('kept-secret-103-xxxxxx');
    expect(stored['104']).toBeNull();
    for (const e of ['101', '102']) expect(stored[e]).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(stored['101']).not.toBe(stored['102']);
    const operators = readFileSync(join(out, 'pjsip_operators.conf'), 'utf8');
    for (const e of ['101', '102', '103'])
      expect(operators).toContain(`md5_cred = ${digestHa1(e, 'callcenter', stored[e]!)}`);
    expect(operators).toContain('callerid = "Сидорова Мария" <103>');
    expect(operators).not.toContain('[104]');

    const again = cli(['--out', out]);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('3 operators from app.operators (0 new SIP secrets)');
    expect(await secrets()).toEqual(stored);
    expect(readFileSync(join(out, 'pjsip_operators.conf'), 'utf8')).toBe(operators);
  });

  it('keeps secrets of --operators beside the files, and stops with exit 2 on bad input', () => {
    const out = join(dir, 'listed');
    const listed = cli(['--out', out, '--operators', '201,202', '--queue-members', 'sales=202'], {
      DATABASE_URL: undefined,
    });
    expect(listed.status).toBe(0);
    const kept = JSON.parse(readFileSync(join(out, 'operator-secrets.json'), 'utf8'));
    expect(Object.keys(kept)).toEqual(['201', '202']);
    cli(['--out', out, '--operators', '201,202,203:sip'], { DATABASE_URL: undefined });
    const extended = JSON.parse(readFileSync(join(out, 'operator-secrets.json'), 'utf8'));
    expect(extended['201']).toBe(kept['201']);
    expect(Object.keys(extended)).toEqual(['201', '202', '203']);
    // 203 is a desk phone: plain SIP over UDP, not the browser's WebRTC template.
    expect(readFileSync(join(out, 'pjsip_operators.conf'), 'utf8')).toMatch(/^\[203\]\(operator-desk\)$/m);
    const badPhone = cli(['--out', out, '--operators', '201:fax'], { DATABASE_URL: undefined });
    expect(badPhone.status).not.toBe(0);
    expect(badPhone.stderr).toContain('ENDPOINT:PHONE');

    const noDatabase = cli(['--out', out], { DATABASE_URL: undefined, DATA_DIR: join(dir, 'no-database') });
    expect(noDatabase.status).toBe(2);
    expect(noDatabase.stderr).toContain('no database to read operators from');
    const noSecrets = cli(['--out', out], { ARI_PASSWORD: undefined, AMI_SECRET: 'short' });
    expect(noSecrets.status).toBe(2);
    expect(noSecrets.stderr).toMatch(/ARI_PASSWORD: .*\n {2}AMI_SECRET: must be at least 12 characters/);
    const badQueue = cli(['--out', out, '--queue-members', 'vip=101']);
    expect(badQueue.status).toBe(2);
    expect(badQueue.stderr).toContain('queue "vip" is not in queues.conf');
  });

  it('gives Asterisk a role that may only insert CEL and CDR rows (init-asterisk-role.sh)', async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query('CREATE DATABASE fresh');
    await admin.end();
    const owner = new URL(url);
    execFileSync('bash', [join(REPO_ROOT, 'docker/postgres/init-asterisk-role.sh')], {
      env: {
        PATH: process.env.PATH,
        PGHOST: owner.hostname,
        PGPORT: owner.port,
        PGPASSWORD: decodeURIComponent(owner.password),
        POSTGRES_USER: decodeURIComponent(owner.username),
        POSTGRES_DB: 'fresh',
        ASTERISK_DB_PASSWORD: 'asterisk-db-pass',
      },
      stdio: 'pipe',
    });
    const freshUrl = Object.assign(new URL(url), { pathname: '/fresh' }).toString();
    const store = await openPostgresStore(loadConfig({ DATA_DIR: dir, DATABASE_URL: freshUrl }));
    await store.close();
    const asteriskUrl = Object.assign(new URL(freshUrl), {
      username: 'asterisk',
      password: 'asterisk-db-pass',
    });
    const asterisk = new pg.Client({ connectionString: asteriskUrl.toString() });
    await asterisk.connect();
    try {
      await asterisk.query(
        "INSERT INTO asterisk.cel (eventtype, eventtime, uniqueid, linkedid) VALUES ('CHAN_START', now(), '1.1', '1.1')",
      );
      await asterisk.query("INSERT INTO asterisk.cdr (uniqueid, disposition) VALUES ('1.1', 'ANSWERED')");
      await expect(asterisk.query('SELECT count(*) FROM asterisk.cel')).rejects.toThrow(/permission denied/);
      await expect(asterisk.query('SELECT count(*) FROM app.calls')).rejects.toThrow(/permission denied/);
    } finally {
      await asterisk.end();
    }
  });
});
