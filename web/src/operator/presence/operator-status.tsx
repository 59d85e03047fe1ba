import { Badge, Button, Group, Menu, Text, Tooltip } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiRequestError } from '../../api/http.ts';
import { useLiveEvents } from '../../live/index.ts';
import { ApiErrorAlert } from '../../ui/api-error-alert.tsx';
import { formatTime } from '../../ui/format.ts';
import { useInstallationTimeZone } from '../../ui/queue-time-zones.ts';
import { changePresence, fetchPauseReasons, fetchPresence, type PresenceItem } from './presence-api.ts';

const COLORS = { available: 'teal', paused: 'orange', offline: 'gray' } as const;

/**
 * The operator's status: available / paused with a reason / offline, changed with
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

  if (presence.error instanceof ApiRequestError && presence.error.status === 404)
    return (
      <Text size="xs" c="dimmed" data-testid="operator-status-unavailable">
        {t('status.unavailable')}
      </Text>
    );
  const mine = presence.data?.find((item) => item.endpoint === endpoint);
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
        <Tooltip label={t('status.since', { time: formatTime(mine.since, zone, i18n.language) })}>
          <Badge color={COLORS[mine.state]} size="lg" variant="light">
            {mine.state === 'paused'
              ? t('status.pausedWith', { reason: mine.reasonLabel ?? mine.reason ?? '' })
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
