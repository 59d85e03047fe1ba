import type { QueueResponse } from '@callcenter/api/types';
import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { apiJson } from '../api/http.ts';
import { useUser } from '../auth/session.tsx';
import { browserTimeZone } from './format.ts';

/**
 * Queues and their settings (`GET /queues`: supervisors get their queues, admins all, operators a
 * 403 — they fall back to the browser's zone). Reports and times run in the queue's own zone
 * (docs/metrics.md#time-zones), so every page shows a call's times in its queue's zone.
 */

/** One queue and its settings (name, display name, IANA time zone, service level in seconds). */
export type QueueSettings = QueueResponse;

/** The query key of `GET /queues`. */
export const QUEUES_QUERY_KEY = ['queues'] as const;

/** `GET /queues` through TanStack Query; disabled for operators (the API refuses them). */
export function useQueues() {
  const user = useUser();
  return useQuery({
    queryKey: QUEUES_QUERY_KEY,
    queryFn: ({ signal }) => apiJson<{ items: QueueSettings[] }>('/queues', { signal }).then((r) => r.items),
    enabled: user.role !== 'operator',
    staleTime: 5 * 60_000,
  });
}

/**
 * A function from a call's queue (and server) to the zone its times are shown in: the queue's zone
 * when known, else the browser's.
 */
export function useQueueTimeZone(): (queue: string | null | undefined, serverId?: string) => string {
  const { data } = useQueues();
  const fallback = browserTimeZone();
  return useCallback(
    (queue, serverId) => {
      if (!queue || !data) return fallback;
      const match =
        data.find((q) => q.name === queue && (serverId === undefined || q.serverId === serverId)) ??
        data.find((q) => q.name === queue);
      return match?.timeZone ?? fallback;
    },
    [data, fallback],
  );
}
