import { Button, Group, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useMatch, useNavigate } from 'react-router';
import type { CallSummary } from '../api/calls.ts';
import { saveBlob } from '../api/file-download.ts';
import { useUser } from '../auth/session.tsx';
import { ApiErrorAlert } from '../ui/api-error-alert.tsx';
import { formatCount } from '../ui/format.ts';
import { DownloadIcon, RefreshIcon } from '../ui/icons.tsx';
import { PageHeader } from '../ui/page-header.tsx';
import { useInstallationTimeZone } from '../ui/queue-time-zones.ts';
import { CallDrawer } from './call-drawer.tsx';
import { CallTable } from './call-table.tsx';
import { fetchExport, type SortKey } from './calls-api.ts';
import { JournalFilterBar } from './journal-filter-bar.tsx';
import {
  apiQuery,
  DEFAULT_SORT,
  filtersFromSearch,
  type JournalFilters,
  searchFromFilters,
} from './journal-filters.ts';
import { useJournalCalls } from './use-journal-calls.ts';

/**
 * The call journal (`/journal`): every call in the user's scope (the API applies it), filtered
 * and sorted through the URL, loaded page by page as the table scrolls. Shows the total honestly
 * (`10 000+` past the API's exact-count cap), opens a call at `/journal/calls/:id`, and exports the
 * current filter as CSV (supervisors and admins).
 */

export function JournalPage() {
  const { t, i18n } = useTranslation();
  const user = useUser();
  const location = useLocation();
  const navigate = useNavigate();
  const callId = useMatch('/journal/calls/:callId')?.params.callId;
  const search = useMemo(() => new URLSearchParams(location.search), [location.search]);
  const filters = useMemo(() => filtersFromSearch(search), [search]);
  // Day boundaries of the period filter are the installation's days (docs/metrics.md#time-zones).
  const zone = useInstallationTimeZone();
  const journal = useJournalCalls(filters, zone);

  const setFilters = useCallback(
    (next: JournalFilters) => {
      const query = searchFromFilters(next).toString();
      navigate({ pathname: location.pathname, search: query ? `?${query}` : '' }, { replace: true });
    },
    [navigate, location.pathname],
  );
  const openCall = (call: CallSummary) =>
    navigate({ pathname: `/journal/calls/${call.id}`, search: location.search });
  const closeCall = () => navigate({ pathname: '/journal', search: location.search });

  const exportCsv = useMutation({
    mutationFn: (format: 'csv' | 'xlsx') => {
      // Headers, words and number format in the user's language (GET /export/calls.* `locale`:
      // `ru` is the `;`, decimal-comma CSV Russian Excel opens).
      const query = apiQuery(filters, zone);
      query.set('locale', i18n.resolvedLanguage === 'en' ? 'en' : 'ru');
      return fetchExport(query, format);
    },
    onSuccess: ({ blob, fileName }, format) => {
      saveBlob(blob, fileName ?? `calls.${format}`);
      notifications.show({ color: 'teal', message: t('journal.exported') });
    },
  });

  const totalText =
    journal.total === null
      ? '…'
      : journal.totalExact
        ? t('journal.total', { count: journal.total, formatted: formatCount(journal.total, i18n.language) })
        : t('journal.totalCapped', { formatted: formatCount(journal.total, i18n.language) });

  const canExport = user.role === 'supervisor' || user.role === 'admin';
  const selected = callId && /^\d+$/.test(callId) ? Number(callId) : null;

  return (
    <>
      <PageHeader
        title={t('journal.title')}
        subtitle={
          <Group gap="xs" component="span">
            <Text span size="sm" fw={600} c="var(--mantine-color-text)" data-testid="journal-total">
              {totalText}
            </Text>
            <Text span size="sm" c="dimmed">
              · {t('journal.zoneNote', { zone })}
            </Text>
          </Group>
        }
        actions={
          <>
            <Tooltip label={t('journal.refresh')}>
              <Button
                variant="default"
                onClick={() => void journal.refetch()}
                loading={journal.isRefetching && !journal.isFetchingNextPage}
                aria-label={t('journal.refresh')}
                data-testid="journal-refresh"
              >
                <RefreshIcon size={16} />
              </Button>
            </Tooltip>
            {canExport && (
              <Button
                variant="default"
                leftSection={<DownloadIcon size={16} />}
                onClick={() => exportCsv.mutate('xlsx')}
                loading={exportCsv.isPending && exportCsv.variables === 'xlsx'}
                data-testid="journal-export-xlsx"
              >
                {t('journal.exportXlsx')}
              </Button>
            )}
            {canExport && (
              <Button
                leftSection={<DownloadIcon size={16} />}
                onClick={() => exportCsv.mutate('csv')}
                loading={exportCsv.isPending && exportCsv.variables === 'csv'}
                data-testid="journal-export"
              >
                {t('journal.export')}
              </Button>
            )}
          </>
        }
      />
      <JournalFilterBar filters={filters} onChange={setFilters} />
      {journal.error && <ApiErrorAlert error={journal.error} />}
      {exportCsv.error && <ApiErrorAlert error={exportCsv.error} title={t('journal.exportFailed')} />}
      <CallTable
        calls={journal.calls}
        sort={(filters.sort ?? DEFAULT_SORT.sort) as SortKey}
        order={filters.order ?? DEFAULT_SORT.order}
        onSortChange={(sort, order) => setFilters({ ...filters, sort, order })}
        hasNextPage={journal.hasNextPage}
        isFetchingNextPage={journal.isFetchingNextPage}
        fetchNextPage={() => void journal.fetchNextPage()}
        onOpen={openCall}
        selectedId={selected}
        loading={journal.isPending}
      />
      <CallDrawer callId={selected} onClose={closeCall} />
    </>
  );
}
