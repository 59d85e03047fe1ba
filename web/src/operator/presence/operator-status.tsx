import { Badge, Button, Group, Menu, Text, Tooltip } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiRequestError } from '../../api/http.ts';
import { useLiveEvents } from '../../live/index.ts';
import { ApiErrorAlert } from '../../ui/api-error-alert.tsx';
import { formatTime } from '../../ui/format.ts';
import { useInstallationTimeZone } from '../../ui/queue-time-zones.ts';
import { changePresence, fetchPauseReasons, fetchPresence, type PresenceItem } from './presence-api.ts';

const COLORS = { available: 'teal', paused: 'orange', offline: 'gray' } as const;

/** Seconds since `since` as `m:ss` / `h:mm:ss`, ticking every second while shown. */
function usePauseTimer(since: string | null): string | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!since) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [since]);
  if (!since) return null;
  const total = Math.max(0, Math.floor((now - Date.parse(since)) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(total % 60)}` : `${m}:${pad(total % 60)}`;
}

/** My presence (the row of `GET /presence` for my endpoint), shared with the status control. */
export function useMyPresence(endpoint: string | null): PresenceItem | undefined {
  const presence = useQuery({
    queryKey: ['presence', 'list'],
    queryFn: ({ signal }) => fetchPresence(signal),
    enabled: endpoint !== null,
  });
  return presence.data?.find((item) => item.endpoint === endpoint);
}

/**
 * The operator's status ("Мой статус": whether queues may give me calls — not whether my phone is
 * registered, which the softphone panel shows): available / paused with a reason and how long /
 * offline, changed with
 * `PUT /me/presence` (Asterisk pauses the queue member over AMI when configured; when it could
 * not, the reason is shown). Follows `presence.changed` live events (a supervisor may change it).
 */
export function OperatorStatus({ endpoint }: { endpoint: string }) {
  const { t, i18n } = useTranslation('operator');
  const zone = useInstallationTimeZone();
  const queryClient = useQueryClient();
  const [notApplied, setNotApplied] = useState<string | null>(null);
  const presence = useQuery({
    queryKey: ['presence', 'list'],
    queryFn: ({ signal }) => fetchPresence(signal),
  });
  const reasons = useQuery({
    queryKey: ['presence', 'reasons'],
    queryFn: ({ signal }) => fetchPauseReasons(signal),
    staleTime: 10 * 60_000,
  });
  useLiveEvents((message) => {
    if (message.type === 'presence.changed')
      void queryClient.invalidateQueries({ queryKey: ['presence', 'list'] });
  });
  const change = useMutation({
    mutationFn: ({ state, reason }: { state: 'available' | 'paused' | 'offline'; reason?: string }) =>
      changePresence(state, reason),
    onSuccess: (result) => {
      setNotApplied(result.asterisk.applied ? null : result.asterisk.reason);
      queryClient.setQueryData<PresenceItem[]>(['presence', 'list'], (items) =>
        items?.map((item) => (item.operatorId === result.operatorId ? { ...item, ...result } : item)),
      );
      void queryClient.invalidateQueries({ queryKey: ['presence', 'list'] });
    },
  });

  const mine = presence.data?.find((item) => item.endpoint === endpoint);
  const pausedFor = usePauseTimer(mine?.state === 'paused' ? mine.since : null);

  if (presence.error instanceof ApiRequestError && presence.error.status === 404)
    return (
      <Text size="xs" c="dimmed" data-testid="operator-status-unavailable">
        {t('status.unavailable')}
      </Text>
    );

  if (presence.data && !mine)
    return (
      <Text size="xs" c="dimmed" data-testid="operator-status-unavailable">
        {t('status.notAnOperator')}
      </Text>
    );
  const state = mine?.state;
  return (
    <Group gap="xs" data-testid="operator-status" data-state={state ?? 'loading'}>
      {mine && (
        <Text size="sm" c="dimmed">
          {t('status.mine')}
        </Text>
      )}
      {mine && (
        <Tooltip label={t('status.since', { time: formatTime(mine.since, zone, i18n.language) })}>
          <Badge color={COLORS[mine.state]} size="lg" variant="light" tt="none" data-testid="my-presence">
            {mine.state === 'paused'
              ? t('status.pausedWith', { reason: mine.reasonLabel ?? mine.reason ?? '', duration: pausedFor })
              : t(`status.state.${mine.state}`)}
          </Badge>
        </Tooltip>
      )}
      <Button
        size="xs"
        color="teal"
        variant={state === 'available' ? 'filled' : 'light'}
        disabled={!mine || state === 'available'}
        loading={change.isPending && change.variables?.state === 'available'}
        onClick={() => change.mutate({ state: 'available' })}
      >
        {t('status.available')}
      </Button>
      <Menu withinPortal position="bottom-end">
        <Menu.Target>
          <Button
            size="xs"
            color="orange"
            variant="light"
            disabled={!mine || !reasons.data?.length}
            loading={change.isPending && change.variables?.state === 'paused'}
          >
            {t('status.pause')}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          {reasons.data?.map((reason) => (
            <Menu.Item
              key={reason.code}
              onClick={() => change.mutate({ state: 'paused', reason: reason.code })}
            >
              {reason.label}
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
      <Button
        size="xs"
        variant="subtle"
        color="gray"
        disabled={!mine || state === 'offline'}
        onClick={() => change.mutate({ state: 'offline' })}
      >
        {t('status.offline')}
      </Button>
      {notApplied && (
        <Tooltip label={notApplied} multiline w={280}>
          <Text size="xs" c="dimmed">
            {t('status.notAppliedInAsterisk')}
          </Text>
        </Tooltip>
      )}
      {change.error ? <ApiErrorAlert error={change.error} /> : null}
      {presence.error && !(presence.error instanceof ApiRequestError && presence.error.status === 404) ? (
        <ApiErrorAlert error={presence.error} />
      ) : null}
    </Group>
  );
}
