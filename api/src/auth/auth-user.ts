/**
 * The authenticated user as every route sees it (docs/roles.md#scope): an operator sees the calls
 * where they are the operator or were rung (their `endpoint` on `serverId`); a supervisor the calls
 * of their `queues`; an admin everything.
 */
export type Role = 'operator' | 'supervisor' | 'admin';

export const ROLES: readonly Role[] = ['operator', 'supervisor', 'admin'];

export interface AuthUser {
  id: number;
  login: string;
  role: Role;
  /** The operator's phone endpoint (`101`), or null. */
  endpoint: string | null;
  /** Asterisk server of the endpoint and queues. */
  serverId: string;
  /** Queue names a supervisor may see (empty for other roles). */
  queues: string[];
}
