import { resolve } from 'node:path';
import { z } from 'zod';
import { assertTimeZone } from '../sources/asterisk-time.ts';

/**
 * Configuration from environment variables, validated once at start-up (zod). Every unset value
 * has a working default: no DATABASE_URL → embedded PostgreSQL under DATA_DIR/postgres; no
 * CLICKHOUSE_URL → chDB under DATA_DIR/clickhouse (DESIGN.md "Embedded defaults").
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
});

export interface AppConfig {
  dataDir: string;
  databaseUrl: string | undefined;
  clickhouseUrl: string | undefined;
  servers: AsteriskServerConfig[];
  operatorEndpoints: string[];
  idleTimeoutSec: number;
  pollIntervalMs: number;
  batchRows: number;
  embeddedPgPort: number;
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
  return {
    dataDir: resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    clickhouseUrl: e.CLICKHOUSE_URL,
    servers: e.ASTERISK_SERVERS,
    operatorEndpoints: e.OPERATOR_ENDPOINTS.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    idleTimeoutSec: e.IDLE_TIMEOUT_SEC,
    pollIntervalMs: e.POLL_INTERVAL_MS,
    batchRows: e.BATCH_ROWS,
    embeddedPgPort: e.EMBEDDED_PG_PORT,
  };
}
