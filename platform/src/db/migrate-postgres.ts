import { asteriskTablesDdl, sqlFiles } from '@callcenter/sql';
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { AsteriskServerConfig } from '../config/env-config.ts';
import type { Database } from './database.ts';

/**
 * Schema set-up: the Asterisk cel/cdr tables of every configured server (idempotent DDL, since
 * they are Asterisk's tables and may already exist), then the application migrations of
 * sql/postgres/*.sql through kysely's Migrator (each file one migration, applied once, in name
 * order), then the configured servers. Throws with the failing migration's name and error.
 */

class SqlFileMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const migrations: Record<string, Migration> = {};
    for (const file of sqlFiles('postgres')) {
      migrations[file.name] = {
        up: (db) =>
          sql
            .raw(file.text)
            .execute(db)
            .then(() => undefined),
      };
    }
    return migrations;
  }
}

/**
 * Migrates: Asterisk's cel/cdr tables of each server, then sql/postgres/*.sql, then registers the
 * servers in app.asterisk_servers. Resolves with the names of the migrations applied now; throws
 * `migration NAME failed: …`.
 */
export async function migratePostgres(
  db: Kysely<Database>,
  servers: readonly AsteriskServerConfig[],
): Promise<string[]> {
  for (const server of servers) {
    // One transaction per schema: concurrent starters serialise on the advisory lock.
    await db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`asterisk-ddl:${server.schema}`}))`.execute(trx);
      await sql.raw(asteriskTablesDdl(server.schema)).execute(trx);
    });
  }
  const migrator = new Migrator({
    db,
    provider: new SqlFileMigrationProvider(),
    migrationTableSchema: 'public',
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    throw new Error(
      `migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  for (const server of servers) {
    await db
      .insertInto('app.asterisk_servers')
      .values({ id: server.id, name: server.id, cel_schema: server.schema, time_zone: server.timeZone })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({ cel_schema: server.schema, time_zone: server.timeZone }),
      )
      .execute();
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
