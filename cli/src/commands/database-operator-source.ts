import { join } from 'node:path';
import type { OperatorSource } from './reconcile-command.ts';

/**
 * Operators for `callcenter reconcile` without `--operators`: the active endpoints of the server in
 * app.operators — from DATABASE_URL, or from the embedded PostgreSQL if the main job is running it
 * (never started just for this) — else `fallback` (the captures' lab: 101, 102, 103). A database
 * that cannot be reached or has no operators for the server also falls back.
 */
export function databaseOperatorSource(fallback: OperatorSource): OperatorSource {
  return async (serverId) => {
    try {
      // Loaded only when no --operators is given: reconcile with --operators never touches a database.
      const { loadConfig } = await import('@callcenter/platform/config');
      const { alreadyRunning, clusterDir } = await import('@callcenter/platform/embedded-postgres');
      const { default: pg } = await import('pg');
      const config = loadConfig();
      const url =
        config.databaseUrl ??
        (await alreadyRunning(clusterDir(join(config.dataDir, 'postgres'))))?.url ??
        null;
      if (!url) return fallback(serverId);
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
      await client.connect();
      try {
        const rows = await client.query<{ endpoint: string }>(
          'SELECT endpoint FROM app.operators WHERE server_id = $1 AND active ORDER BY endpoint',
          [serverId],
        );
        return rows.rows.length > 0 ? rows.rows.map((r) => r.endpoint) : fallback(serverId);
      } finally {
        await client.end().catch(() => {});
      }
    } catch {
      return fallback(serverId);
    }
  };
}
