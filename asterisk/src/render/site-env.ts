import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';
import type { SiteSettings } from './site-settings.ts';

/**
 * The site settings of the Asterisk configuration from environment variables (the names the
 * app and docker-compose.yml use too: ARI_*, AMI_*, SIP_DOMAIN, STUN_URLS, TRUNK_*,
 * ASTERISK_DB_PASSWORD), validated with zod. Secrets have no defaults: rendering without them
 * stops with one line per missing or bad variable.
 */

const CODECS = ['alaw', 'ulaw', 'g729', 'g722', 'opus'] as const;
const name = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - only');
/** A required variable: "required" when unset, rather than zod's "expected string, received undefined". */
const required = (what: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? `required: ${what}` : undefined),
});
const secret = z
  .string(required('a secret of at least 12 characters (see .env.example)'))
  .min(12, 'must be at least 12 characters');
const list = (text: string | undefined) =>
  (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const cidr = /^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/;
const cidrList = z
  .string()
  .optional()
  .transform(list)
  .refine((items) => items.every((i) => cidr.test(i)), 'must be addresses or CIDR blocks, comma-separated');
const yesNo = z
  .enum(['yes', 'no', 'true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : ['yes', 'true', '1'].includes(v)));
/** A TCP/UDP port; unset or empty → `fallback`. */
const port = (fallback: number) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? undefined : v),
    z.coerce.number().int().min(1).max(65535).default(fallback),
  );
/**
 * One identify `match` value as res_pjsip_endpoint_identifier_ip reads it: a host name or an
 * IPv4 address, optionally `:port` (only requests from that source port match), and for an
 * address optionally `/nn` (a network), e.g. `1.2.3.4:5060/32` (Asterisk's documentation of
 * `match`).
 */
export function isTrunkMatch(value: string): boolean {
  const m = /^([A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::(\d{1,5}))?(?:\/(\d{1,2}))?$/.exec(value);
  if (!m) return false;
  const [, host, portText, mask] = m;
  const ipv4 = /^\d{1,3}(\.\d{1,3}){3}$/.test(host!);
  if (ipv4 && host!.split('.').some((octet) => Number(octet) > 255)) return false;
  if (!ipv4 && /^[\d.]+$/.test(host!)) return false;
  if (mask !== undefined && (!ipv4 || Number(mask) > 32)) return false;
  return portText === undefined || (Number(portText) >= 1 && Number(portText) <= 65535);
}
/**
 * A GotoIfTime time range `times,weekdays,mdays,months[,timezone]` (Asterisk's GotoIfTime
 * application), e.g. `08:00-20:00,mon-fri,*,*,Europe/Moscow`; `*,*,*,*` is always open.
 * Unset or empty → `fallback`.
 */
const gotoIfTime = (fallback: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => v || fallback)
    .refine(
      (v) => /^[^,;\s]+,[^,;\s]+,[^,;\s]+,[^,;\s]+(,[A-Za-z_]+(\/[A-Za-z_+-]+)*)?$/.test(v),
      'must be times,weekdays,mdays,months[,timezone] as GotoIfTime takes it, e.g. 08:00-20:00,mon-fri,*,*,Europe/Moscow',
    );
const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => v || undefined);

const schema = z.object({
  ARI_USERNAME: name.default('callcenter'),
  ARI_PASSWORD: secret,
  AMI_USERNAME: name.default('callcenter'),
  AMI_SECRET: secret,
  AMI_PERMIT: cidrList,
  ASTERISK_DATABASE_URL: z
    .string(
      required(
        'postgres://user:password@host:port/database that Asterisk writes CEL/CDR with (or ASTERISK_DB_PASSWORD: the compose database)',
      ),
    )
    .trim()
    .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be postgres://user:password@host:port/database'),
  SIP_DOMAIN: z.string().trim().min(1).default('callcenter'),
  TRUNK_HOST: optionalText,
  TRUNK_PORT: port(5060),
  TRUNK_USERNAME: optionalText,
  TRUNK_PASSWORD: optionalText,
  TRUNK_REGISTER: yesNo,
  TRUNK_CODECS: z
    .string()
    .optional()
    .transform((v) => (list(v).length > 0 ? list(v).map((c) => c.toLowerCase()) : ['alaw', 'ulaw']))
    .refine(
      (l) => l.every((c) => (CODECS as readonly string[]).includes(c)),
      `codecs are ${CODECS.join(', ')}`,
    )
    .refine((l) => l.includes('alaw') || l.includes('ulaw'), 'must include alaw or ulaw (G.711)'),
  TRUNK_MATCH: z
    .string()
    .optional()
    .transform(list)
    .refine(
      (items) => items.every(isTrunkMatch),
      'must be host names, addresses or CIDR blocks, each optionally with :port (1.2.3.4:5060/32, sip.example:5070), comma-separated',
    ),
  TRUNK_CALLERID: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || undefined)
    .refine((v) => v === undefined || /^\+?\d{3,15}$/.test(v), 'must be a phone number'),
  EXTERNAL_ADDRESS: optionalText,
  LOCAL_NETS: cidrList,
  ASTERISK_IP: optionalText.refine((v) => v === undefined || cidr.test(v), 'must be an IPv4 address'),
  STUN_URLS: z.string().optional().transform(list),
  ASTERISK_BIND_ADDRESS: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || '127.0.0.1')
    .refine((v) => isIP(v) !== 0, 'must be an IP address (e.g. 127.0.0.1, 0.0.0.0)'),
  ASTERISK_HTTP_PORT: port(8088),
  ASTERISK_HTTPS_PORT: port(8089),
  AMI_PORT: port(5038),
  ASTERISK_SIP_PORT: port(5060),
  ASTERISK_SYSTEM_NAME: optionalText.refine(
    (v) => v === undefined || /^[A-Za-z0-9_.-]{1,64}$/.test(v),
    'letters, digits, _ . - only',
  ),
  ASTERISK_TLS_CERT: optionalText,
  ASTERISK_TLS_KEY: optionalText,
  ASTERISK_MONITOR_DIR: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v || '/var/spool/asterisk/monitor').replace(/\/+$/, ''))
    .refine((v) => v.startsWith('/') && !v.includes('..'), 'must be an absolute path'),
  BUSINESS_HOURS_WEEKDAYS: gotoIfTime('08:00-20:00,mon-fri,*,*,Europe/Moscow'),
  BUSINESS_HOURS_SATURDAY: gotoIfTime('09:00-15:00,sat,*,*,Europe/Moscow'),
});

