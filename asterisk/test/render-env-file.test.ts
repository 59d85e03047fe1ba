import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { effectiveEntries, entryValue, loadConf } from '../src/conf/asterisk-conf.ts';
import { ETC_DIR, REPO_ROOT } from './support/asterisk-test-kit.ts';

/**
 * `callcenter asterisk render --out DIR --env-file FILE`: the complete configuration from a
 * dotenv file such as .env.example (the variables docker-compose.yml reads), no database needed
 * (operators from OPERATOR_ENDPOINTS). asterisk/test/pbx/boot.pbx.test.ts boots the result on
 * Debian's Asterisk.
 */

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'asterisk-env-file-'));
  dirs.push(dir);
  return dir;
};

/** The CLI with a clean environment (nothing of the developer's shell leaks in) plus `env`. */
const render = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [join(REPO_ROOT, 'bin/callcenter.mjs'), 'asterisk', 'render', ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', DATA_DIR: join(tempDir(), 'data'), ...env },
  });

describe('asterisk render --env-file', () => {
  it('writes every static file and the rendered parts, with the values of .env.example', () => {
    const out = join(tempDir(), 'etc');
    const run = render(['--out', out, '--env-file', join(REPO_ROOT, '.env.example')]);
    expect(run.status, run.stderr).toBe(0);
    const statics = readdirSync(ETC_DIR).filter((f) => f.endsWith('.conf'));
    expect(statics).toEqual(
      expect.arrayContaining(['asterisk.conf', 'modules.conf', 'pjsip.conf', 'http.conf']),
    );
    for (const file of statics)
      expect(readFileSync(join(out, file), 'utf8'), file).toBe(readFileSync(join(ETC_DIR, file), 'utf8'));
    expect(run.stdout).toContain(
      'rendered 12 files for server pbx1 (tables asterisk.cel/cdr): 3 operators from OPERATOR_ENDPOINTS',
    );
    // Every #include resolves inside DIR: Asterisk can run on it as it is.
    for (const file of statics) expect(() => loadConf(out, file), file).not.toThrow();
    const pjsip = loadConf(out, 'pjsip.conf');
    expect(
      pjsip
        .filter((s) => entryValue(effectiveEntries(pjsip, s), 'webrtc') === 'yes' && !s.isTemplate)
        .map((s) => s.name),
    ).toEqual(['101', '102', '103']);
    // Secrets and the database login come from the file, the latter derived as compose does.
    const ari = loadConf(out, 'ari.conf').find((s) => s.name === 'callcenter')!;
    expect(entryValue(ari.entries, 'password')).toBe('change-me-ari-password');
    const cel = effectiveEntries(loadConf(out, 'cel_pgsql.conf'), loadConf(out, 'cel_pgsql.conf')[0]!);
    expect([entryValue(cel, 'hostname'), entryValue(cel, 'user'), entryValue(cel, 'password')]).toEqual([
      'postgres',
      'asterisk',
      'change-me-asterisk-db',
    ]);
    // Loopback and no TLS: .env.example names no certificate.
    const http = effectiveEntries(loadConf(out, 'http.conf'), loadConf(out, 'http.conf')[0]!);
    expect([entryValue(http, 'bindaddr'), entryValue(http, 'tlsenable')]).toEqual(['127.0.0.1', 'no']);
    // A re-render keeps the operators' SIP secrets.
    const secrets = readFileSync(join(out, 'generated', 'operator-secrets.json'), 'utf8');
    expect(render(['--out', out, '--env-file', join(REPO_ROOT, '.env.example')]).status).toBe(0);
    expect(readFileSync(join(out, 'generated', 'operator-secrets.json'), 'utf8')).toBe(secrets);
  });

  it('lets the environment override the file, as docker-compose does', () => {
    const out = join(tempDir(), 'etc');
    const run = render(['--out', out, '--env-file', join(REPO_ROOT, '.env.example')], {
      ARI_PASSWORD: 'from-the-environment',
      ASTERISK_DATABASE_URL: 'postgres://cel:secret-pass@127.0.0.1:6543/calls',
      ASTERISK_HTTP_PORT: '18088',
      ASTERISK_SYSTEM_NAME: 'pbx2',
    });
    expect(run.status, run.stderr).toBe(0);
    const ari = loadConf(out, 'ari.conf').find((s) => s.name === 'callcenter')!;
    expect(entryValue(ari.entries, 'password')).toBe('from-the-environment');
    const cdr = effectiveEntries(loadConf(out, 'cdr_pgsql.conf'), loadConf(out, 'cdr_pgsql.conf')[0]!);
    expect([entryValue(cdr, 'hostname'), entryValue(cdr, 'port'), entryValue(cdr, 'dbname')]).toEqual([
      '127.0.0.1',
      '6543',
      'calls',
    ]);
    const http = effectiveEntries(loadConf(out, 'http.conf'), loadConf(out, 'http.conf')[0]!);
    expect(entryValue(http, 'bindport')).toBe('18088');
    // Several servers writing into one database: each its own uniqueid/linkedid prefix.
    const options = loadConf(out, 'asterisk.conf').find((s) => s.name === 'options')!;
    expect(entryValue(options.entries, 'systemname')).toBe('pbx2');
  });

  it('names every variable the file lacks, and an unreadable file', () => {
    const envFile = join(tempDir(), 'partial.env');
    writeFileSync(envFile, '# only the operators\nOPERATOR_ENDPOINTS=101\n');
    const run = render(['--out', join(tempDir(), 'etc'), '--env-file', envFile]);
    expect(run.status).toBe(2);
    for (const name of ['ARI_PASSWORD', 'AMI_SECRET', 'ASTERISK_DATABASE_URL'])
      expect(run.stderr).toMatch(new RegExp(`${name}: required: `));
    // Node 20 itself reads a `--env-file` anywhere on its command line and stops (exit 9) when the
    // file is missing, before the CLI runs; later Node versions leave it to the CLI (exit 2).
    const nowhere = join(tempDir(), 'nope.env');
    const missing = render(['--out', join(tempDir(), 'etc'), '--env-file', nowhere]);
    expect([2, 9]).toContain(missing.status);
    expect(missing.stderr).toContain(nowhere);
  });
});
