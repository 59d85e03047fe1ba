import { join, resolve } from 'node:path';
import cron from 'node-cron';
import { z } from 'zod';
import { UsageError } from '../errors.ts';
import { assertTimeZone } from '../time-zone.ts';

/**
 * Configuration from environment variables, validated once at start-up (zod). Every unset value
 * has a working default: no DATABASE_URL → embedded PostgreSQL under DATA_DIR/postgres; no
 * CLICKHOUSE_URL → chDB under DATA_DIR/clickhouse (docs/architecture.md#embedded-defaults).
 */

/** One Asterisk server feeding the system: its id, the schema of its cel/cdr tables, its clock's zone. */
export interface AsteriskServerConfig {
  id: string;
  schema: string;
  timeZone: string;
}

const serverList = z
  .string()
  .trim()
  .min(1)
  .transform((text, ctx): AsteriskServerConfig[] => {
    const servers: AsteriskServerConfig[] = [];
    for (const item of text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const [id = '', schema = 'asterisk', timeZone = 'UTC'] = item.split(':');
      if (!/^[A-Za-z0-9_.-]{1,64}$/.test(id)) {
        ctx.addIssue({ code: 'custom', message: `server id "${id}" must be 1-64 letters, digits, _ . -` });
        continue;
      }
      if (!/^[a-z_][a-z0-9_]*$/.test(schema)) {
        ctx.addIssue({
          code: 'custom',
          message: `schema "${schema}" of server ${id} must be a lower-case identifier`,
        });
        continue;
      }
      try {
        assertTimeZone(timeZone);
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: `time zone "${timeZone}" of server ${id} is not an IANA zone`,
        });
        continue;
      }
      servers.push({ id, schema, timeZone });
    }
    if (new Set(servers.map((s) => s.id)).size !== servers.length) {
      ctx.addIssue({ code: 'custom', message: 'server ids must be unique' });
    }
    return servers;
  });

const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || protocols.some((p) => v.startsWith(p)), {
      message: `must start with ${protocols.join(' or ')}`,
    });

const envSchema = z.object({
  DATA_DIR: z.string().trim().min(1).default('.data'),
  DATABASE_URL: optionalUrl(['postgres://', 'postgresql://']),
  CLICKHOUSE_URL: optionalUrl(['http://', 'https://']),
  /** `id:schema:zone` items, comma-separated. */
  ASTERISK_SERVERS: serverList.default([{ id: 'pbx1', schema: 'asterisk', timeZone: 'UTC' }]),
  /**
   * Ids of the ASTERISK_SERVERS this process's collector reads and ships (comma-separated);
   * unset = all of them. Several collectors share one database by taking disjoint sets
   * (docs/clickhouse-cluster.md#collectors-by-server).
   */
  COLLECTOR_SERVERS: z
    .string()
    .trim()
    .optional()
    .transform((v) =>
      v
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : undefined,
    ),
  /** Endpoints of operators' phones to register for the first server when the table is empty. */
  OPERATOR_ENDPOINTS: z.string().trim().default(''),
  IDLE_TIMEOUT_SEC: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 24 * 3600)
    .default(4 * 3600),
  POLL_INTERVAL_MS: z.coerce.number().int().min(50).max(600_000).default(1000),
  BATCH_ROWS: z.coerce.number().int().min(100).max(1_000_000).default(50_000),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  /** The NAS mount the nightly archive writes to; unset = no nightly archive. */
  ARCHIVE_DIR: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined)),
  ARCHIVE_SCHEDULE: z
    .string()
    .trim()
    .default('30 2 * * *')
    .refine((v) => cron.validate(v), { message: 'must be a cron expression, e.g. "30 2 * * *"' }),
  ARCHIVE_TZ: z
    .string()
    .trim()
    .optional()
    .refine((v) => v === undefined || v === '' || isTimeZone(v), { message: 'must be an IANA time zone' }),
  ARCHIVE_KEEP_DAILY: z.coerce.number().int().min(1).max(3650).default(7),
  ARCHIVE_KEEP_MONTHLY: z.coerce.number().int().min(0).max(1200).default(12),
  RECORDINGS_DIR: z.string().trim().min(1).optional(),
  /** Days a recording stays on this server once its archived copy is verified; 0 = forever. */
  RECORDINGS_KEEP_DAYS: z.coerce.number().int().min(0).max(36_500).default(0),
  /** Asterisk's ARI (http.conf + ari.conf) for live events and call control; unset = no ARI. */
  ARI_URL: optionalUrl(['http://', 'https://']),
  ARI_USERNAME: z.string().trim().default('callcenter'),
  ARI_PASSWORD: z.string().default(''),
  ARI_APP: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - (the ARI application name)')
    .default('callcenter'),
  /** Provisional live cards whose CEL never came are swept after this long (> IDLE_TIMEOUT_SEC). */
  PROVISIONAL_TTL_SEC: z.coerce
    .number()
    .int()
    .min(60)
    .max(30 * 24 * 3600)
    .default(6 * 3600),
});

