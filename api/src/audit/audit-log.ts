import type { Database } from '@callcenter/platform/database';
import type { Kysely, Transaction } from 'kysely';

/**
 * The one writer of app.audit_log (sql/postgres/003_users_and_audit.sql): every login, listen,
 * download, export and card edit leaves a row. Pass the transaction that made the change, so a
 * change is never committed without its row nor a row without its change.
 */

/** Who acted: a signed-in user, or (a failed login) just the login that was tried. */
export interface AuditActor {
  id: number | null;
  login: string;
}

/**
 * One row to append to app.audit_log: who acted, the action, what it concerned (`call:42`), the
 * client address and details (JSON).
 */
export interface AuditEntry {
  user: AuditActor;
  /** `login`, `logout`, `card_edit`, `card_create`, `recording_listen`, `export`, … */
  action: string;
  /** What was acted on, as `<kind>:<id>` (`call:42`); null when nothing in particular. */
  target?: string | null;
  /** The client's address (auth/request-origin.ts `clientIp`); null when unknown. */
  ip?: string | null;
  /** Structured context (changed fields, filters of an export, …); stored as jsonb. */
  details?: Record<string, unknown>;
}

/** Appends one row to app.audit_log and returns its id. */
export async function audit(
  db: Kysely<Database> | Transaction<Database>,
  entry: AuditEntry,
): Promise<number> {
  const row = await db
    .insertInto('app.audit_log')
    .values({
      user_id: entry.user.id,
      login: entry.user.login,
      action: entry.action,
      target: entry.target ?? null,
      ip: entry.ip ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
