import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The project's DDL as files: `asterisk/` (Asterisk's cel/cdr tables, per server schema),
 * `postgres/` (application migrations, applied in file-name order by kysely's Migrator) and
 * `clickhouse/` (facts DDL, applied in order and recorded in ClickHouse).
 */

export const SQL_DIR = fileURLToPath(new URL('./', import.meta.url));

export interface SqlFile {
  /** File name without `.sql`, e.g. `001_core`: the migration name. */
  name: string;
  text: string;
}

/** The `.sql` files of one folder, sorted by name. */
export function sqlFiles(folder: 'asterisk' | 'postgres' | 'clickhouse'): SqlFile[] {
  const dir = `${SQL_DIR}${folder}/`;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => ({ name: f.slice(0, -4), text: readFileSync(dir + f, 'utf8') }));
}

/**
 * The Asterisk cel/cdr DDL for one server's schema: substitutes psql's `:"schema"` variable with
 * the quoted identifier. Throws on a schema name that is not a plain identifier.
 */
export function asteriskTablesDdl(schema: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name "${schema}"`);
  return sqlFiles('asterisk')
    .map((f) => f.text.replaceAll(':"schema"', `"${schema}"`))
    .join('\n');
}

/** Splits a DDL file into statements (ClickHouse runs one statement per request). */
export function splitStatements(text: string): string[] {
  return text
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter(Boolean);
}
