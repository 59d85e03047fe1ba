import type { PauseReasonListResponse } from '@callcenter/api/types';
import {
  Alert,
  Badge,
  Box,
  Button,
  Card,
  Group,
  Loader,
  Menu,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiJson } from '../api/http.ts';
import { ApiErrorAlert } from '../ui/api-error-alert.tsx';
import { formatDuration } from '../ui/format.ts';
import { PageHeader } from '../ui/page-header.tsx';
import { ListenAction } from './listen-action.tsx';
import { useNow, useWallboard, type WallboardOperator, type WallboardQueue } from './use-wallboard.ts';
import { type Alarm, alarmOf, slAlarmOf } from './wallboard-alarms.ts';

/**
 * `/app/live`: the live wallboard of the supervisor's queues (an admin's: all). Per queue a tile:
 * callers waiting with the longest wait ticking, operators by state, today's answered / abandoned
 * / service level / ASA, coloured against the queue's thresholds (wallboard-alarms.ts). Per
 * operator: state and time in it, the current call with its talk time, today's calls and talk, and
 * pause / resume (`PUT /presence/{operatorId}`, allowed to supervisors within scope and admins) and,
 * during a call, listen-in from the supervisor's own phone (listen-action.tsx). A
 * TV mode fills the screen. Data: use-wallboard.ts (the API's snapshot and its SSE updates).
 */

const ALARM_COLOR: Record<Alarm, string> = { ok: 'teal', warn: 'yellow', alarm: 'red' };
const STATE_COLOR: Record<WallboardOperator['state'], string> = {
  offline: 'gray',
  available: 'teal',
  ringing: 'yellow',
  talking: 'blue',
  hold: 'grape',
  wrap_up: 'cyan',
  paused: 'orange',
};

const since = (iso: string, serverNow: number) =>
  Math.max(0, Math.floor((serverNow - Date.parse(iso)) / 1000));
const percent = (value: number | null) => (value === null ? '—' : `${Math.round(value * 100)}%`);

function QueueTile({ queue, serverNow, tv }: { queue: WallboardQueue; serverNow: number; tv: boolean }) {
  const { t } = useTranslation();
  const wait = queue.longest_wait_since ? since(queue.longest_wait_since, serverNow) : 0;
  const waitAlarm = queue.waiting > 0 ? alarmOf(wait, queue.service_level_sec) : 'ok';
  const slAlarm = slAlarmOf(queue.service_level_today);
  const big = tv ? 48 : 34;
  return (
    <Card
      withBorder
      padding="md"
      radius="md"
      data-testid={`wallboard-queue-${queue.queue}`}
      data-waiting={queue.waiting}
      data-alarm={waitAlarm}
      style={{
        borderColor: `var(--mantine-color-${ALARM_COLOR[waitAlarm]}-6)`,
        borderWidth: waitAlarm === 'ok' ? 1 : 3,
      }}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={0}>
          <Text fw={700} size={tv ? 'xl' : 'lg'}>
            {queue.name}
          </Text>
          {/* The Asterisk name under the display name, only when it says something more. */}
          {queue.name !== queue.queue && (
            <Text size="xs" c="dimmed" data-testid="wallboard-queue-asterisk-name">
              {queue.queue}
            </Text>
          )}
        </Stack>
        <Stack gap={0} align="flex-end">
          <Text size="xs" c="dimmed">
            {t('wallboard.sl')}
          </Text>
          <Badge
            color={ALARM_COLOR[slAlarm]}
            size={tv ? 'xl' : 'lg'}
            variant={slAlarm === 'ok' ? 'light' : 'filled'}
            data-testid="queue-sl"
            data-alarm={slAlarm}
          >
            {percent(queue.service_level_today)}
          </Badge>
        </Stack>
      </Group>
      <Group grow mt="sm" align="flex-end">
        <Stack gap={0}>
          <Text size="xs" c="dimmed">
            {t('wallboard.waiting')}
          </Text>
          <Text fw={800} fz={big} lh={1} data-testid="queue-waiting">
            {queue.waiting}
          </Text>
        </Stack>
        <Stack gap={0}>
          <Text size="xs" c="dimmed">
            {t('wallboard.longestWait')}
          </Text>
          <Text
            fw={800}
            fz={big}
            lh={1}
            c={waitAlarm === 'ok' ? undefined : `${ALARM_COLOR[waitAlarm]}.7`}
            data-testid="queue-longest-wait"
            data-seconds={wait}
          >
            {formatDuration(wait)}
          </Text>
        </Stack>
      </Group>
      <Group gap={6} mt="sm">
        <Badge color="teal" variant="light">
          {t('wallboard.counts.available', { count: queue.operators_available })}
        </Badge>
        <Badge color="yellow" variant="light">
          {t('wallboard.counts.ringing', { count: queue.operators_ringing })}
        </Badge>
        <Badge color="blue" variant="light">
          {t('wallboard.counts.talking', { count: queue.operators_talking })}
        </Badge>
        <Badge color="orange" variant="light">
          {t('wallboard.counts.paused', { count: queue.operators_paused })}
        </Badge>
        {queue.operators_wrap_up > 0 && (
          <Badge color="cyan" variant="light">
            {t('wallboard.counts.wrapUp', { count: queue.operators_wrap_up })}
          </Badge>
        )}
        <Badge color="gray" variant="outline">
          {t('wallboard.counts.loggedIn', { count: queue.operators_logged_in })}
        </Badge>
      </Group>
      <Text size="sm" mt="sm" c="dimmed" data-testid="queue-today">
        {t('wallboard.today', {
          offered: queue.offered_today,
          answered: queue.answered_today,
          abandoned: queue.abandoned_today,
          asa: queue.asa_today_sec === null ? '—' : formatDuration(Math.round(queue.asa_today_sec)),
        })}
      </Text>
    </Card>
  );
}

