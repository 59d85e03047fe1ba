import type { PresenceListResponse } from '@callcenter/api/types';
import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { apiJson } from '../api/http.ts';

/**
 * Operators by name everywhere: calls, facts and reports name an operator by the phone endpoint
 * (`101`, as Asterisk does); the screens show the operator's name with the endpoint beside it,
 * `Иванова Анна (101)`, through {@link operatorLabel} — one format on every page. Names come from
 * `GET /presence` (app.operators.name; supervisors get their queues' operators, admins everyone,
 * an operator their own row); an endpoint with no known name is shown alone.
 */

/** `Name (endpoint)`; the endpoint alone without a name (or a name equal to it); '' for no endpoint. */
export function operatorLabel(endpoint: string | null | undefined, name?: string | null): string {
  if (!endpoint) return '';
  const n = name?.trim();
  return n && n !== endpoint ? `${n} (${endpoint})` : endpoint;
}

/** The query key of the operators' names (`GET /presence`, read for names only). */
export const OPERATOR_NAMES_QUERY_KEY = ['operators', 'names'] as const;

/**
 * A function from an endpoint (and its server, when known) to {@link operatorLabel}'s text. On
 * several Asterisk servers the same endpoint may be two people: the server picks, else the first.
 */
export function useOperatorLabel(): (
  endpoint: string | null | undefined,
  serverId?: string | null,
) => string {
  const { data } = useQuery({
    queryKey: OPERATOR_NAMES_QUERY_KEY,
    queryFn: ({ signal }) => apiJson<PresenceListResponse>('/presence', { signal }).then((r) => r.operators),
    staleTime: 5 * 60_000,
  });
  return useCallback(
    (endpoint, serverId) => {
      if (!endpoint) return '';
      const match =
        data?.find((o) => o.endpoint === endpoint && (serverId == null || o.serverId === serverId)) ??
        data?.find((o) => o.endpoint === endpoint);
      return operatorLabel(endpoint, match?.name);
    },
    [data],
  );
}
