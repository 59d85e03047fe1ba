import type { Database } from '@callcenter/platform/database';
import type { DependencyHealth } from '@callcenter/platform/dependency-health';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { ApiConfig } from './config/api-config.ts';
import type { LiveBus } from './live/live-bus.ts';
import type { WallboardService } from './live/wallboard/wallboard-service.ts';
import type { ApiVariables } from './middleware/authenticate/authenticate.ts';
import type { AsteriskPresence } from './presence/asterisk-presence.ts';

/**
 * What the API is built from (createApp in app.ts), and the Hono environment every route group
 * shares. Its own module so route groups depend on these types, not on app.ts, which imports
 * every route group.
 */
export interface ApiDeps {
  db: Kysely<Database>;
  pool: pg.Pool;
  clickhouse: ClickHouseClient | null;
  config: ApiConfig;
  log?: (line: string) => void;
  /** PostgreSQL URL for the live events' LISTEN connection (default: the pool's connectionString). */
  databaseUrl?: string;
  /** The live event bus; by default one per app, started by the first `/live/events` client. */
  live?: LiveBus;
  /** Heartbeat interval of `/live/events` in ms (default 15 s). */
  liveHeartbeatMs?: number;
  /**
   * Operator presence applied to Asterisk over AMI (startApiServer starts it from `config.ami`);
   * absent or null: not configured (presence is recorded, not applied).
   */
  asterisk?: AsteriskPresence | null;
  /**
   * The live wallboard's state (startApiServer builds it over the AMI presence links); absent: one
   * per app over PostgreSQL only (CEL timing, live/wallboard/wallboard-service.ts).
   */
  wallboard?: WallboardService;
  /** The job's dependency tracker (GET /health); by default the API keeps its own. */
  health?: DependencyHealth;
}

/** Hono's environment of every route: the per-request variables set by the middleware. */
export type ApiEnv = { Variables: ApiVariables };
