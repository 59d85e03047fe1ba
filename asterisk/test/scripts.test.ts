import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/asterisk-test-kit.ts';

const SCRIPTS = ['docker/certs/generate-certs.sh', 'docker/postgres/init-asterisk-role.sh'];
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8' });

describe('shell scripts', () => {
  it.each(SCRIPTS)('%s is valid bash', (script) => {
    execFileSync('bash', ['-n', join(REPO_ROOT, script)]);
  });

  it('generate-certs.sh makes a server certificate once and keeps it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'certs-'));
    dirs.push(dir);
    const run = (env: Record<string, string>) =>
      execFileSync('bash', [join(REPO_ROOT, 'docker/certs/generate-certs.sh')], {
        env: { PATH: process.env.PATH ?? '', CERT_DIR: dir, ...env },
        encoding: 'utf8',
      });
    expect(run({ PUBLIC_HOST: 'callcenter.clinic.local', CERT_EXTRA_SANS: 'IP:192.168.1.10' })).toMatch(
      /^certs: made/,
    );
    expect(readdirSync(dir).sort()).toEqual(['server.crt', 'server.key']);
    const crt = join(dir, 'server.crt');
    const text = openssl('x509', '-in', crt, '-noout', '-text');
    expect(text).toContain('Subject: CN = callcenter.clinic.local');
    expect(text).toMatch(
      /DNS:callcenter\.clinic\.local, DNS:localhost, IP Address:127\.0\.0\.1, IP Address:192\.168\.1\.10/,
    );
    expect(text).toContain('TLS Web Server Authentication');
    // The key matches the certificate and is not world-readable.
    expect(openssl('pkey', '-in', join(dir, 'server.key'), '-pubout')).toBe(
      openssl('x509', '-in', crt, '-noout', '-pubkey'),
    );
    expect(statSync(join(dir, 'server.key')).mode & 0o007).toBe(0);
    const fingerprint = openssl('x509', '-in', crt, '-noout', '-fingerprint', '-sha256');
    expect(run({ PUBLIC_HOST: 'other.host' })).toMatch(/^certs: keeping/);
    expect(openssl('x509', '-in', crt, '-noout', '-fingerprint', '-sha256')).toBe(fingerprint);
    // A certificate about to expire is replaced.
    rmSync(crt);
    run({ PUBLIC_HOST: '10.0.0.5', CERT_DAYS: '1' });
    expect(openssl('x509', '-in', crt, '-noout', '-text')).toContain('IP Address:10.0.0.5');
    expect(run({ PUBLIC_HOST: '10.0.0.5' })).toMatch(/^certs: made/);
  });
});
