import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConf } from '../../src/conf/asterisk-conf.ts';
import { ETC_DIR, REPO_ROOT } from '../support/asterisk-test-kit.ts';

/**
 * asterisk/etc/modules.conf against Debian's own Asterisk package, installed by
 * asterisk/pbx/install.sh into ASTERISK_ROOT (default /var/cache/asterisk-debian): every module
 * it loads is a file of the package's module directory, and the root holds the packages the
 * image (asterisk/Dockerfile) installs. boot.pbx.test.ts then loads them.
 */

const ROOT = process.env.ASTERISK_ROOT ?? '/var/cache/asterisk-debian';
/** Debian's multiarch module directory (astmoddir of its build). */
const MODULE_DIR = join(ROOT, 'usr/lib/x86_64-linux-gnu/asterisk/modules');

const listedModules = () =>
  loadConf(ETC_DIR, 'modules.conf')
    .flatMap((s) => s.entries)
    .filter((e) => ['load', 'require', 'preload'].includes(e.key))
    .map((e) => e.value);

/** Installed packages of a Debian root (its dpkg status file): name → version. */
function installedPackages(root: string): Map<string, string> {
  const installed = new Map<string, string>();
  for (const stanza of readFileSync(join(root, 'var/lib/dpkg/status'), 'utf8').split(/\n\n+/)) {
    const field = (name: string) => new RegExp(`^${name}: (.*)$`, 'm').exec(stanza)?.[1];
    if (field('Status') === 'install ok installed') installed.set(field('Package')!, field('Version')!);
  }
  return installed;
}

describe("modules.conf on Debian's Asterisk package", () => {
  it('names only modules the package installs', () => {
    expect(
      existsSync(join(ROOT, 'usr/sbin/asterisk')),
      `no Asterisk in ${ROOT}: run asterisk/pbx/install.sh`,
    ).toBe(true);
    const modules = listedModules();
    expect(modules.length).toBeGreaterThan(50);
    expect(modules.filter((m) => !existsSync(join(MODULE_DIR, m)))).toEqual([]);
  });

  it('runs on the packages the image installs (asterisk/Dockerfile ASTERISK_PACKAGES)', () => {
    const dockerfile = readFileSync(join(REPO_ROOT, 'asterisk/Dockerfile'), 'utf8');
    const packages = /^ARG ASTERISK_PACKAGES="([^"]+)"$/m.exec(dockerfile)![1]!.split(/\s+/);
    const installed = installedPackages(ROOT);
    expect(packages.filter((p) => !installed.has(p))).toEqual([]);
    expect(installed.get('asterisk')).toMatch(/^1:22\./);
  });
});
