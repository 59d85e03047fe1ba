import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ConfSection, parseConf } from '../../src/conf/asterisk-conf.ts';
import type { OperatorAccount } from '../../src/operators/operator-account.ts';
import { definedQueues, queueMemberships } from '../../src/render/queue-plan.ts';
import { renderConfig } from '../../src/render/render-config.ts';
import { siteSettingsFromEnv } from '../../src/render/site-env.ts';
import type { SiteSettings } from '../../src/render/site-settings.ts';
import { writeGeneratedFile } from '../../src/render/write-generated.ts';

/** Paths and a rendered configuration for the asterisk/ tests. */

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const ETC_DIR = join(REPO_ROOT, 'asterisk', 'etc');

/** The environment docker-compose.yml gives `asterisk render` (values as in .env.example). */
export const SITE_ENV: Record<string, string> = {
  ARI_USERNAME: 'callcenter',
  ARI_PASSWORD: 'ari-password-123',
  AMI_USERNAME: 'callcenter',
  AMI_SECRET: 'ami-secret-12345',
  AMI_PERMIT: '172.30.57.0/24',
  ASTERISK_DATABASE_URL: 'postgres://asterisk:db-pass@postgres:5432/callcenter',
  SIP_DOMAIN: 'callcenter',
  TRUNK_HOST: 'sip.provider.example',
  TRUNK_PORT: '5060',
  TRUNK_USERNAME: 'clinic',
  TRUNK_PASSWORD: 'trunk-pass',
  TRUNK_REGISTER: '',
  TRUNK_CODECS: 'alaw,ulaw',
  TRUNK_MATCH: '',
  TRUNK_CALLERID: '74951234567',
  EXTERNAL_ADDRESS: '203.0.113.7',
  LOCAL_NETS: '',
  ASTERISK_IP: '172.30.57.10',
  STUN_URLS: 'stun:stun.l.google.com:19302',
};

export const site = (env: Record<string, string> = {}): SiteSettings =>
  siteSettingsFromEnv('pbx1', 'asterisk', { ...SITE_ENV, ...env });

export const OPERATORS: OperatorAccount[] = [
  { endpoint: '101', name: 'Иванова Анна', secret: 'secret-101-aaaaaaaaaa', phone: 'webrtc' },
  { endpoint: '102', name: 'Petrov "Pete"; Jr, <x>', secret: 'secret-102-bbbbbbbbbb', phone: 'webrtc' },
  { endpoint: '103', name: 'Operator 103', secret: 'secret-103-cccccccccc', phone: 'webrtc' },
  { endpoint: '2001', name: 'Night shift', secret: 'secret-2001-dddddddddd', phone: 'sip' },
];

/**
 * A complete /etc/asterisk in a temp directory: the static files plus generated/ rendered for
 * `operators`, exactly as the container sees it. Call `dispose()` when done.
 */
export function renderedEtc(operators: readonly OperatorAccount[] = OPERATORS): {
  dir: string;
  dispose(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'asterisk-etc-'));
  cpSync(ETC_DIR, dir, { recursive: true });
  const queues = queueMemberships(definedQueues(ETC_DIR), operators, new Map());
  for (const file of renderConfig({ site: site(), operators, queues }))
    writeGeneratedFile(join(dir, 'generated'), file.name, file.text);
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A static file of asterisk/etc as written (its `#include`s of generated/ not followed). */
export function staticConf(file: string): ConfSection[] {
  return parseConf(readFileSync(join(ETC_DIR, file), 'utf8'), join(ETC_DIR, file));
}
