import { Command } from 'commander';

/**
 * `callcenter serve`: the API on its own (PORT, default 8080), over the same stores as the main job
 * (DATABASE_URL or the embedded PostgreSQL — joined if the main job runs it; CLICKHOUSE_URL or
 * chDB, which only one process may open: with the main job running on chDB, use the API it serves).
 */
export function serveCommand(): Command {
  return new Command('serve')
    .description('serve the HTTP API (PORT, default 8080) without collecting')
    .addHelpText('after', '\nExample:\n  PORT=8081 npx callcenter serve')
    .action(async () => {
      const { runCommand } = await import('@callcenter/platform/errors');
      await runCommand(async () => {
        const { loadConfig } = await import('@callcenter/platform/config');
        const { openStores } = await import('@callcenter/platform/stores');
        const { loadApiConfig } = await import('@callcenter/api/config');
        const { startApiServer } = await import('@callcenter/api/server');
        const config = loadConfig();
        const apiConfig = loadApiConfig();
        const stores = await openStores(config);
        let stopApiPool = async () => {};
        try {
          // Every API statement bounded (API_STATEMENT_TIMEOUT_MS): its own pool.
          const { connectPostgres, API_STATEMENT_TIMEOUT_MS } = await import('@callcenter/platform/postgres');
          const apiPostgres = connectPostgres(stores.postgres.url, 8, {
            statementTimeoutMs: API_STATEMENT_TIMEOUT_MS,
          });
          stopApiPool = () => apiPostgres.close();
          const api = await startApiServer(
            {
              db: apiPostgres.db,
              pool: apiPostgres.pool,
              clickhouse: stores.clickhouse,
              config: apiConfig,
              health: stores.health,
              databaseUrl: stores.postgres.url,
            },
            apiConfig.port,
          );
          console.log(
            `callcenter: API listening on ${api.url} (OpenAPI at ${api.url}/openapi.json); Ctrl-C to stop`,
          );
          await new Promise<void>((resolve) => {
            process.once('SIGINT', resolve);
            process.once('SIGTERM', resolve);
          });
          await api.close();
        } finally {
          await stopApiPool().catch(() => {});
          await stores.close().catch(() => {});
        }
      });
    });
}