/** Thrown with every bad variable listed, one per line (exit 2 through runCommand). */
export class SiteConfigError extends Error {
  override name = 'ConfigError';
}

/** `stun:host[:port]` (RFC 7064) → host and port (default 3478). */
function parseStun(url: string): { host: string; port: number } {
  const m = /^stuns?:([^:?]+)(?::(\d+))?$/.exec(url.trim());
  if (!m) throw new SiteConfigError(`invalid configuration:\n  STUN_URLS: "${url}" is not stun:host[:port]`);
  return { host: m[1]!, port: m[2] ? Number(m[2]) : 3478 };
}

/**
 * docker-compose.yml gives `asterisk render` ASTERISK_DATABASE_URL
 * `postgres://asterisk:${ASTERISK_DB_PASSWORD}@postgres:5432/${POSTGRES_DB}`: the same URL is
 * derived here when only ASTERISK_DB_PASSWORD (and POSTGRES_DB) is set, so an env file like
 * .env.example is enough. An explicit ASTERISK_DATABASE_URL wins.
 */
function withComposeDatabaseUrl(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env.ASTERISK_DATABASE_URL?.trim() || !env.ASTERISK_DB_PASSWORD) return env;
  const db = env.POSTGRES_DB?.trim() || 'callcenter';
  return {
    ...env,
    ASTERISK_DATABASE_URL: `postgres://asterisk:${encodeURIComponent(env.ASTERISK_DB_PASSWORD)}@postgres:5432/${encodeURIComponent(db)}`,
  };
}

