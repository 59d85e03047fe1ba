import { Accordion, Alert, Badge, Button, Code, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { apiJson } from '../api/http.ts';
import { ApiErrorAlert } from '../ui/api-error-alert.tsx';
import { formatBytes, formatDateTime, formatDuration } from '../ui/format.ts';
import { useInstallationTimeZone } from '../ui/queue-time-zones.ts';

/**
 * The nightly archive to the NAS (`/admin/archive`, `GET /archive/runs`; the run record is
 * archive/src/archive-run-record.ts): the latest runs with status, target, size written,
 * duration and errors, each run's steps (PostgreSQL dump, recordings, ClickHouse Parquet,
 * retention) with their figures. Says when ARCHIVE_DIR is unset (nothing is archived), offers
 * "run now" (`POST /archive/runs`, handed to the main job), and names a failure in the user's
 * language — the archiver's own message is shown apart, as technical detail. Refreshed every 5 s
 * while a run is in progress.
 */

export interface ArchiveStep {
  step: string;
  status: 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';
  started_at: string | null;
  finished_at: string | null;
  duration_sec: number | null;
  bytes: number;
  files: number;
  progress: string | null;
  detail: Record<string, unknown>;
  error: string | null;
}

export interface ArchiveRun {
  id: number;
  trigger: 'scheduled' | 'manual';
  status: 'requested' | 'running' | 'succeeded' | 'failed';
  target_dir: string;
  archive_date: string | null;
  time_zone: string;
  requested_by: string;
  requested_at: string;
  started_at: string | null;
  finished_at: string | null;
  duration_sec: number | null;
  bytes_written: number;
  error: string | null;
  runner: string | null;
  steps: ArchiveStep[];
}

/** `GET /archive/runs` (api/src/routes/archive/archive-schemas.ts). */
export interface ArchiveRunList {
  items: ArchiveRun[];
  total: number;
  limit: number;
  offset: number;
  /** When the newest successful run finished; null if none ever did. */
  last_success_at: string | null;
  /** ARCHIVE_DIR is set. */
  configured: boolean;
  /** ARCHIVE_DIR, null when unset. */
  target: string | null;
}

const STATUS_COLORS: Record<string, string> = {
  succeeded: 'teal',
  failed: 'red',
  running: 'blue',
  requested: 'gray',
  pending: 'gray',
  skipped: 'gray',
};

const inProgress = (run: ArchiveRun) => run.status === 'running' || run.status === 'requested';

/** The failed step's name in the user's language, for a run that failed. */
function failureText(run: ArchiveRun, t: (key: string, options?: Record<string, unknown>) => string): string {
  if (run.status !== 'failed') return '';
  const step = run.steps.find((s) => s.status === 'failed');
  return step
    ? t('admin.archive.failedStep', {
        step: t(`admin.archive.steps.${step.step}`, { defaultValue: step.step }),
      })
    : t('admin.archive.failed');
}

export function ArchivePanel() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const queryClient = useQueryClient();
  const installationZone = useInstallationTimeZone();
  const runs = useQuery({
    queryKey: ['archive', 'runs'],
    queryFn: ({ signal }) => apiJson<ArchiveRunList>('/archive/runs?limit=30', { signal }),
    refetchInterval: (query) => (query.state.data?.items.some(inProgress) ? 5_000 : false),
  });
  const runNow = useMutation({
    mutationFn: () => apiJson<{ id: number }>('/archive/runs', { method: 'POST' }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('admin.archive.requested') });
      void queryClient.invalidateQueries({ queryKey: ['archive', 'runs'] });
    },
  });
  if (runs.error) return <ApiErrorAlert error={runs.error} />;
  if (!runs.data) return null;
  const { items, total, last_success_at: lastSuccessAt, configured, target } = runs.data;
  const busy = items.some(inProgress);
  const why = !configured
    ? t('admin.archive.runNowUnconfigured')
    : busy
      ? t('admin.archive.runNowBusy')
      : null;
  const header = (
    <>
      {!configured && (
        <Alert
          color="orange"
          variant="light"
          data-testid="archive-unconfigured"
          title={t('admin.archive.unconfiguredTitle')}
        >
          {t('admin.archive.unconfigured')}
        </Alert>
      )}
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {configured ? t('admin.archive.targetIs', { target }) : null}
        </Text>
        <Tooltip label={why} disabled={!why}>
          <Button
            size="xs"
            onClick={() => runNow.mutate()}
            loading={runNow.isPending}
            disabled={Boolean(why)}
            data-testid="archive-run-now"
          >
            {t('admin.archive.runNow')}
          </Button>
        </Tooltip>
      </Group>
      {runNow.error && <ApiErrorAlert error={runNow.error} />}
    </>
  );
  if (items.length === 0) {
    return (
      <Stack gap="md" data-testid="admin-archive">
        {header}
        <Text c="dimmed" data-testid="archive-empty">
          {t('admin.archive.none')}
        </Text>
      </Stack>
    );
  }
  const last = items[0]!;
  return (
    <Stack gap="md" data-testid="admin-archive">
      {header}
      <Group gap="lg">
        <Text size="sm">
          {t('admin.archive.last')}:{' '}
          <Badge color={STATUS_COLORS[last.status]}>{t(`admin.archive.status.${last.status}`)}</Badge>{' '}
          {formatDateTime(last.started_at ?? last.requested_at, last.time_zone || installationZone, lang)}
        </Text>
        <Text size="sm" c="dimmed">
          {t('admin.archive.lastSuccess')}:{' '}
          {lastSuccessAt ? formatDateTime(lastSuccessAt, last.time_zone || installationZone, lang) : '—'}
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
                    run.time_zone || installationZone,
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
                  {failureText(run, t)}
                </Text>
              </Group>
            </Accordion.Control>
            <Accordion.Panel>
              <Text size="xs" c="dimmed" mb="xs">
                {t('admin.archive.target')}: {run.target_dir} · {t('admin.archive.requestedBy')}:{' '}
                {run.requested_by}
                {run.runner ? ` · ${run.runner}` : ''}
              </Text>
              {run.error && (
                <Text size="xs" mb="xs">
                  {t('admin.archive.technical')}: <Code>{run.error}</Code>
                </Text>
              )}
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
                        {step.error ? (
                          <Code c="red">{step.error}</Code>
                        ) : (
                          <Text size="xs" c="dimmed">
                            {step.progress ?? ''}
                          </Text>
                        )}
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
