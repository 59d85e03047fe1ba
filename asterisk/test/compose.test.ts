import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { entryValue, parseConf } from '../src/conf/asterisk-conf.ts';
import { renderConfig } from '../src/render/render-config.ts';
import { siteSettingsFromEnv } from '../src/render/site-env.ts';
import { REPO_ROOT, staticConf } from './support/asterisk-test-kit.ts';

const COMPOSE_BIN = '/usr/bin/docker-compose';
const composeFile = join(REPO_ROOT, 'docker-compose.yml');
const compose = YAML.parse(readFileSync(composeFile, 'utf8'), { merge: true });
const service = (name: string) => compose.services[name];
const volumesOf = (name: string): string[] => service(name).volumes ?? [];

describe('docker-compose.yml', () => {
  it(`validates with docker-compose config -q (${COMPOSE_BIN}, installed by bin/install-system-packages.sh)`, () => {
    // Never skipped: README's commands install Debian's docker-compose, so its absence is a set-up failure.
    expect(existsSync(COMPOSE_BIN), `${COMPOSE_BIN} is missing: run npm run setup`).toBe(true);
    const env = ['--env-file', join(REPO_ROOT, '.env.example'), '-f', composeFile];
    execFileSync(COMPOSE_BIN, [...env, 'config', '-q'], { cwd: REPO_ROOT, stdio: 'pipe' });
    // Without the secrets the stack refuses to start, naming what is missing.
    const emptyEnv = join(mkdtempSync(join(tmpdir(), 'compose-env-')), '.env');
    writeFileSync(emptyEnv, '');
    const bare = spawnSync(COMPOSE_BIN, ['--env-file', emptyEnv, '-f', composeFile, 'config', '-q'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(bare.status).not.toBe(0);
    expect(bare.stderr).toMatch(/set \w+ in \.env/);
  });

  it('runs postgres 14-17, clickhouse, asterisk, the app, TLS and a first-start certificate', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['app', 'asterisk', 'asterisk-config', 'certs', 'clickhouse', 'postgres', 'proxy'].sort(),
    );
    const major = Number(/^postgres:(\d+)/.exec(service('postgres').image)![1]);
    expect(major).toBeGreaterThanOrEqual(14);
    expect(major).toBeLessThanOrEqual(17);
    for (const name of ['postgres', 'clickhouse', 'app', 'asterisk', 'proxy'])
      expect(service(name).healthcheck?.test, `healthcheck of ${name}`).toBeDefined();
    expect(service('certs').entrypoint).toEqual(['bash', '/usr/local/bin/generate-certs.sh']);
    for (const name of ['asterisk', 'proxy'])
      expect(service(name).depends_on.certs.condition).toBe('service_completed_successfully');
    expect(service('asterisk').depends_on['asterisk-config'].condition).toBe(
      'service_completed_successfully',
    );
    expect(volumesOf('asterisk')).toContain('certs:/etc/asterisk/keys:ro');
    expect(volumesOf('asterisk')).toContain('asterisk-generated:/etc/asterisk/generated:ro');
    expect(volumesOf('asterisk-config')).toContain('asterisk-generated:/generated');
    expect(service('asterisk-config').command.slice(0, 4)).toEqual([
      'asterisk',
      'render',
      '--out',
      '/generated',
    ]);
  });

  it('shares the monitor directory read-only with the app at RECORDINGS_DIR', () => {
    const env = service('app').environment;
    const recordings = volumesOf('asterisk').find((v) => v.startsWith('recordings:'))!;
    expect(recordings).toBe('recordings:/var/spool/asterisk/monitor');
    expect(`recordings:${env.ASTERISK_MONITOR_DIR}`).toBe(recordings);
    const globals = staticConf('extensions.conf').find((s) => s.name === 'globals')!;
    expect(`${entryValue(globals.entries, 'RECDIR')}`).toBe('/var/spool/asterisk/monitor');
    expect(volumesOf('app')).toContain(`recordings:${env.RECORDINGS_DIR}:ro`);
    expect(volumesOf('app')).toContain(`archive:${env.ARCHIVE_DIR}`);
    expect(compose.volumes.archive.driver_opts.device).toMatch(/ARCHIVE_DEVICE/);
  });

  it('gives the app the ARI, AMI and softphone settings under the agreed names', () => {
    const env = service('app').environment;
    for (const name of [
      'DATABASE_URL',
      'CLICKHOUSE_URL',
      'ASTERISK_SERVERS',
      'RECORDINGS_DIR',
      'ARCHIVE_DIR',
      'ARI_URL',
      'ARI_USERNAME',
      'ARI_PASSWORD',
      'ARI_APP',
      'AMI_HOST',
      'AMI_PORT',
      'AMI_USERNAME',
      'AMI_SECRET',
      'SIP_WSS_URL',
      'SIP_DOMAIN',
      'STUN_URLS',
    ])
      expect(env, name).toHaveProperty(name);
    // What Asterisk listens on is rendered by the asterisk-config service from its environment
    // (resolved by docker-compose with .env.example); the certificate exists there once the certs
    // service has run (mounted at the same path as in the asterisk service).
    const resolved = YAML.parse(
      execFileSync(
        COMPOSE_BIN,
        ['--env-file', join(REPO_ROOT, '.env.example'), '-f', composeFile, 'config'],
        {
          cwd: REPO_ROOT,
          encoding: 'utf8',
        },
      ),
    );
    const configEnv = resolved.services['asterisk-config'].environment;
    const certDir = '/etc/asterisk/keys';
    expect(volumesOf('asterisk')).toContain(`certs:${certDir}:ro`);
    expect(volumesOf('asterisk-config')).toContain(`certs:${certDir}:ro`);
    expect(service('asterisk-config').depends_on.certs.condition).toBe('service_completed_successfully');
    const rendered = siteSettingsFromEnv('pbx1', 'asterisk', configEnv, (p) => p.startsWith(`${certDir}/`));
    const files = new Map(
      renderConfig({ site: rendered, operators: [], queues: [] }).map((f) => [f.name, f.text]),
    );
    const http = parseConf(files.get('http_site.conf')!)[0]!.entries;
    // Bound to Asterisk's own address in the compose network, never 0.0.0.0.
    expect(entryValue(http, 'bindaddr')).toBe(resolved.services.asterisk.networks.pbx.ipv4_address);
    expect(env.ARI_URL).toBe(`http://asterisk:${entryValue(http, 'bindport')}`);
    const ami = parseConf(files.get('manager_site.conf')!)[0]!.entries;
    expect(env.AMI_PORT).toBe(entryValue(ami, 'port'));
    expect(entryValue(ami, 'bindaddr')).toBe(entryValue(http, 'bindaddr'));
    expect(env.SIP_WSS_URL).toMatch(/^wss:\/\/.+\/ws$/);
    // The proxy forwards /ws to Asterisk's TLS listener, which uses the certs service's files.
    const nginx = readFileSync(join(REPO_ROOT, 'docker/proxy/nginx.conf'), 'utf8');
    expect(entryValue(http, 'tlsenable')).toBe('yes');
    expect(nginx).toContain(`https://asterisk:${entryValue(http, 'tlsbindaddr')!.split(':')[1]}`);
    expect(entryValue(http, 'tlscertfile')).toBe(`${certDir}/server.crt`);
    expect(entryValue(http, 'tlsprivatekey')).toBe(`${certDir}/server.key`);
  });

  it("builds Asterisk from Debian's own packages, the ones the real-PBX tests install", () => {
    const dockerfile = readFileSync(join(REPO_ROOT, 'asterisk/Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^ARG DEBIAN_IMAGE=debian:sid-slim$/m);
    expect(dockerfile).not.toMatch(/menuselect|make install|\.tar\.gz/);
    const packages = /^ARG ASTERISK_PACKAGES="([^"]+)"$/m.exec(dockerfile)![1]!.split(/\s+/).sort();
    const installScript = readFileSync(join(REPO_ROOT, 'asterisk/pbx/install.sh'), 'utf8');
    expect(/^packages="([^"]+)"$/m.exec(installScript)![1]!.split(/\s+/).sort()).toEqual(packages);
    expect(packages).toEqual(
      expect.arrayContaining(['asterisk', 'asterisk-modules', 'asterisk-core-sounds-ru-gsm']),
    );
    // defaultlanguage = ru reads sounds/ru; Debian names the Russian prompts ru_RU_f_IvrvoiceRU.
    expect(dockerfile).toContain('ln -s ru_RU_f_IvrvoiceRU ru');
  });

  it('publishes exactly the RTP range rtp.conf uses', () => {
    const rtp = staticConf('rtp.conf')[0]!.entries;
    const range = `${entryValue(rtp, 'rtpstart')}-${entryValue(rtp, 'rtpend')}`;
    expect(service('asterisk').ports).toContain(`${range}:${range}/udp`);
    expect(readFileSync(join(REPO_ROOT, 'asterisk/Dockerfile'), 'utf8')).toContain(`${range}/udp`);
  });
});