function PauseAction({ operator }: { operator: WallboardOperator }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const reasons = useQuery({
    queryKey: ['presence', 'reasons'],
    queryFn: ({ signal }) => apiJson<PauseReasonListResponse>('/presence/reasons', { signal }),
    staleTime: 60_000,
  });
  const change = async (body: { state: 'available' | 'paused'; reason?: string }) => {
    setBusy(true);
    setError(null);
    try {
      await apiJson(`/presence/${operator.operator_id}`, { method: 'PUT', body });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  if (operator.state === 'offline') return null;
  return (
    <Group gap={4} wrap="nowrap">
      {operator.state === 'paused' ? (
        <Button
          size="compact-xs"
          variant="light"
          loading={busy}
          onClick={() => void change({ state: 'available' })}
          data-testid={`wallboard-resume-${operator.operator}`}
        >
          {t('wallboard.resume')}
        </Button>
      ) : (
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <Button
              size="compact-xs"
              variant="light"
              color="orange"
              loading={busy}
              data-testid={`wallboard-pause-${operator.operator}`}
            >
              {t('wallboard.pause')}
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            {(reasons.data?.reasons ?? []).map((reason) => (
              <Menu.Item
                key={reason.code}
                onClick={() => void change({ state: 'paused', reason: reason.code })}
              >
                {reason.label}
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
      )}
      {error ? (
        <Text size="xs" c="red">
          {t('wallboard.actionFailed')}
        </Text>
      ) : null}
    </Group>
  );
}

function OperatorRows({
  operators,
  serverNow,
  tv,
}: {
  operators: WallboardOperator[];
  serverNow: number;
  tv: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Table striped verticalSpacing={tv ? 'sm' : 6} fz={tv ? 'lg' : 'sm'} data-testid="wallboard-operators">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('wallboard.columns.operator')}</Table.Th>
          <Table.Th>{t('wallboard.columns.state')}</Table.Th>
          <Table.Th>{t('wallboard.columns.inState')}</Table.Th>
          <Table.Th>{t('wallboard.columns.call')}</Table.Th>
          <Table.Th>{t('wallboard.columns.today')}</Table.Th>
          {!tv && <Table.Th />}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {operators.map((o) => (
          <Table.Tr
            key={`${o.server_id}/${o.operator}`}
            data-testid={`wallboard-operator-${o.operator}`}
            data-state={o.state}
          >
            <Table.Td>
              <Text fw={600} span>
                {o.name}
              </Text>{' '}
              <Text c="dimmed" span size="xs">
                {o.operator}
              </Text>
            </Table.Td>
            <Table.Td>
              <Badge color={STATE_COLOR[o.state]} variant="filled" size={tv ? 'lg' : 'md'}>
                {t(`wallboard.state.${o.state}`)}
              </Badge>
              {o.state === 'paused' && o.reason_label ? (
                <Text span size="xs" ml={6}>
                  {o.reason_label}
                </Text>
              ) : null}
            </Table.Td>
            <Table.Td ff="monospace">{formatDuration(since(o.state_since, serverNow))}</Table.Td>
            <Table.Td>
              {o.current_call ? (
                <Text size="sm" span>
                  {o.current_call.number ?? t('wallboard.hiddenNumber')}
                  {o.current_call.queue ? ` · ${o.current_call.queue}` : ''}
                  {' · '}
                  <Text span ff="monospace">
                    {formatDuration(since(o.current_call.since, serverNow))}
                  </Text>
                </Text>
              ) : (
                <Text c="dimmed" span>
                  —
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              {t('wallboard.operatorToday', { calls: o.calls_today, talk: formatDuration(o.talk_today_sec) })}
            </Table.Td>
            {!tv && (
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  <PauseAction operator={o} />
                  <ListenAction operator={o} />
                </Group>
              </Table.Td>
            )}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function WallboardPage() {
  const { t } = useTranslation();
  const { board, receivedAt, streaming, error } = useWallboard();
  const now = useNow(1000);
  const [tv, setTv] = useState(false);

  useEffect(() => {
    const onChange = () => {
      if (!document.fullscreenElement) setTv(false);
    };
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);

  const enterTv = () => {
    setTv(true);
    void document.documentElement.requestFullscreen?.().catch(() => {});
  };
  const leaveTv = () => {
    setTv(false);
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
  };

  if (!board) {
    return error ? (
      <ApiErrorAlert error={error} />
    ) : (
      <Group justify="center" mt="xl">
        <Loader />
      </Group>
    );
  }
  // The server's clock: the waits and times in state are counted from its timestamps.
  const serverNow = now + (Date.parse(board.generated_at) - receivedAt);

  const content = (
    <Stack gap="md">
      {board.live.source === 'cel' && (
        <Alert
          color="yellow"
          variant="light"
          data-testid="wallboard-cel-note"
          title={t('wallboard.celTitle')}
        >
          {t('wallboard.celNote')}
        </Alert>
      )}
      <SimpleGrid cols={tv ? { base: 2, lg: 3 } : { base: 1, sm: 2, lg: 3 }} spacing="md">
        {board.queues.map((q) => (
          <QueueTile key={`${q.server_id}/${q.queue}`} queue={q} serverNow={serverNow} tv={tv} />
        ))}
      </SimpleGrid>
      {board.queues.length === 0 && <Text c="dimmed">{t('wallboard.noQueues')}</Text>}
      <OperatorRows operators={board.operators} serverNow={serverNow} tv={tv} />
    </Stack>
  );

  const status = (
    <Badge
      color={streaming ? 'teal' : 'gray'}
      variant="dot"
      data-testid="wallboard-stream"
      data-streaming={streaming}
    >
      {streaming ? t('wallboard.streaming') : t('wallboard.reconnecting')}
      {board.live.source === 'ami' ? ' · AMI' : ` · ${t('wallboard.celShort')}`}
    </Badge>
  );

  if (tv) {
    return (
      <Box
        data-testid="wallboard-tv"
        p="lg"
        style={{
          position: 'fixed',
          inset: 0,
          zIndex: 1000,
          overflow: 'auto',
          background: 'var(--mantine-color-body)',
        }}
      >
        <Group justify="space-between" mb="md">
          <Title order={1}>{t('wallboard.title')}</Title>
          <Group>
            {status}
            <Button variant="subtle" onClick={leaveTv}>
              {t('wallboard.leaveTv')}
            </Button>
          </Group>
        </Group>
        {content}
      </Box>
    );
  }
  return (
    <>
      <PageHeader
        title={t('wallboard.title')}
        subtitle={t('wallboard.subtitle')}
        actions={
          <>
            {status}
            <Button variant="light" onClick={enterTv} data-testid="wallboard-tv-button">
              {t('wallboard.tv')}
            </Button>
          </>
        }
      />
      {content}
    </>
  );
}
