import type {
  PauseReasonListResponse,
  PresenceChangeResponse as PresenceChangeResult,
  PresenceListResponse,
  PresenceState,
} from '@callcenter/api/types';
import { apiJson } from '../../api/http.ts';

/**
 * Operator presence (api/src/routes/presence): `GET /presence` (an operator gets their own row),
 * `GET /presence/reasons`, `PUT /me/presence {state, reason?}`. The change answers with
 * `asterisk.applied` — false with a reason when Asterisk's queues were not paused (no AMI).
 */

/** One operator's presence (the API's own shape): state, pause reason, since (ISO 8601 UTC). */
export type { PresenceResponse as PresenceItem } from '@callcenter/api/types';

/** `GET /presence`: the operators in my scope (an operator gets their own row). */
export const fetchPresence = (signal?: AbortSignal) =>
  apiJson<PresenceListResponse>('/presence', signal ? { signal } : {}).then((r) => r.operators);

/** `GET /presence/reasons`: the pause reasons, in order. */
export const fetchPauseReasons = (signal?: AbortSignal) =>
  apiJson<PauseReasonListResponse>('/presence/reasons', signal ? { signal } : {}).then((r) => r.reasons);

/**
 * `PUT /me/presence`: my new state (a reason with `paused` only); the answer says whether Asterisk
 * paused the queues.
 */
export const changePresence = (state: PresenceState, reason?: string) =>
  apiJson<PresenceChangeResult>('/me/presence', {
    method: 'PUT',
    body: state === 'paused' ? { state, reason } : { state },
  });
