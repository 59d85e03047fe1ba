/**
 * The authenticated user as every route sees it (docs/roles.md#scope): an operator sees the calls
 * where they are the operator or were rung (their `endpoint` on `serverId`); a supervisor the calls
 * of their `queues`; an admin everything.
 */
export type Role = 'operator' | 'supervisor' | 'admin';

/** The three roles (docs/roles.md), least to most privileged. */
export const ROLES: readonly Role[] = ['operator', 'supervisor', 'admin'];

/**
 * The signed-in user as the access token carries it and every scoped query reads it: id, login,
 * role, server, phone endpoint (operators) and the queues a supervisor may see.
 */
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
  /**
   * The user must choose a new password before anything else (docs/roles.md#sign-in): every route
   * but PUT /me/password answers 403 `password_change_required`. Absent means false.
   */
  mustChangePassword?: boolean;
}
