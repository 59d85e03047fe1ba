import { describe, expect, it } from 'vitest';
import { activeFilterCount, apiQuery, filtersFromSearch, searchFromFilters } from '../journal-filters.ts';

describe('journal filters in the URL', () => {
  it('reads the parameters it knows and drops values the API would refuse', () => {
    const filters = filtersFromSearch(
      new URLSearchParams(
        'status=abandoned&queue=support&from=2026-11-21&to=2026-13-40&direction=sideways&purpose_id=0&tag_id=7&sort=talk_sec&order=up&utm=x',
      ),
    );
    expect(filters).toEqual({
      status: 'abandoned',
      queue: 'support',
      from: '2026-11-21',
      to: undefined,
      direction: undefined,
      purpose_id: undefined,
      tag_id: '7',
      sort: 'talk_sec',
      order: undefined,
      operator: undefined,
      number: undefined,
      q: undefined,
      card: undefined,
      needs_callback: undefined,
      category_id: undefined,
      subcategory_id: undefined,
    });
    expect(activeFilterCount(filters)).toBe(4);
  });

  it('writes back only what is set, leaving out the default sort', () => {
    const search = searchFromFilters({ status: 'missed', sort: 'started_at', order: 'desc', q: 'запись' });
    expect(search.toString()).toBe('status=missed&q=%D0%B7%D0%B0%D0%BF%D0%B8%D1%81%D1%8C');
    const round = filtersFromSearch(
      searchFromFilters({ card: 'incomplete', sort: 'wait_sec', order: 'asc' }),
    );
    expect(round).toMatchObject({ card: 'incomplete', sort: 'wait_sec', order: 'asc' });
  });

  it('turns calendar days into the API instants in the viewer zone, `to` inclusive', () => {
    const query = apiQuery({ from: '2026-11-21', to: '2026-11-21', status: 'answered' }, 'Europe/Moscow', {
      limit: 100,
    });
    expect(Object.fromEntries(query)).toEqual({
      from: '2026-11-20T21:00:00.000Z',
      to: '2026-11-21T21:00:00.000Z',
      status: 'answered',
      sort: 'started_at',
      order: 'desc',
      limit: '100',
    });
  });

  it('gives the export the same filters without paging (the export refuses sort and limit)', () => {
    const query = apiQuery({ queue: 'sales', sort: 'talk_sec', order: 'asc' }, 'UTC');
    expect(query.toString()).toBe('queue=sales');
  });
});