function isTimeZone(zone: string): boolean {
  try {
    assertTimeZone(zone);
    return true;
  } catch {
    return false;
  }
}

/** The nightly archive (docs/operations.md#backups-archive-and-restore): where, when, and how many dumps to keep. */
export interface ArchiveConfig {
  /** Absolute path of the archive root (the NAS mount); undefined = no nightly archive. */
  dir: string | undefined;
  /** node-cron expression, evaluated in `timeZone` (default `30 2 * * *`, 02:30). */
  schedule: string;
  /** IANA zone of the schedule and of the archive's dates (default: the first server's zone). */
  timeZone: string;
  /** Daily Postgres dumps kept (the newest N). */
  keepDaily: number;
  /** Monthly Postgres dumps kept (the first dump of each month, the newest M months). */
  keepMonthly: number;
}

/** The validated environment (README.md, "Configuration"): every process reads it through loadConfig(). */
export interface AppConfig {
  dataDir: string;
  databaseUrl: string | undefined;
  clickhouseUrl: string | undefined;
  servers: AsteriskServerConfig[];
  /**
   * `COLLECTOR_SERVERS`: the ids of `servers` this process's collector reads, and whose calls'
   * outbox entries it ships; undefined = every server, and the whole outbox.
   */
  collectorServers: string[] | undefined;
  operatorEndpoints: string[];
  idleTimeoutSec: number;
  pollIntervalMs: number;
  batchRows: number;
  embeddedPgPort: number;
  /** Root of the MixMonitor recordings (default DATA_DIR/recordings, as the API reads them). */
  recordingsDir: string;
  /** Days a recording stays on this server once archived and verified; 0 = never deleted. */
  recordingsKeepDays: number;
  archive: ArchiveConfig;
  /** ARI of the first server (live ringing, call control); undefined without ARI_URL. */
  ari: AriConfig | undefined;
  /** Seconds after which a provisional live card without CEL is swept (live/provisional-sweeper.ts). */
  provisionalTtlSec: number;
}

/** `ARI_URL` (`http://asterisk:8088`), `ARI_USERNAME`, `ARI_PASSWORD`, `ARI_APP` (default callcenter). */
export interface AriConfig {
  url: string;
  username: string;
  password: string;
  app: string;
}

/** Thrown with every problem of the environment listed, one per line. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the configuration. Throws {@link ConfigError} listing each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || 'environment'}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const unknown = (e.COLLECTOR_SERVERS ?? []).filter((id) => !e.ASTERISK_SERVERS.some((s) => s.id === id));
  if (unknown.length)
    throw new ConfigError(
      `invalid configuration:\n  COLLECTOR_SERVERS: ${unknown.join(', ')} not in ASTERISK_SERVERS (${e.ASTERISK_SERVERS.map((s) => s.id).join(', ')})`,
    );
  return {
    dataDir: resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    clickhouseUrl: e.CLICKHOUSE_URL,
    servers: e.ASTERISK_SERVERS,
    collectorServers: e.COLLECTOR_SERVERS,
    operatorEndpoints: e.OPERATOR_ENDPOINTS.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    idleTimeoutSec: e.IDLE_TIMEOUT_SEC,
    pollIntervalMs: e.POLL_INTERVAL_MS,
    batchRows: e.BATCH_ROWS,
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    recordingsDir: resolve(e.RECORDINGS_DIR ?? join(resolve(e.DATA_DIR), 'recordings')),
    recordingsKeepDays: e.RECORDINGS_KEEP_DAYS,
    archive: {
      dir: e.ARCHIVE_DIR ? resolve(e.ARCHIVE_DIR) : undefined,
      schedule: e.ARCHIVE_SCHEDULE,
      timeZone: e.ARCHIVE_TZ || e.ASTERISK_SERVERS[0]?.timeZone || 'UTC',
      keepDaily: e.ARCHIVE_KEEP_DAILY,
      keepMonthly: e.ARCHIVE_KEEP_MONTHLY,
    },
    ari: e.ARI_URL
      ? { url: e.ARI_URL, username: e.ARI_USERNAME, password: e.ARI_PASSWORD, app: e.ARI_APP }
      : undefined,
    provisionalTtlSec: e.PROVISIONAL_TTL_SEC,
  };
}

/**
 * The server `--server-id` names, or the first of `ASTERISK_SERVERS` without one. Throws a
 * UsageError (exit 2 from a command) naming the configured ids for an unknown one.
 */
export function pickServer(config: AppConfig, serverId: string | undefined): AsteriskServerConfig {
  const server = serverId ? config.servers.find((s) => s.id === serverId) : config.servers[0];
  if (!server)
    throw new UsageError(
      `unknown server "${serverId}"; configured: ${config.servers.map((s) => s.id).join(', ')}`,
    );
  return server;
}
