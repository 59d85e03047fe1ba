import {
  Alert,
  Anchor,
  Badge,
  Group,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { ApiErrorAlert } from '../ui/api-error-alert.tsx';
import { formatDateTime, formatDuration } from '../ui/format.ts';
import { operatorLabel } from '../ui/operator-names.ts';
import { PageHeader } from '../ui/page-header.tsx';
import {
  useInstallationTimeZone,
  useQueueDisplayName,
  useQueues,
  useQueueTimeZone,
} from '../ui/queue-time-zones.ts';
import { PeriodInput } from './period-input.tsx';
import { fetchMissedWorklist, type MissedWorklistItem } from './supervision-api.ts';
import { type DayPeriod, periodFrom, periodQuery } from './supervision-period.ts';

/**
 * Abandoned and missed calls as a worklist (`/missed`): every lost inbound call of the period in
 * the user's scope (a supervisor: their queues) from `GET /callbacks/worklist`, with its wait and
 * whether, when, how and by whom the number was reached again, and the callback KPI above it
 * (docs/metrics.md#missed-calls-worklist-and-callback-kpi). Period, queue and state live in the
 * URL; each call opens in the journal.
 */

type State = 'owed' | 'reached' | 'all';

function percent(value: number | null, language: string): string {
  if (value === null) return '—';
  return new Intl.NumberFormat(language === 'ru' ? 'ru-RU' : 'en-US', {
    style: 'percent',
    maximumFractionDigits: 1,
  }).format(value);
}

function Kpi({
  label,
  value,
  testId,
  hint,
}: {
  label: string;
  value: string;
  testId: string;
  hint?: string;
}) {
  return (
    <Paper withBorder p="sm" radius="md" data-testid={testId}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl" data-testid={`${testId}-value`}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  );
}

export function MissedCallsPage() {
  const { t, i18n } = useTranslation('supervision');
  const zoneOf = useQueueTimeZone();
  const queueName = useQueueDisplayName();
  const queues = useQueues();
  const navigate = useNavigate();
  const location = useLocation();
  const search = useMemo(() => new URLSearchParams(location.search), [location.search]);
  // The period's days are the selected queue's, else the first queue's (as the reports page).
  const installationZone = useInstallationTimeZone();
  const zone =
    (queues.data?.find((q) => q.name === search.get('queue')) ?? queues.data?.[0])?.timeZone ??
    installationZone;
  const period = periodFrom(search, zone);
  const queue = search.get('queue') ?? '';
  const stateParam = search.get('state');
  const state: State = stateParam === 'owed' || stateParam === 'reached' ? stateParam : 'all';
  const query = periodQuery(period, zone);
  const list = useQuery({
    enabled: !queues.isLoading,
    queryKey: ['callbacks', 'worklist', query.from, query.to, queue, state],
    queryFn: ({ signal }) => fetchMissedWorklist({ ...query, state, ...(queue ? { queue } : {}) }, signal),
  });
  const setSearch = (next: DayPeriod & { queue: string; state: State }) => {
    const params = new URLSearchParams({ from: next.from, to: next.to });
    if (next.queue) params.set('queue', next.queue);
    if (next.state !== 'all') params.set('state', next.state);
    navigate({ pathname: location.pathname, search: `?${params}` }, { replace: true });
  };
  const kpi = list.data?.kpi;
  const count = (n: number) => new Intl.NumberFormat(i18n.language === 'ru' ? 'ru-RU' : 'en-US').format(n);
  const when = (item: MissedWorklistItem, iso: string) =>
    formatDateTime(iso, zoneOf(item.queue, item.serverId), i18n.language);

  return (
    <Stack gap="sm">
      <PageHeader title={t('missed.title')} subtitle={t('missed.subtitle')} />
      <Group align="flex-end" gap="sm">
        <PeriodInput value={period} onChange={(next) => setSearch({ ...next, queue, state })} />
        <Select
          label={t('queue')}
          data={[
            { value: '', label: t('all') },
            ...[...new Set((queues.data ?? []).map((q) => q.name))].map((q) => ({
              value: q,
              label: queueName(q),
            })),
          ]}
          value={queue}
          onChange={(value) => setSearch({ ...period, queue: value ?? '', state })}
          allowDeselect={false}
          w={180}
          data-testid="missed-queue"
        />
        <SegmentedControl
          value={state}
          onChange={(value) => setSearch({ ...period, queue, state: value as State })}
          data={[
            { value: 'all', label: t('missed.state.all') },
            { value: 'owed', label: t('missed.state.owed') },
            { value: 'reached', label: t('missed.state.reached') },
          ]}
          data-testid="missed-state"
        />
      </Group>
      {list.error ? <ApiErrorAlert error={list.error} /> : null}
      {kpi && (
        <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm" data-testid="missed-kpi">
          <Kpi
            testId="kpi-lost"
            label={t('missed.kpi.lost')}
            value={count(kpi.lost)}
            hint={t('missed.kpi.lostSplit', { abandoned: kpi.abandoned, missed: kpi.missed })}
          />
          <Kpi testId="kpi-with-number" label={t('missed.kpi.withNumber')} value={count(kpi.withNumber)} />
          <Kpi
            testId="kpi-reached"
            label={t('missed.kpi.reached')}
            value={percent(kpi.reachedShare, i18n.language)}
            hint={t('missed.kpi.ofWithNumber', { count: kpi.reached })}
          />
          <Kpi
            testId="kpi-called-back"
            label={t('missed.kpi.calledBack')}
            value={percent(kpi.calledBackShare, i18n.language)}
            hint={t('missed.kpi.ofWithNumber', { count: kpi.calledBack })}
          />
          <Kpi
            testId="kpi-median"
            label={t('missed.kpi.median')}
            value={formatDuration(kpi.medianTimeToCallbackSec)}
          />
          <Kpi testId="kpi-owed" label={t('missed.kpi.owed')} value={count(kpi.owed)} />
        </SimpleGrid>
      )}
      {list.data && list.data.items.length === 0 && (
        <Alert variant="light" data-testid="missed-empty">
          {t('missed.empty')}
        </Alert>
      )}
      {list.data && list.data.items.length > 0 && (
        <Table.ScrollContainer minWidth={1000}>
          <Table striped highlightOnHover fz="sm" data-testid="missed-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('missed.columns.when')}</Table.Th>
                <Table.Th>{t('missed.columns.queue')}</Table.Th>
                <Table.Th>{t('missed.columns.status')}</Table.Th>
                <Table.Th>{t('missed.columns.number')}</Table.Th>
                <Table.Th ta="right">{t('missed.columns.wait')}</Table.Th>
                <Table.Th>{t('missed.columns.reached')}</Table.Th>
                <Table.Th ta="right">{t('missed.columns.after')}</Table.Th>
                <Table.Th>{t('missed.columns.by')}</Table.Th>
                <Table.Th ta="right">{t('missed.columns.attempts')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((item) => (
                <Table.Tr key={item.callId} data-linkedid={item.linkedid}>
                  <Table.Td data-column="when">
                    <Anchor component={Link} to={`/journal/calls/${item.callId}`} size="sm">
                      {when(item, item.startedAt)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td data-column="queue">{queueName(item.queue, item.serverId)}</Table.Td>
                  <Table.Td data-column="status">
                    <Badge color={item.status === 'abandoned' ? 'red' : 'orange'} variant="light" tt="none">
                      {t(`missed.status.${item.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td data-column="number">{item.e164 ?? item.number ?? '—'}</Table.Td>
                  <Table.Td ta="right" data-column="wait">
                    {formatDuration(item.queueWaitSec ?? item.waitSec)}
                  </Table.Td>
                  <Table.Td data-column="reached">
                    {item.reachedAgain ? (
                      <Group gap={4}>
                        <Badge color="teal" variant="light" tt="none">
                          {t(`missed.direction.${item.reachedAgain.direction}`)}
                        </Badge>
                        <Anchor component={Link} to={`/journal/calls/${item.reachedAgain.callId}`} size="sm">
                          {when(item, item.reachedAgain.startedAt)}
                        </Anchor>
                      </Group>
                    ) : item.e164 ? (
                      <Badge color="red" variant="outline" tt="none">
                        {t('missed.notReached')}
                      </Badge>
                    ) : (
                      <Text size="xs" c="dimmed">
                        {t('missed.noNumber')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right" data-column="after">
                    {item.reachedAgain ? formatDuration(item.reachedAgain.afterSec) : '—'}
                  </Table.Td>
                  <Table.Td data-column="by">
                    {item.reachedAgain?.operatorEndpoint
                      ? operatorLabel(item.reachedAgain.operatorEndpoint, item.reachedAgain.operatorName)
                      : '—'}
                  </Table.Td>
                  <Table.Td ta="right" data-column="attempts">
                    {item.callbackAttempts}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {list.data && list.data.total > list.data.items.length && (
        <Text size="xs" c="dimmed">
          {t('missed.truncated', { shown: list.data.items.length, total: list.data.total })}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {t('missed.definitions')}
      </Text>
    </Stack>
  );
}
