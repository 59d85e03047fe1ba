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

const ADD_COLUMN = /^ALTER TABLE (\w+) ADD COLUMN IF NOT EXISTS (\w+) (.+?)(?: DEFAULT \S+)? AFTER (\w+)$/s;

/**
 * The facts DDL as a database migrated through every sql/clickhouse file has it: the statements
 * of `001_facts` with the columns later files add (`ALTER TABLE t ADD COLUMN IF NOT EXISTS c T
 * [DEFAULT v] AFTER p`) written into its `CREATE TABLE t` after column `p`. Applied migrations are
 * never edited, so this — not 001 alone — is what the DDL generated from sql/schema must equal.
 * Throws on a later statement of another form, or a table or column it cannot place.
 */
export function migratedFactsStatements(): string[] {
  const [first, ...later] = sqlFiles('clickhouse');
  if (first?.name !== '001_facts') throw new Error('sql/clickhouse starts with 001_facts');
  const statements = splitStatements(first.text);
  for (const file of later) {
    for (const statement of splitStatements(file.text)) {
      const m = ADD_COLUMN.exec(statement);
      if (!m) throw new Error(`${file.name}: not an ADD COLUMN … AFTER …: ${statement.slice(0, 80)}`);
      const [, table, column, type, after] = m;
      const i = statements.findIndex((s) => s.startsWith(`CREATE TABLE IF NOT EXISTS ${table}\n`));
      const lines = i >= 0 ? statements[i]!.split('\n') : [];
      const at = lines.findIndex((l) => l.startsWith(`  ${after} `));
      if (at < 0) throw new Error(`${file.name}: no column ${table}.${after}`);
      lines.splice(at + 1, 0, `  ${column} ${type},`);
      statements[i] = lines.join('\n');
    }
  }
  return statements;
}
