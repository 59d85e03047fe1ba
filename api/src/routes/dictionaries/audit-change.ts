import type { Database } from '@callcenter/platform/database';
import type { Context } from 'hono';
import type { Kysely, Transaction } from 'kysely';
import type { ApiEnv } from '../../api-deps.ts';
import { audit } from '../../audit/audit-log.ts';
import type { AuthUser } from '../../auth/auth-user.ts';
import { clientIp } from '../../auth/request-origin.ts';

/** The admin changes the dictionary and queue routes record (app.audit_log.action). */
export type AdminChangeAction = 'dictionary_change' | 'queue_change';

/** Who made an admin change, and from where (auth/request-origin.ts `clientIp`; null when unknown). */
export interface AdminActor {
  user: AuthUser;
  ip: string | null;
}

/** The signed-in user of the request (after `authenticate`) and their address. */
export const actor = (c: Context<ApiEnv>): AdminActor => ({ user: c.get('user'), ip: clientIp(c) });

/**
 * Records one admin change through the shared audit writer (api/src/audit/audit-log.ts), inside
 * the transaction that made it. `target` names the entity as `<kind>:<id>` (`purposes:12`,
 * `queues:3`); `details` is `{op, before, after}` with the entity as the API returns it.
 */
export async function writeAdminChange(
  db: Kysely<Database> | Transaction<Database>,
  actor: AdminActor,
  action: AdminChangeAction,
  target: string,
  details: { op: 'create' | 'update' | 'delete' | 'restore'; before: unknown; after: unknown },
): Promise<void> {
  await audit(db, {
    user: { id: actor.user.id, login: actor.user.login },
    action,
    target,
    ip: actor.ip,
    details,
  });
}
