import { Alert, Badge, Group, Progress, Select, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { DateTime } from 'luxon';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { ApiErrorAlert } from '../ui/api-error-alert.tsx';
import { formatDuration, formatTime } from '../ui/format.ts';
import { operatorLabel } from '../ui/operator-names.ts';
import { PageHeader } from '../ui/page-header.tsx';
import { useInstallationTimeZone, useQueues } from '../ui/queue-time-zones.ts';
import { PeriodInput } from './period-input.tsx';
import { fetchOperatorSessions, type OperatorSessionDay } from './supervision-api.ts';
import { type DayPeriod, periodFrom, periodQuery } from './supervision-period.ts';

/**
 * Operator sessions and pauses (`/sessions`): per operator and day of the first queue's zone (as
 * the reports page; the installation's without queues),
 * from `GET /reports/operator-sessions` — first login, last logout, logged-in, available, talk,
 * paused by reason, wrap-up and occupancy (docs/metrics.md#operator-sessions-and-occupancy), with
 * the day's presence as a strip (available / paused / offline). Supervisors see the members of
 * their queues, operators themselves, admins everyone. Period and operator live in the URL.
 */

const STATE_COLORS = { available: 'teal', paused: 'orange', offline: 'gray' } as const;

function percent(value: number | null, language: string): string {
  if (value === null) return '—';
  return new Intl.NumberFormat(language === 'ru' ? 'ru-RU' : 'en-US', {
    style: 'percent',
    maximumFractionDigits: 1,
  }).format(value);
}

/** The day's presence intervals as a strip over 00:00–24:00 of the zone. */
function DayStrip({ row, zone }: { row: OperatorSessionDay; zone: string }) {
  const { t, i18n } = useTranslation('supervision');
  const start = DateTime.fromISO(row.day, { zone }).startOf('day');
  const dayMs = start.plus({ days: 1 }).toMillis() - start.toMillis();
  const now = Date.now();
  const sections = row.intervals
    .filter((i) => i.state !== 'offline')
    .map((i) => {
      const a = Date.parse(i.startedAt);
      const b = i.endedAt ? Date.parse(i.endedAt) : Math.min(now, start.toMillis() + dayMs);
      return { i, left: ((a - start.toMillis()) / dayMs) * 100, width: ((b - a) / dayMs) * 100 };
    });
  return (
    <Progress.Root size={12} w={130} data-testid="session-strip">
      {sections.map(({ i, left, width }, index) => {
        const previousEnd = index === 0 ? 0 : sections[index - 1]!.left + sections[index - 1]!.width;
        const gap = Math.max(0, left - previousEnd);
        return [
          gap > 0 ? <Progress.Section key={`gap-${i.startedAt}`} value={gap} color="gray.2" /> : null,
          <Tooltip
            key={i.startedAt}
            label={`${formatTime(i.startedAt, zone, i18n.language)}–${
              i.endedAt ? formatTime(i.endedAt, zone, i18n.language) : t('sessions.now')
            } ${i.state === 'paused' ? (i.reasonLabel ?? '') : t(`sessions.state.${i.state}`)}`}
          >
            <Progress.Section value={Math.max(width, 0.3)} color={STATE_COLORS[i.state]} />
          </Tooltip>,
        ];
      })}
    </Progress.Root>
  );
}

export function SessionsPage() {
  const { t, i18n } = useTranslation('supervision');
  // Days are the queues' (docs/metrics.md#time-zones): the first queue's zone, as the reports page.
  const queues = useQueues();
  const installationZone = useInstallationTimeZone();
  const zone = queues.data?.[0]?.timeZone ?? installationZone;
  const navigate = useNavigate();
  const location = useLocation();
  const search = useMemo(() => new URLSearchParams(location.search), [location.search]);
  const period = periodFrom(search, zone);
  const operator = search.get('operator') ?? '';
  const query = periodQuery(period, zone);
  const report = useQuery({
    enabled: !queues.isLoading,
    queryKey: ['reports', 'operator-sessions', query.from, query.to, zone],
    queryFn: ({ signal }) => fetchOperatorSessions({ ...query, zone }, signal),
  });
  const setSearch = (next: DayPeriod & { operator: string }) => {
    const params = new URLSearchParams({ from: next.from, to: next.to });
    if (next.operator) params.set('operator', next.operator);
    navigate({ pathname: location.pathname, search: `?${params}` }, { replace: true });
  };
  const days = report.data?.days ?? [];
  const operators = [...new Map(days.map((d) => [String(d.operatorId), d])).values()];
  const shown = operator ? days.filter((d) => String(d.operatorId) === operator) : days;
  // The shown rows added up; occupancy from the sums (docs/metrics.md#operator-sessions-and-occupancy).
  const total = shown.reduce(
    (sum, d) => ({
      loggedInSec: sum.loggedInSec + d.loggedInSec,
      availableSec: sum.availableSec + d.availableSec,
      talkSec: sum.talkSec + d.talkSec,
      talkWhileAvailableSec: sum.talkWhileAvailableSec + d.talkWhileAvailableSec,
      calls: sum.calls + d.calls,
      pausedSec: sum.pausedSec + d.pausedSec,
      wrapUpSec: sum.wrapUpSec + d.wrapUpSec,
    }),
    {
      loggedInSec: 0,
      availableSec: 0,
      talkSec: 0,
      talkWhileAvailableSec: 0,
      calls: 0,
      pausedSec: 0,
      wrapUpSec: 0,
    },
  );
  const hm = (iso: string | null) =>
    iso ? DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toFormat('HH:mm') : '—';
  const dayLabel = (day: string) =>
    DateTime.fromISO(day).setLocale(i18n.language).toLocaleString(DateTime.DATE_SHORT);

  return (
    <Stack gap="sm">
      <PageHeader
        title={t('sessions.title')}
        subtitle={t('sessions.subtitle', { zone })}
        actions={
          <Badge variant="light" tt="none">
            {zone}
          </Badge>
        }
      />
      <Group align="flex-end" gap="sm">
        <PeriodInput value={period} onChange={(next) => setSearch({ ...next, operator })} />
        <Select
          label={t('operator')}
          data={[
            { value: '', label: t('all') },
            ...operators.map((d) => ({
              value: String(d.operatorId),
              label: operatorLabel(d.endpoint, d.name),
            })),
          ]}
          value={operator}
          onChange={(value) => setSearch({ ...period, operator: value ?? '' })}
          allowDeselect={false}
          searchable
          w={220}
          data-testid="sessions-operator"
        />
      </Group>
      {report.error ? <ApiErrorAlert error={report.error} /> : null}
      {report.data && shown.length === 0 && (
        <Alert variant="light" data-testid="sessions-empty">
          {t('sessions.empty')}
        </Alert>
      )}
      {shown.length > 0 && (
        <Table.ScrollContainer minWidth={1000}>
          <Table striped highlightOnHover horizontalSpacing="xs" data-testid="sessions-table" fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('sessions.columns.operator')}</Table.Th>
                <Table.Th>{t('sessions.columns.day')}</Table.Th>
                <Table.Th>{t('sessions.columns.shift')}</Table.Th>
                <Table.Th>{t('sessions.columns.timeline')}</Table.Th>
                <Table.Th ta="right">{t('sessions.columns.loggedIn')}</Table.Th>
                <Table.Th ta="right">{t('sessions.columns.available')}</Table.Th>
                <Table.Th ta="right">{t('sessions.columns.talk')}</Table.Th>
                <Table.Th ta="right">{t('sessions.columns.paused')}</Table.Th>
                <Table.Th ta="right">{t('sessions.columns.wrapUp')}</Table.Th>
                <Table.Th ta="right">
                  <Tooltip label={t('sessions.occupancyHelp')} multiline w={300}>
                    <span>{t('sessions.columns.occupancy')}</span>
                  </Tooltip>
                </Table.Th>
                <Table.Th>{t('sessions.columns.reasons')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((row) => (
                <Table.Tr
                  key={`${row.operatorId}-${row.day}`}
                  data-operator={row.endpoint}
                  data-day={row.day}
                >
                  <Table.Td data-column="operator">
                    <Text size="sm" fw={500} style={{ whiteSpace: 'nowrap' }}>
                      {row.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {row.endpoint}
                    </Text>
                  </Table.Td>
                  <Table.Td data-column="day" style={{ whiteSpace: 'nowrap' }}>
                    {dayLabel(row.day)}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {row.firstLoginAt || row.lastLogoutAt ? (
                      <>
                        <span data-column="login">{hm(row.firstLoginAt)}</span>
                        {' – '}
                        <span data-column="logout">{hm(row.lastLogoutAt)}</span>
                      </>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                  <Table.Td>
                    <DayStrip row={row} zone={zone} />
                  </Table.Td>
                  <Table.Td ta="right" data-column="loggedIn">
                    {formatDuration(row.loggedInSec)}
                  </Table.Td>
                  <Table.Td ta="right" data-column="available">
                    {formatDuration(row.availableSec)}
                  </Table.Td>
                  <Table.Td ta="right" data-column="talk">
                    {formatDuration(row.talkSec)}
                    <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }} data-column="calls">
                      {t('sessions.calls', { count: row.calls })}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right" data-column="paused">
                    {formatDuration(row.pausedSec)}
                  </Table.Td>
                  <Table.Td ta="right" data-column="wrapUp">
                    {formatDuration(row.wrapUpSec)}
                  </Table.Td>
                  <Table.Td ta="right" data-column="occupancy">
                    {percent(row.occupancy, i18n.language)}
                  </Table.Td>
                  <Table.Td data-column="reasons" maw={240}>
                    <Group gap={4}>
                      {row.pausedByReason.map((r) => (
                        <Badge key={r.reason} color="orange" variant="light" tt="none" size="sm">
                          {r.label} {formatDuration(r.seconds)} × {r.pauses}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
            {shown.length > 1 && (
              <Table.Tfoot data-testid="sessions-total">
                <Table.Tr fw={600}>
                  <Table.Td colSpan={4}>{t('sessions.total')}</Table.Td>
                  <Table.Td ta="right" data-column="loggedIn">
                    {formatDuration(total.loggedInSec)}
                  </Table.Td>
                  <Table.Td ta="right" data-column="available">
                    {formatDuration(total.availableSec)}
                  </Table.Td>
                  <Table.Td ta="right" data-column="talk">
                    {formatDuration(total.talkSec)}
                    <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                      {t('sessions.calls', { count: total.calls })}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right" data-column="paused">
                    {formatDuration(total.pausedSec)}
                  </Table.Td>
                  <Table.Td ta="right" data-column="wrapUp">
                    {formatDuration(total.wrapUpSec)}
                  </Table.Td>
                  <Table.Td ta="right" data-column="occupancy">
                    {percent(
                      total.availableSec > 0 ? total.talkWhileAvailableSec / total.availableSec : null,
                      i18n.language,
                    )}
                  </Table.Td>
                  <Table.Td />
                </Table.Tr>
              </Table.Tfoot>
            )}
          </Table>
        </Table.ScrollContainer>
      )}
      <Text size="xs" c="dimmed">
        {t('sessions.definitions')}
      </Text>
    </Stack>
  );
}
