import type { DictionaryEntryResponse, DictionaryListResponse } from '@callcenter/api/types';
import { useQuery } from '@tanstack/react-query';
import { apiJson } from '../api/http.ts';

/**
 * The call-card dictionaries (`GET /dictionaries/{kind}`): every role reads the live entries;
 * admins may ask for soft-deleted ones too. Query keys start with `'dictionaries'`, so one
 * invalidation after an admin edit refreshes every list that shows them.
 */

export const DICTIONARY_KINDS = ['purposes', 'categories', 'subcategories', 'tags'] as const;
/** One of the four call-card dictionaries. */
export type DictionaryKind = (typeof DICTIONARY_KINDS)[number];

/** One entry: `deletedAt` (ISO) set once soft-deleted; `categoryId` on subcategories only. */
export type DictionaryEntry = DictionaryEntryResponse;

/** The query key of one dictionary's live (or all) entries; starts with `dictionaries`. */
export const dictionaryKey = (kind: DictionaryKind, includeDeleted = false) =>
  ['dictionaries', kind, includeDeleted ? 'all' : 'live'] as const;

/** Entries of one dictionary, ordered by sortOrder then name (the API's order). */
export function useDictionary(
  kind: DictionaryKind,
  options: { includeDeleted?: boolean; enabled?: boolean } = {},
) {
  const includeDeleted = options.includeDeleted ?? false;
  return useQuery({
    queryKey: dictionaryKey(kind, includeDeleted),
    queryFn: ({ signal }) =>
      apiJson<DictionaryListResponse>(
        `/dictionaries/${kind}${includeDeleted ? '?include_deleted=true' : ''}`,
        { signal },
      ).then((r) => r.items),
    enabled: options.enabled ?? true,
    staleTime: 5 * 60_000,
  });
}
