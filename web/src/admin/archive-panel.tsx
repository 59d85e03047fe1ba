import type { ArchiveRunListResponse as ArchiveRunList } from '@callcenter/api/types';
import { Accordion, Badge, Group, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { apiJson } from '../api/http.ts';
import { ApiErrorAlert } from '../ui/api-error-alert.tsx';
import { browserTimeZone, formatBytes, formatDateTime, formatDuration } from '../ui/format.ts';

/**
 * The nightly archive to the NAS (`/admin/archive`, `GET /archive/runs`; the run record is
 * archive/src/archive-run-record.ts): the latest runs with status, target, size written,
 * duration and errors, each run's steps (PostgreSQL dump, recordings, ClickHouse Parquet,
 * retention) with their figures. Refreshed every 30 s while a run is in progress.
 */

const STATUS_COLORS: Record<string, string> = {
  succeeded: 'teal',
  failed: 'red',
  running: 'blue',
  requested: 'gray',
  pending: 'gray',
  skipped: 'gray',
};

export function ArchivePanel() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const runs = useQuery({
    queryKey: ['archive', 'runs'],
    queryFn: ({ signal }) => apiJson<ArchiveRunList>('/archive/runs?limit=30', { signal }),
    refetchInterval: (query) =>
      query.state.data?.items.some((run) => run.status === 'running' || run.status === 'requested')
        ? 30_000
        : false,
  });
  if (runs.error) return <ApiErrorAlert error={runs.error} />;
  if (!runs.data) return null;
  const { items, total, last_success_at: lastSuccessAt } = runs.data;
  if (items.length === 0) {
    return (
      <Text c="dimmed" data-testid="archive-empty">
        {t('admin.archive.none')}
      </Text>
    );
  }
  const last = items[0]!;
  return (
    <Stack gap="md" data-testid="admin-archive">
      <Group gap="lg">
        <Text size="sm">
          {t('admin.archive.last')}:{' '}
          <Badge color={STATUS_COLORS[last.status]}>{t(`admin.archive.status.${last.status}`)}</Badge>{' '}
          {formatDateTime(last.started_at ?? last.requested_at, last.time_zone || browserTimeZone(), lang)}
        </Text>
        <Text size="sm" c="dimmed">
          {t('admin.archive.lastSuccess')}:{' '}
          {lastSuccessAt ? formatDateTime(lastSuccessAt, last.time_zone || browserTimeZone(), lang) : '—'}
        </Text>
        <Text size="sm" c="dimmed">
          {t('admin.archive.shown', { shown: items.length, total })}
        </Text>
      </Group>
      <Accordion variant="separated" multiple={false}>
        {items.map((run) => (
          <Accordion.Item key={run.id} value={String(run.id)} data-testid="archive-run">
            <Accordion.Control>
              <Group gap="md" wrap="nowrap">
                <Badge color={STATUS_COLORS[run.status]} w={110}>
                  {t(`admin.archive.status.${run.status}`)}
                </Badge>
                <Text size="sm" w={170}>
                  {formatDateTime(
                    run.started_at ?? run.requested_at,
                    run.time_zone || browserTimeZone(),
                    lang,
                  )}
                </Text>
                <Text size="sm" w={90}>
                  {t(`admin.archive.trigger.${run.trigger}`)}
                </Text>
                <Text size="sm" w={90}>
                  {formatBytes(run.bytes_written, lang)}
                </Text>
                <Text size="sm" w={70}>
                  {formatDuration(run.duration_sec)}
                </Text>
                <Text size="sm" c="red" truncate>
                  {run.error ?? ''}
                </Text>
              </Group>
            </Accordion.Control>
            <Accordion.Panel>
              <Text size="xs" c="dimmed" mb="xs">
                {t('admin.archive.target')}: {run.target_dir} · {t('admin.archive.requestedBy')}:{' '}
                {run.requested_by}
                {run.runner ? ` · ${run.runner}` : ''}
              </Text>
              <Table withTableBorder fz="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('admin.archive.step')}</Table.Th>
                    <Table.Th>{t('admin.archive.state')}</Table.Th>
                    <Table.Th>{t('admin.archive.size')}</Table.Th>
                    <Table.Th>{t('admin.archive.files')}</Table.Th>
                    <Table.Th>{t('admin.archive.duration')}</Table.Th>
                    <Table.Th>{t('admin.archive.details')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {run.steps.map((step) => (
                    <Table.Tr key={step.step}>
                      <Table.Td>
                        {t(`admin.archive.steps.${step.step}`, { defaultValue: step.step })}
                      </Table.Td>
                      <Table.Td>
                        <Badge color={STATUS_COLORS[step.status]}>
                          {t(`admin.archive.status.${step.status}`)}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{formatBytes(step.bytes, lang)}</Table.Td>
                      <Table.Td>{step.files}</Table.Td>
                      <Table.Td>{formatDuration(step.duration_sec)}</Table.Td>
                      <Table.Td>
                        <Text size="xs" c={step.error ? 'red' : 'dimmed'}>
                          {step.error ?? step.progress ?? ''}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Accordion.Panel>
          </Accordion.Item>
        ))}
      </Accordion>
    </Stack>
  );
}