/** The TLS files when both are configured and exist; else why not (undefined: not configured). */
function tlsFiles(
  cert: string | undefined,
  key: string | undefined,
  exists: (path: string) => boolean,
): { tls: SiteSettings['tls']; skipped: string | undefined } {
  if (!cert && !key) return { tls: undefined, skipped: undefined };
  if (!cert || !key)
    throw new SiteConfigError(
      `invalid configuration:\n  ${cert ? 'ASTERISK_TLS_KEY' : 'ASTERISK_TLS_CERT'}: required with ${cert ? 'ASTERISK_TLS_CERT' : 'ASTERISK_TLS_KEY'} (the certificate and its private key, PEM)`,
    );
  const missing = [cert, key].filter((f) => !exists(f));
  if (missing.length > 0)
    return {
      tls: undefined,
      skipped: `no TLS (WSS) listener: ${missing.join(' and ')} ${missing.length > 1 ? 'do' : 'does'} not exist`,
    };
  return { tls: { certFile: cert, keyFile: key }, skipped: undefined };
}

/**
 * Site settings for server `serverId` whose cel/cdr live in `schema`. `exists` tells whether a
 * file exists (the TLS certificate and key: TLS is configured only when both do). Throws
 * {@link SiteConfigError} listing each missing or invalid variable.
 */
export function siteSettingsFromEnv(
  serverId: string,
  tableSchema: string,
  env: NodeJS.ProcessEnv = process.env,
  exists: (path: string) => boolean = existsSync,
): SiteSettings {
  const parsed = schema.safeParse(withComposeDatabaseUrl(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new SiteConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const db = new URL(e.ASTERISK_DATABASE_URL);
  if (!db.username || !db.password || db.pathname.length < 2)
    throw new SiteConfigError(
      'invalid configuration:\n  ASTERISK_DATABASE_URL: needs a user, a password and a database name',
    );
  const trunkHost = e.TRUNK_HOST;
  for (const [name, path] of [
    ['ASTERISK_TLS_CERT', e.ASTERISK_TLS_CERT],
    ['ASTERISK_TLS_KEY', e.ASTERISK_TLS_KEY],
  ] as const)
    if (path && !path.startsWith('/'))
      throw new SiteConfigError(`invalid configuration:\n  ${name}: must be an absolute path`);
  const tls = tlsFiles(e.ASTERISK_TLS_CERT, e.ASTERISK_TLS_KEY, exists);
  return {
    serverId,
    schema: tableSchema,
    sipRealm: e.SIP_DOMAIN,
    ari: { username: e.ARI_USERNAME, password: e.ARI_PASSWORD },
    ami: {
      username: e.AMI_USERNAME,
      secret: e.AMI_SECRET,
      permit: e.AMI_PERMIT.length > 0 ? e.AMI_PERMIT : ['127.0.0.1/32'],
    },
    database: {
      host: db.hostname,
      port: db.port ? Number(db.port) : 5432,
      name: decodeURIComponent(db.pathname.slice(1)),
      user: decodeURIComponent(db.username),
      password: decodeURIComponent(db.password),
    },
    trunk: {
      host: trunkHost,
      port: e.TRUNK_PORT,
      username: e.TRUNK_USERNAME,
      password: e.TRUNK_PASSWORD,
      register: e.TRUNK_REGISTER ?? e.TRUNK_USERNAME !== undefined,
      codecs: e.TRUNK_CODECS,
      match: e.TRUNK_MATCH.length > 0 ? e.TRUNK_MATCH : trunkHost ? [trunkHost] : [],
      callerId: e.TRUNK_CALLERID,
    },
    nat: {
      externalAddress: e.EXTERNAL_ADDRESS,
      localNets: e.LOCAL_NETS.length > 0 ? e.LOCAL_NETS : ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'],
      asteriskIp: e.ASTERISK_IP,
    },
    stun: e.STUN_URLS.length > 0 ? parseStun(e.STUN_URLS[0]!) : undefined,
    listen: {
      address: e.ASTERISK_BIND_ADDRESS,
      httpPort: e.ASTERISK_HTTP_PORT,
      httpsPort: e.ASTERISK_HTTPS_PORT,
      amiPort: e.AMI_PORT,
      sipPort: e.ASTERISK_SIP_PORT,
    },
    tls: tls.tls,
    tlsSkipped: tls.skipped,
    systemName: e.ASTERISK_SYSTEM_NAME,
    monitorDir: e.ASTERISK_MONITOR_DIR,
    businessHours: { weekdays: e.BUSINESS_HOURS_WEEKDAYS, saturday: e.BUSINESS_HOURS_SATURDAY },
  };
}
