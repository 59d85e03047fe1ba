import { Badge, Button, Group, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CallStatusBadge } from '../../ui/call-status-badge.tsx';
import { formatDateTime, formatDuration } from '../../ui/format.ts';
import { useQueueDisplayName, useQueueTimeZone } from '../../ui/queue-time-zones.ts';
import { listCalls } from '../operator-api.ts';

/**
 * The operator's own calls (`GET /calls?operator=<endpoint>`, newest first, 50), incomplete cards
 * highlighted and countable apart (`card=incomplete`); a row opens its card.
 */
export function MyCallsList({
  endpoint,
  selectedCallId,
  onOpenCall,
}: {
  endpoint: string;
  selectedCallId: number | null;
  onOpenCall: (id: number) => void;
}) {
  const { t, i18n } = useTranslation('operator');
  const zoneOf = useQueueTimeZone();
  const queueName = useQueueDisplayName();
  const [show, setShow] = useState<'all' | 'incomplete'>('all');
  const calls = useQuery({
    queryKey: ['calls', 'list', 'mine', endpoint, show],
    queryFn: ({ signal }) =>
      listCalls(
        { operator: endpoint, limit: '50', ...(show === 'incomplete' ? { card: 'incomplete' } : {}) },
        signal,
      ),
  });
  const incomplete = useQuery({
    queryKey: ['calls', 'list', 'mine', endpoint, 'incomplete-count'],
    queryFn: ({ signal }) => listCalls({ operator: endpoint, card: 'incomplete', limit: '1' }, signal),
  });
  const incompleteCount = incomplete.data?.total ?? null;
  return (
    <Stack gap="sm" data-testid="my-calls">
      <Group justify="space-between">
        <SegmentedControl
          size="xs"
          value={show}
          onChange={(value) => setShow(value as 'all' | 'incomplete')}
          data={[
            { value: 'all', label: t('myCalls.all') },
            {
              value: 'incomplete',
              label:
                incompleteCount === null
                  ? t('myCalls.incomplete')
                  : `${t('myCalls.incomplete')} (${incomplete.data?.totalExact === false ? `${incompleteCount}+` : incompleteCount})`,
            },
          ]}
        />
        {calls.data && (
          <Text size="xs" c="dimmed">
            {t('myCalls.shown', { shown: calls.data.items.length, total: calls.data.total })}
          </Text>
        )}
      </Group>
      {calls.data && calls.data.items.length === 0 && (
        <Text size="sm" c="dimmed">
          {show === 'incomplete' ? t('myCalls.noneIncomplete') : t('myCalls.none')}
        </Text>
      )}
      {calls.data && calls.data.items.length > 0 && (
        <Table highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('myCalls.columns.when')}</Table.Th>
              <Table.Th>{t('myCalls.columns.number')}</Table.Th>
              <Table.Th>{t('myCalls.columns.queue')}</Table.Th>
              <Table.Th>{t('myCalls.columns.status')}</Table.Th>
              <Table.Th>{t('myCalls.columns.talk')}</Table.Th>
              <Table.Th>{t('myCalls.columns.card')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {calls.data.items.map((call) => {
              const number = call.direction === 'outbound' ? call.dst_number : call.src_number;
              return (
                <Table.Tr
                  key={call.id}
                  data-testid="my-call-row"
                  data-incomplete={!call.card_complete}
                  bg={
                    call.id === selectedCallId
                      ? 'var(--mantine-color-blue-light)'
                      : call.card_complete
                        ? undefined
                        : 'var(--mantine-color-yellow-light)'
                  }
                >
                  <Table.Td>
                    {formatDateTime(call.started_at, zoneOf(call.queue, call.server_id), i18n.language)}
                  </Table.Td>
                  <Table.Td>{number ?? '—'}</Table.Td>
                  <Table.Td>{queueName(call.queue, call.server_id)}</Table.Td>
                  <Table.Td>
                    <CallStatusBadge status={call.status} />
                  </Table.Td>
                  <Table.Td>{formatDuration(call.talk_sec)}</Table.Td>
                  <Table.Td>
                    {call.card_complete ? (
                      <Text size="sm">
                        {[call.purpose_name, call.category_name].filter(Boolean).join(' · ')}
                      </Text>
                    ) : (
                      <Badge color="yellow">{t('card.state.incomplete')}</Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="subtle" onClick={() => onOpenCall(call.id)}>
                      {t('myCalls.open')}
                    </Button>
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
