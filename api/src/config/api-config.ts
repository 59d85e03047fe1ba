import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadConfig } from '@callcenter/platform/config';
import { z } from 'zod';
import { compileProxyTrust } from '../auth/request-origin.ts';
import { type ReportMailSettings, reportMailSettings } from '../mail/report-mailer.ts';

/**
 * The API's settings from environment variables (validated with zod, one line per problem).
 * JWT_SECRET: when unset, a random secret is created once under DATA_DIR (mode 0600) and reused,
 * so the embedded default needs no set-up and tokens survive restarts.
 */
export interface ApiConfig {
  /** The scheduled report by e-mail (`REPORT_MAIL_CRON`, `SMTP_URL`, …; api/src/mail), or null/absent. */
  reportMail?: ReportMailSettings | null;
  port: number;
  jwtSecret: string;
  accessTokenTtlSec: number;
  refreshTokenTtlSec: number;
  /** Root of the recordings; recording paths never escape it. */
  recordingsDir: string;
  /**
   * Where Asterisk's MixMonitor writes (`ASTERISK_MONITOR_DIR`, the variable `callcenter asterisk
   * render` puts into the dialplan's RECDIR; default `/var/spool/asterisk/monitor`, also when
   * absent): stripped from stored recording paths before they are mapped onto `recordingsDir`.
   */
  asteriskMonitorDir?: string;
  /** Largest request body accepted, bytes. */
  bodyLimitBytes: number;
  /**
   * Proxies whose X-Forwarded-For is believed (`TRUST_PROXY`: comma-separated IPs, CIDRs or
   * `loopback`/`linklocal`/`uniquelocal`; default none: every address is the socket peer), see
   * auth/request-origin.ts.
   */
  trustProxy?: string[];
  /**
   * AMI sessions for operator presence (QueuePause), one per Asterisk server; empty or absent =
   * not configured: presence is recorded but not applied to queues (api/src/presence/).
   */
  ami?: AmiSettings[];
  /** ARI for call control (`/control/...`, README.md "Live calls"); absent without ARI_URL: those routes answer 503. */
  ari?: AriSettings;
  /** What operators' WebRTC phones need (`GET /me/softphone`). */
  softphone?: SoftphoneSettings;
  /**
   * The nightly archive's target (`ARCHIVE_DIR`, absent = not configured) and zone, for the admin
   * page's state and its "run now" (docs/operations.md#backups-archive-and-restore).
   */
  archive?: { dir?: string; timeZone: string };
}

/**
 * Asterisk's ARI (`ARI_URL` e.g. `http://asterisk:8088`, `ARI_USERNAME`, `ARI_PASSWORD`, `ARI_APP`
 * default `callcenter`), for the server `ARI_SERVER_ID` (default: the first of ASTERISK_SERVERS).
 * `ARI_DIAL_CONTEXT` (default `operators`): the dialplan context click-to-call and blind transfers
 * dial in; `ARI_LISTEN_CONTEXT` (default `supervisor-listen`): the context whose extension
 * `<operator endpoint>` spies on that operator's call (asterisk/etc/extensions.conf).
 */
export interface AriSettings {
  serverId: string;
  url: string;
  username: string;
  password: string;
  app: string;
  dialContext: string;
  listenContext: string;
}

/**
 * `SIP_WSS_URL` (`wss://pbx.clinic.example:8089/ws`), `SIP_DOMAIN` (the SIP URI's host, default the
 * WSS URL's host), `STUN_URLS` (comma-separated `stun:`/`turn:` URLs).
 */
export interface SoftphoneSettings {
  wssUrl: string | null;
  domain: string | null;
  iceServers: { urls: string | string[] }[];
}

/**
 * One Asterisk server's AMI (manager.conf user with `read`/`write` including `agent`): `AMI_HOST`,
 * `AMI_PORT` (5038), `AMI_USERNAME`, `AMI_SECRET`, for the server `AMI_SERVER_ID` (default: the
 * first id of `ASTERISK_SERVERS`, else `pbx1`).
 */
export interface AmiSettings {
  serverId: string;
  host: string;
  port: number;
  username: string;
  secret: string;
}

