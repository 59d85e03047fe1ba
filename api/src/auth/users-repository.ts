import type { Database } from '@callcenter/platform/database';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { AuthUser, Role } from './auth-user.ts';

/**
 * The people who may sign in (app.users + app.user_queues). Logins are matched case-insensitively
 * (the table's unique index is on `lower(login)`), so `Alice` and `alice` are one user.
 */
export interface UserRecord extends AuthUser {
  displayName: string;
  active: boolean;
  /** The bcrypt hash; never leaves the server. */
  passwordHash: string;
}

type Db = Kysely<Database> | Transaction<Database>;

const columns = [
  'id',
  'login',
  'password_hash',
  'role',
  'display_name',
  'server_id',
  'operator_endpoint',
  'active',
  'must_change_password',
] as const;

async function withQueues(
  db: Db,
  row:
    | {
        id: number;
        login: string;
        password_hash: string;
        role: Role;
        display_name: string;
        server_id: string;
        operator_endpoint: string | null;
        active: boolean;
        must_change_password: boolean;
      }
    | undefined,
): Promise<UserRecord | null> {
  if (!row) return null;
  return {
    id: row.id,
    login: row.login,
    passwordHash: row.password_hash,
    role: row.role,
    displayName: row.display_name,
    serverId: row.server_id,
    endpoint: row.operator_endpoint,
    active: row.active,
    mustChangePassword: row.must_change_password,
    queues: await loadQueues(db, row.id),
  };
}

/** The user whose login equals `login` ignoring case (surrounding spaces ignored), with queues; or null. */
export async function findUserByLogin(db: Db, login: string): Promise<UserRecord | null> {
  const row = await db
    .selectFrom('app.users')
    .select(columns)
    .where(sql<string>`lower(login)`, '=', login.trim().toLowerCase())
    .executeTakeFirst();
  return withQueues(db, row);
}

/** The user with this id, with queues; or null. */
export async function findUserById(db: Db, id: number): Promise<UserRecord | null> {
  const row = await db.selectFrom('app.users').select(columns).where('id', '=', id).executeTakeFirst();
  return withQueues(db, row);
}

/** A supervisor's queue names, sorted. */
export async function loadQueues(db: Db, userId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('app.user_queues')
    .select('queue')
    .where('user_id', '=', userId)
    .orderBy('queue')
    .execute();
  return rows.map((r) => r.queue);
}

/** The token claims and the API's view of a user (no hash, no `active`). */
export const toAuthUser = (user: UserRecord): AuthUser => ({
  id: user.id,
  login: user.login,
  role: user.role,
  endpoint: user.endpoint,
  serverId: user.serverId,
  queues: user.queues,
  mustChangePassword: user.mustChangePassword ?? false,
});

/** A whole user as `callcenter user add` and `POST /users` give it (password already hashed). */
export interface UserSpec {
  login: string;
  passwordHash: string;
  role: Role;
  displayName: string;
  /** Must be a registered app.asterisk_servers id. */
  serverId: string;
  endpoint: string | null;
  queues: string[];
  /**
   * Must the user choose a new password at the next sign-in? Set by the API for passwords an
   * administrator chose and for the demo users; absent leaves the stored flag as it is.
   */
  mustChangePassword?: boolean;
}

/** The `app.users` columns a {@link UserSpec} sets (its queues go to app.user_queues). */
export const userColumns = (spec: UserSpec) => ({
  login: spec.login,
  password_hash: spec.passwordHash,
  role: spec.role,
  display_name: spec.displayName,
  server_id: spec.serverId,
  operator_endpoint: spec.endpoint,
  ...(spec.mustChangePassword !== undefined && { must_change_password: spec.mustChangePassword }),
});

/**
 * Creates the user, or replaces every field of the one with the same login (ignoring case; the
 * stored spelling becomes `spec.login`) and reactivates it; its queues become exactly
 * `spec.queues`. One transaction. `created` says which happened.
 */
export async function upsertUser(
  db: Kysely<Database>,
  spec: UserSpec,
): Promise<{ id: number; created: boolean }> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('app.users')
      .values(userColumns(spec))
      .onConflict((oc) =>
        oc.expression(sql`lower(login)`).doUpdateSet({
          ...userColumns(spec),
          active: true,
          updated_at: sql`now()`,
        }),
      )
      // xmax is 0 for a row this statement inserted, the updating transaction's id otherwise.
      .returning(['id', sql<boolean>`(xmax = 0)`.as('created')])
      .executeTakeFirstOrThrow();
    await replaceUserQueues(trx, row.id, spec.queues);
    return { id: row.id, created: row.created };
  });
}

/** Makes `queues` (duplicates dropped) exactly the queue scope of user `userId`, inside `trx`. */
export async function replaceUserQueues(
  trx: Transaction<Database>,
  userId: number,
  queues: readonly string[],
): Promise<void> {
  await trx.deleteFrom('app.user_queues').where('user_id', '=', userId).execute();
  const unique = [...new Set(queues)];
  if (unique.length > 0) {
    await trx
      .insertInto('app.user_queues')
      .values(unique.map((queue) => ({ user_id: userId, queue })))
      .execute();
  }
}
