import { apiJson } from '../../api/http.ts';

/**
 * Operator presence (api/src/routes/presence): `GET /presence` (an operator gets their own row),
 * `GET /presence/reasons`, `PUT /me/presence {state, reason?}`. The change answers with
 * `asterisk.applied` — false with a reason when Asterisk's queues were not paused (no AMI).
 */

export type PresenceState = 'available' | 'paused' | 'offline';

export interface PresenceItem {
  operatorId: number;
  serverId: string;
  endpoint: string;
  name: string;
  state: PresenceState;
  reason: string | null;
  reasonLabel: string | null;
  /** ISO 8601 UTC. */
  since: string;
}

export interface PresenceChangeResult extends PresenceItem {
  asterisk: { applied: boolean; reason: string | null };
}

export interface PauseReason {
  code: string;
  label: string;
}

export const fetchPresence = (signal?: AbortSignal) =>
  apiJson<{ operators: PresenceItem[] }>('/presence', signal ? { signal } : {}).then((r) => r.operators);

export const fetchPauseReasons = (signal?: AbortSignal) =>
  apiJson<{ reasons: PauseReason[] }>('/presence/reasons', signal ? { signal } : {}).then((r) => r.reasons);

export const changePresence = (state: PresenceState, reason?: string) =>
  apiJson<PresenceChangeResult>('/me/presence', {
    method: 'PUT',
    body: state === 'paused' ? { state, reason } : { state },
  });