const schema = z
  .object({
    ARI_URL: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v : undefined))
      .refine((v) => v === undefined || /^https?:\/\//.test(v), {
        message: 'must start with http:// or https://',
      }),
    ARI_USERNAME: z.string().trim().default('callcenter'),
    ARI_PASSWORD: z.string().default(''),
    ARI_APP: z.string().trim().default('callcenter'),
    ARI_SERVER_ID: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a server id of ASTERISK_SERVERS')
      .optional(),
    ARI_DIAL_CONTEXT: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{1,80}$/, 'a dialplan context name')
      .default('operators'),
    ARI_LISTEN_CONTEXT: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{1,80}$/, 'a dialplan context name')
      .default('supervisor-listen'),
    SIP_WSS_URL: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v : undefined))
      .refine((v) => v === undefined || /^wss?:\/\/[^/\s]+/.test(v), {
        message: 'must be a ws:// or wss:// URL',
      }),
    SIP_DOMAIN: z.string().trim().optional(),
    STUN_URLS: z
      .string()
      .trim()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((u) => u.trim())
          .filter(Boolean),
      )
      .refine((urls) => urls.every((u) => /^(stun|stuns|turn|turns):\S+$/.test(u)), {
        message: 'comma-separated stun:, stuns:, turn: or turns: URLs',
      }),
    AMI_HOST: z.string().trim().optional(),
    AMI_PORT: z.coerce.number().int().min(1).max(65535).default(5038),
    AMI_USERNAME: z.string().trim().optional(),
    AMI_SECRET: z.string().optional(),
    AMI_SERVER_ID: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a server id of ASTERISK_SERVERS')
      .optional(),
    ASTERISK_SERVERS: z.string().optional(),
    DATA_DIR: z.string().trim().min(1).default('.data'),
    PORT: z.coerce.number().int().min(1).max(65535).default(8080),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    ACCESS_TOKEN_TTL_SEC: z.coerce.number().int().min(30).max(86_400).default(900),
    REFRESH_TOKEN_TTL_SEC: z.coerce
      .number()
      .int()
      .min(300)
      .max(90 * 86_400)
      .default(14 * 86_400),
    RECORDINGS_DIR: z.string().trim().min(1).optional(),
    ASTERISK_MONITOR_DIR: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v || '/var/spool/asterisk/monitor').replace(/\/+$/, ''))
      .refine((v) => v.startsWith('/') && !v.split('/').includes('..'), 'must be an absolute path'),
    BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(50 * 1024 * 1024)
      .default(1024 * 1024),
    TRUST_PROXY: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .refine(
        (entries) => {
          try {
            compileProxyTrust(entries);
            return true;
          } catch {
            return false;
          }
        },
        { message: 'IP addresses, CIDRs, loopback, linklocal or uniquelocal, comma-separated' },
      ),
  })
  .superRefine((e, ctx) => {
    if (!e.AMI_HOST) return;
    for (const key of ['AMI_USERNAME', 'AMI_SECRET'] as const) {
      if (!e[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'required when AMI_HOST is set' });
    }
  });

/** The AMI settings of the environment (see AmiSettings); [] without AMI_HOST. */
function amiSettings(e: z.infer<typeof schema>): AmiSettings[] {
  if (!e.AMI_HOST || !e.AMI_USERNAME || !e.AMI_SECRET) return [];
  const firstServer = (e.ASTERISK_SERVERS ?? '').split(',')[0]?.split(':')[0]?.trim();
  return [
    {
      serverId: e.AMI_SERVER_ID ?? (firstServer || 'pbx1'),
      host: e.AMI_HOST,
      port: e.AMI_PORT,
      username: e.AMI_USERNAME,
      secret: e.AMI_SECRET,
    },
  ];
}

/** The ARI settings (see AriSettings); undefined without ARI_URL. */
function ariSettings(e: z.infer<typeof schema>): AriSettings | undefined {
  if (!e.ARI_URL) return undefined;
  const firstServer = (e.ASTERISK_SERVERS ?? '').split(',')[0]?.split(':')[0]?.trim();
  return {
    serverId: e.ARI_SERVER_ID ?? (firstServer || 'pbx1'),
    url: e.ARI_URL,
    username: e.ARI_USERNAME,
    password: e.ARI_PASSWORD,
    app: e.ARI_APP,
    dialContext: e.ARI_DIAL_CONTEXT,
    listenContext: e.ARI_LISTEN_CONTEXT,
  };
}

/** The softphone settings (see SoftphoneSettings). */
function softphoneSettings(e: z.infer<typeof schema>): SoftphoneSettings {
  const wssUrl = e.SIP_WSS_URL ?? null;
  let domain = e.SIP_DOMAIN || null;
  if (!domain && wssUrl) domain = new URL(wssUrl.replace(/^ws/, 'http')).hostname;
  return { wssUrl, domain, iceServers: e.STUN_URLS.length ? [{ urls: e.STUN_URLS }] : [] };
}

function persistedSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}

/**
 * The API's configuration from the environment (see {@link ApiConfig}). Throws a ConfigError
 * naming every bad variable.
 */
export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    const error = new Error(`invalid configuration:\n${lines.join('\n')}`);
    error.name = 'ConfigError';
    throw error;
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    jwtSecret: e.JWT_SECRET ?? persistedSecret(dataDir),
    accessTokenTtlSec: e.ACCESS_TOKEN_TTL_SEC,
    refreshTokenTtlSec: e.REFRESH_TOKEN_TTL_SEC,
    recordingsDir: resolve(e.RECORDINGS_DIR ?? join(dataDir, 'recordings')),
    asteriskMonitorDir: e.ASTERISK_MONITOR_DIR,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    trustProxy: e.TRUST_PROXY,
    ami: amiSettings(e),
    ari: ariSettings(e),
    softphone: softphoneSettings(e),
    archive: archiveSettings(env),
    reportMail: reportMailSettings(env),
  };
}

/** ARCHIVE_DIR and ARCHIVE_TZ as the main job reads them (@callcenter/platform/config). */
function archiveSettings(env: NodeJS.ProcessEnv): ApiConfig['archive'] {
  try {
    const { dir, timeZone } = loadConfig(env).archive;
    return { dir, timeZone };
  } catch {
    // The main job refuses to start on a bad configuration; `callcenter serve` alone shows none.
    return { timeZone: 'UTC' };
  }
}
