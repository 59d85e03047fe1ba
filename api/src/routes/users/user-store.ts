import type { Database } from '@callcenter/platform/database';
import { type Kysely, sql, type Transaction } from 'kysely';
import { audit } from '../../audit/audit-log.ts';
import type { Role } from '../../auth/auth-user.ts';
import { revokeAllRefreshTokens } from '../../auth/refresh-tokens.ts';
import {
  findUserById,
  replaceUserQueues,
  type UserRecord,
  type UserSpec,
  userColumns,
} from '../../auth/users-repository.ts';
import { badRequest, conflict, notFound } from '../../errors/api-error.ts';
import type { AdminActor } from '../dictionaries/audit-change.ts';

/**
 * Users as admins manage them (app.users + app.user_queues): list, create, change. Logins are
 * unique ignoring case (the table's `lower(login)` index → 409). Nobody is deleted: `active:
 * false` deactivates (sign-in refused, refresh tokens revoked). A changed password also revokes
 * the user's refresh tokens. Every change is audited as `user_change` with `{op, before, after}`
 * (never a hash) in the transaction that made it.
 */

/** A user as the API returns it (no password hash). */
export interface UserView {
  id: number;
  login: string;
  role: Role;
  displayName: string;
  serverId: string;
  endpoint: string | null;
  queues: string[];
  active: boolean;
}

/** A user to create, password already hashed (auth/password-hash.ts). */
export type NewUser = UserSpec;

/** A change to a user; absent fields stay as they are (password already hashed). */
export interface UserChange {
  role?: Role;
  displayName?: string;
  endpoint?: string | null;
  queues?: string[];
  active?: boolean;
  passwordHash?: string;
}

const view = (u: UserRecord): UserView => ({
  id: u.id,
  login: u.login,
  role: u.role,
  displayName: u.displayName,
  serverId: u.serverId,
  endpoint: u.endpoint,
  queues: u.queues,
  active: u.active,
});

/** Every user, by login; with `queues`. */
export async function listUsers(db: Kysely<Database>): Promise<UserView[]> {
  const rows = await db
    .selectFrom('app.users as u')
    .select([
      'u.id',
      'u.login',
      'u.role',
      'u.display_name',
      'u.server_id',
      'u.operator_endpoint',
      'u.active',
      sql<
        string[]
      >`coalesce((SELECT array_agg(q.queue ORDER BY q.queue) FROM app.user_queues q WHERE q.user_id = u.id), '{}')`.as(
        'queues',
      ),
    ])
    .orderBy(sql`lower(u.login)`)
    .orderBy('u.id')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    login: r.login,
    role: r.role,
    displayName: r.display_name,
    serverId: r.server_id,
    endpoint: r.operator_endpoint,
    queues: r.queues,
    active: r.active,
  }));
}

/** One `user_change` row of app.audit_log, target `user:<id>`. */
async function auditUserChange(
  trx: Transaction<Database>,
  who: AdminActor,
  userId: number,
  details: { op: 'create' | 'update'; before: unknown; after: unknown },
): Promise<void> {
  await audit(trx, {
    user: { id: who.user.id, login: who.user.login },
    action: 'user_change',
    target: `user:${userId}`,
    ip: who.ip,
    details,
  });
}

/** The Postgres error code of a failed statement, if any. */
const pgCode = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;

/** Creates a user; 409 when the login is taken (ignoring case), 400 for an unknown server. */
export async function createUser(db: Kysely<Database>, who: AdminActor, spec: NewUser): Promise<UserView> {
  try {
    return await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('app.users')
        .values(userColumns(spec))
        .returning('id')
        .executeTakeFirstOrThrow();
      await replaceUserQueues(trx, row.id, spec.queues);
      const after = view((await findUserById(trx, row.id))!);
      await auditUserChange(trx, who, row.id, { op: 'create', before: null, after });
      return after;
    });
  } catch (error) {
    if (pgCode(error) === '23505') throw conflict(`the login "${spec.login}" is taken`);
    if (pgCode(error) === '23503') throw badRequest(`no Asterisk server "${spec.serverId}"`);
    throw error;
  }
}

/** Applies `change` to user `id` (absent fields stay); 404 for no such user. */
export async function updateUser(
  db: Kysely<Database>,
  who: AdminActor,
  id: number,
  change: UserChange,
): Promise<UserView> {
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('app.users')
      .select('id')
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw notFound(`no user ${id}`);
    const before = view((await findUserById(trx, id))!);
    await trx
      .updateTable('app.users')
      .set({
        ...(change.role !== undefined && { role: change.role }),
        ...(change.displayName !== undefined && { display_name: change.displayName }),
        ...(change.endpoint !== undefined && { operator_endpoint: change.endpoint }),
        ...(change.active !== undefined && { active: change.active }),
        ...(change.passwordHash !== undefined && {
          password_hash: change.passwordHash,
          // A password an administrator set for someone else is replaced at their next sign-in.
          must_change_password: id !== who.user.id,
        }),
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .execute();
    if (change.queues !== undefined) await replaceUserQueues(trx, id, change.queues);
    const signOut = change.passwordHash !== undefined || change.active === false;
    const revoked = signOut ? await revokeAllRefreshTokens(trx, id) : 0;
    const after = view((await findUserById(trx, id))!);
    if (after.role !== 'supervisor' && after.queues.length > 0) {
      throw badRequest('queues apply to supervisors only; send queues: [] with the new role');
    }
    await auditUserChange(trx, who, id, {
      op: 'update',
      before,
      after: { ...after, passwordChanged: change.passwordHash !== undefined, refreshTokensRevoked: revoked },
    });
    return after;
  });
}
