import type {
  MissedWorklistItem,
  MissedWorklistResponse,
  OperatorSessionDay,
  OperatorSessionsResponse,
} from '@callcenter/api/types';
import { apiJson } from '../api/http.ts';

export type { MissedWorklistItem, MissedWorklistResponse, OperatorSessionDay, OperatorSessionsResponse };

/** `GET /reports/operator-sessions`: per operator and day of `zone`, in the user's scope. */
export function fetchOperatorSessions(
  query: { from: string; to: string; zone: string },
  signal?: AbortSignal,
): Promise<OperatorSessionsResponse> {
  const params = new URLSearchParams(query);
  return apiJson<OperatorSessionsResponse>(`/reports/operator-sessions?${params}`, signal ? { signal } : {});
}

/** `GET /callbacks/worklist`: the period's abandoned and missed calls and the callback KPI. */
export function fetchMissedWorklist(
  query: { from: string; to: string; queue?: string; state: 'owed' | 'reached' | 'all' },
  signal?: AbortSignal,
): Promise<MissedWorklistResponse> {
  const params = new URLSearchParams({ from: query.from, to: query.to, state: query.state, limit: '5000' });
  if (query.queue) params.set('queue', query.queue);
  return apiJson<MissedWorklistResponse>(`/callbacks/worklist?${params}`, signal ? { signal } : {});
}
