import { splitStatements, sqlFiles } from '@callcenter/sql';
import type { ClickHouseClient } from '@clickhouse/client';

/**
 * Applies sql/clickhouse/*.sql in order, recording each file in `schema_migrations` so a file runs
 * once per database. Returns the names applied by this call.
 */
export async function migrateFacts(client: ClickHouseClient): Promise<string[]> {
  await client.command({
    query:
      'CREATE TABLE IF NOT EXISTS schema_migrations (name String, applied_at DateTime DEFAULT now()) ENGINE = MergeTree ORDER BY name',
  });
  const result = await client.query({ query: 'SELECT name FROM schema_migrations', format: 'JSONEachRow' });
  const done = new Set((await result.json<{ name: string }>()).map((r) => r.name));
  const applied: string[] = [];
  for (const file of sqlFiles('clickhouse')) {
    if (done.has(file.name)) continue;
    for (const statement of splitStatements(file.text)) await client.command({ query: statement });
    await client.insert({ table: 'schema_migrations', values: [{ name: file.name }], format: 'JSONEachRow' });
    applied.push(file.name);
  }
  return applied;
}
