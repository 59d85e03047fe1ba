import { Badge, Group, Paper, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { CallStatusBadge } from '../../ui/call-status-badge.tsx';
import { formatDateTime, formatDuration } from '../../ui/format.ts';
import { useOperatorLabel } from '../../ui/operator-names.ts';
import { useQueueDisplayName, useQueueTimeZone } from '../../ui/queue-time-zones.ts';
import { listCalls } from '../operator-api.ts';
import type { HistoryItem } from '../screen-pop/screen-pop-state.ts';

/**
 * The caller's previous calls with what their cards say: from the screen pop's `history` (the
 * server looked them up when the phone rang), or, for a card opened from a list, from
 * `GET /calls?number=` (limited to the calls this user may see).
 */
export function CallerHistory({
  number,
  currentCallId,
  history,
}: {
  number: string | null;
  currentCallId: number;
  history?: HistoryItem[];
}) {
  const { t, i18n } = useTranslation('operator');
  const zoneOf = useQueueTimeZone();
  const queueName = useQueueDisplayName();
  const operatorName = useOperatorLabel();
  const fetched = useQuery({
    queryKey: ['calls', 'list', 'history', number],
    queryFn: ({ signal }) => listCalls({ number: number ?? undefined, limit: '11' }, signal),
    enabled: !history && !!number,
  });
  const items: HistoryItem[] =
    history ??
    (fetched.data?.items ?? [])
      .filter((c) => c.id !== currentCallId)
      .slice(0, 10)
      .map((c) => ({
        id: c.id,
        startedAt: c.started_at,
        direction: c.direction,
        status: c.status,
        queue: c.queue,
        operatorEndpoint: c.operator_endpoint,
        talkSec: c.talk_sec,
        purpose: c.purpose_name,
        category: c.category_name,
        subcategory: c.subcategory_name,
        notes: c.notes,
        needsCallback: c.needs_callback,
        cardCompleted: c.card_complete,
      }));
  const previous = items.filter((item) => item.id !== currentCallId);
  return (
    <Stack gap="xs" data-testid="caller-history">
      <Text fw={600} size="sm">
        {t('history.title', { count: previous.length })}
      </Text>
      {!number && (
        <Text size="sm" c="dimmed">
          {t('history.noNumber')}
        </Text>
      )}
      {number && previous.length === 0 && !fetched.isLoading && (
        <Text size="sm" c="dimmed">
          {t('history.none')}
        </Text>
      )}
      {previous.map((item) => (
        <Paper key={item.id} withBorder p="xs" data-testid="history-item">
          <Group justify="space-between" gap="xs">
            <Group gap="xs">
              <Text size="sm">{formatDateTime(item.startedAt, zoneOf(item.queue), i18n.language)}</Text>
              <CallStatusBadge status={item.status} />
              {item.queue && (
                <Badge variant="outline" color="gray">
                  {queueName(item.queue)}
                </Badge>
              )}
            </Group>
            <Text size="xs" c="dimmed">
              {item.operatorEndpoint
                ? t('history.operator', { endpoint: operatorName(item.operatorEndpoint) })
                : ''}
              {item.talkSec ? ` · ${formatDuration(item.talkSec)}` : ''}
            </Text>
          </Group>
          <Text size="sm" mt={4}>
            {[item.purpose, item.category, item.subcategory].filter(Boolean).join(' · ') ||
              t('history.noCard')}
            {item.needsCallback ? ` · ${t('history.needsCallback')}` : ''}
            {item.cardCompleted === false ? ` · ${t('history.incomplete')}` : ''}
          </Text>
          {item.notes && (
            <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
              {item.notes}
            </Text>
          )}
        </Paper>
      ))}
    </Stack>
  );
}
