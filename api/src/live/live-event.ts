import type { AuthUser } from '../auth/auth-user.ts';

/**
 * The live journal's events (GET /live/events) and who may see them. The scope rules are
 * those of scope/call-scope.ts, evaluated in memory per event and per user instead of in SQL:
 *
 * - operator: events of calls on their server where they are the operator or were rung;
 * - supervisor: events of calls on their server whose queue, or any queue passed, is theirs;
 * - admin: every event.
 *
 * Events with the scope `'all'` (e.g. `refetch`) go to every connected user.
 */

/** Event types of the journal. `call.ringing` / screen pops come from the ARI issue via `publish`. */
export type LiveEventType = 'call.updated' | 'call.ended' | 'card.completed' | 'refetch' | (string & {});

/** What the scope rules need to know about a call. */
export interface CallScopeFacts {
  serverId: string;
  /** The call's operator endpoint and every endpoint rung (call_attempts). */
  endpoints: string[];
  /** The call's `queue` and every queue it went through (`queues`). */
  queues: string[];
}

/**
 * Who may see an event: the facts of its call the role scope is checked against, or everyone
 * (`all`: a refetch).
 */
export type LiveScope = CallScopeFacts | 'all';

/** An event as given to `LiveBus.publish`: the bus adds the id and the time. */
export interface LiveEventInput {
  type: LiveEventType;
  scope: LiveScope;
  /** The JSON sent to clients, next to `id`, `type` and `at` (e.g. `{ call: {...} }`). */
  data: Record<string, unknown>;
}

/** A journaled event: ids increase by exactly one per event, across the bus's life. */
export interface LiveEvent extends LiveEventInput {
  id: number;
  /** Wall-clock time it was journaled (ms since epoch). */
  at: number;
}

/** True when `user` may see an event with `scope` (the rules of callScope, in memory). */
export function eventInScope(user: AuthUser, scope: LiveScope): boolean {
  if (scope === 'all') return true;
  switch (user.role) {
    case 'admin':
      return true;
    case 'operator':
      return (
        user.endpoint !== null && scope.serverId === user.serverId && scope.endpoints.includes(user.endpoint)
      );
    case 'supervisor':
      return scope.serverId === user.serverId && scope.queues.some((queue) => user.queues.includes(queue));
    default: {
      // A role this code does not know sees nothing (as in callScope).
      const unknown: never = user.role;
      void unknown;
      return false;
    }
  }
}

/** The SSE `data:` of an event: its payload with `id`, `type` and ISO `at` (never its scope). */
export function eventJson(event: LiveEvent): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    at: new Date(event.at).toISOString(),
    ...event.data,
  });
}
