import type { QueueResponse } from '@callcenter/api/types';
import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { apiJson } from '../api/http.ts';
import { browserTimeZone } from './format.ts';

/**
 * Queues and their settings (`GET /queues`: supervisors get their queues, admins all, operators
 * their server's) and the installation's zone (`defaultTimeZone`, the Asterisk server's). One rule
 * on every page (docs/metrics.md#time-zones): a call's times are shown in its queue's zone, else
 * in the installation's — never in the browser's, which may differ from the clinic's — and the
 * zone is named on screen.
 */

/** One queue and its settings (name, display name, IANA time zone, service level in seconds). */
export type QueueSettings = QueueResponse;

/** `GET /queues`: the queues and the installation's zone (for a call without a queue). */
interface QueuesResponse {
  items: QueueSettings[];
  defaultTimeZone: string;
}

/** The query key of `GET /queues`. */
export const QUEUES_QUERY_KEY = ['queues'] as const;

const queuesQuery = {
  queryKey: QUEUES_QUERY_KEY,
  queryFn: ({ signal }: { signal: AbortSignal }) => apiJson<QueuesResponse>('/queues', { signal }),
  staleTime: 5 * 60_000,
};

/** `GET /queues` through TanStack Query: the queues. */
export function useQueues() {
  return useQuery({ ...queuesQuery, select: (r: QueuesResponse) => r.items });
}

/** The installation's IANA zone (the browser's until `GET /queues` answers). */
export function useInstallationTimeZone(): string {
  const { data } = useQuery({ ...queuesQuery, select: (r: QueuesResponse) => r.defaultTimeZone });
  return data ?? browserTimeZone();
}

/**
 * A function from a call's queue (and server) to the zone its times are shown in: the queue's zone
 * when known, else the installation's.
 */
export function useQueueTimeZone(): (queue: string | null | undefined, serverId?: string) => string {
  const { data } = useQueues();
  const fallback = useInstallationTimeZone();
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

/** A function from a queue's Asterisk name (and server) to the name people read: its display name. */
export function useQueueDisplayName(): (queue: string | null | undefined, serverId?: string) => string {
  const { data } = useQueues();
  return useCallback(
    (queue, serverId) => {
      if (!queue) return '—';
      const match =
        data?.find((q) => q.name === queue && (serverId === undefined || q.serverId === serverId)) ??
        data?.find((q) => q.name === queue);
      return match?.displayName || queue;
    },
    [data],
  );
}
