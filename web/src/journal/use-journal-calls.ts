import { useInfiniteQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { type CallPage, type CallSummary, fetchCallPage } from '../api/calls.ts';
import { apiQuery, type JournalFilters } from './journal-filters.ts';

/** Calls per page: enough to fill a tall screen twice, small enough to answer fast. */
export const PAGE_SIZE = 100;

/**
 * `GET /calls` pages for the filters, followed by `nextCursor` (keyset pagination: stable while
 * new calls arrive). The key starts with `'calls'`, so live `call.updated`/`call.ended` events
 * (web/src/live) refresh it. The total comes from the first page (exact up to 10 000).
 */
export function useJournalCalls(filters: JournalFilters, zone: string) {
  const query = useMemo(() => apiQuery(filters, zone, { limit: PAGE_SIZE }), [filters, zone]);
  const result = useInfiniteQuery({
    queryKey: ['calls', 'journal', query.toString()],
    queryFn: ({ pageParam, signal }) => {
      const page = new URLSearchParams(query);
      if (pageParam) page.set('cursor', pageParam);
      return fetchCallPage(page, signal);
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last: CallPage) => last.nextCursor,
    placeholderData: (previous) => previous,
  });
  const calls = useMemo<CallSummary[]>(() => result.data?.pages.flatMap((p) => p.items) ?? [], [result.data]);
  const first = result.data?.pages[0];
  return { ...result, calls, total: first?.total ?? null, totalExact: first?.totalExact ?? true };
}
