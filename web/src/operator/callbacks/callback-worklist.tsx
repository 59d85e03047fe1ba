import { Badge, Button, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiRequestError } from '../../api/http.ts';
import { useUser } from '../../auth/session.tsx';
import type { Softphone } from '../../softphone/index.ts';
import { canDial } from '../../softphone/index.ts';
import { ApiErrorAlert } from '../../ui/api-error-alert.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { useQueueDisplayName, useQueueTimeZone } from '../../ui/queue-time-zones.ts';
import { type CallbackItem, fetchCallbacks, fetchControlStatus, originate } from '../operator-api.ts';
import { clickToCall, type OriginateAvailability } from './click-to-call.ts';

/**
 * Callbacks owed (`GET /callbacks`: missed and abandoned calls and cards marked needs_callback,
 * not yet reached again), oldest first, each with a call button (click-to-call.ts) and a link to
 * its card. A callback leaves the list once a later answered call reaches the number.
 */
export function CallbackWorklist({
  phone,
  onOpenCall,
}: {
  phone: Softphone | null;
  onOpenCall: (id: number) => void;
}) {
  const { t, i18n } = useTranslation('operator');
  const user = useUser();
  const zoneOf = useQueueTimeZone();
  const queueName = useQueueDisplayName();
  const [originateFailed, setOriginateFailed] = useState(false);
  // Asked up front, so without ARI the button is disabled with the reason instead of failing on click.
  const controlStatus = useQuery({
    queryKey: ['control', 'status'],
    queryFn: ({ signal }) => fetchControlStatus(signal),
    staleTime: 5 * 60_000,
  });
  const originateState: OriginateAvailability = originateFailed
    ? 'unavailable'
    : controlStatus.data
      ? controlStatus.data.available
        ? 'available'
        : 'unavailable'
      : 'unknown';
  const [callError, setCallError] = useState<unknown>(null);
  const [placed, setPlaced] = useState<number | null>(null);
  const list = useQuery({ queryKey: ['callbacks', 'owed'], queryFn: ({ signal }) => fetchCallbacks(signal) });
  const softphone = {
    registered: phone?.state.registration === 'registered' && phone.tabRole !== 'elsewhere',
    canDial: phone ? canDial(phone.state) : false,
  };

  const call = async (item: CallbackItem) => {
    const route = clickToCall({
      number: item.number,
      e164: item.e164,
      softphone,
      endpoint: user.endpoint,
      originate: originateState,
    });
    setCallError(null);
    setPlaced(null);
    if (route.via === 'softphone' && phone) await phone.dial(route.number);
    else if (route.via === 'originate') {
      try {
        await originate(route.number);
        setPlaced(item.callId);
      } catch (error) {
        if (error instanceof ApiRequestError && (error.status === 503 || error.status === 404))
          setOriginateFailed(true);
        setCallError(error);
      }
    }
  };

  return (
    <Stack gap="sm" data-testid="callback-worklist">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {list.data ? t('callbacks.owed', { count: list.data.owed }) : ''}
        </Text>
        {originateState === 'unavailable' && (
          <Text size="xs" c="dimmed">
            {t('callbacks.reason.noTelephony')}
          </Text>
        )}
      </Group>
      {list.error && <ApiErrorAlert error={list.error} />}
      {callError ? <ApiErrorAlert error={callError} title={t('callbacks.callFailed')} /> : null}
      {placed !== null && (
        <Text size="sm" c="teal">
          {t('callbacks.originated')}
        </Text>
      )}
      {list.data && list.data.items.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('callbacks.empty')}
        </Text>
      )}
      {list.data && list.data.items.length > 0 && (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('callbacks.columns.when')}</Table.Th>
              <Table.Th>{t('callbacks.columns.number')}</Table.Th>
              <Table.Th>{t('callbacks.columns.queue')}</Table.Th>
              <Table.Th>{t('callbacks.columns.reason')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.items.map((item) => {
              const route = clickToCall({
                number: item.number,
                e164: item.e164,
                softphone,
                endpoint: user.endpoint,
                originate: originateState,
              });
              const button = (
                <Button
                  size="xs"
                  color="teal"
                  disabled={route.via === 'none'}
                  onClick={() => void call(item)}
                  data-testid="callback-call"
                  data-reason={route.via === 'none' ? route.reason : undefined}
                >
                  {t('callbacks.call')}
                </Button>
              );
              return (
                <Table.Tr key={item.callId} data-testid="callback-row">
                  <Table.Td>
                    {formatDateTime(item.startedAt, zoneOf(item.queue, item.serverId), i18n.language)}
                  </Table.Td>
                  <Table.Td>{item.number ?? item.e164 ?? '—'}</Table.Td>
                  <Table.Td>{queueName(item.queue, item.serverId)}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={item.reason === 'needs_callback' ? 'blue' : 'orange'}>
                      {t(`callbacks.kind.${item.reason}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      <Button size="xs" variant="subtle" onClick={() => onOpenCall(item.callId)}>
                        {t('callbacks.openCard')}
                      </Button>
                      {route.via === 'none' ? (
                        <Tooltip label={t(`callbacks.reason.${route.reason}`)}>
                          <span>{button}</span>
                        </Tooltip>
                      ) : (
                        button
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
