import { Badge, Card, Divider, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { fetchCall } from '../../api/calls.ts';
import { ApiErrorAlert } from '../../ui/api-error-alert.tsx';
import { CallStatusBadge } from '../../ui/call-status-badge.tsx';
import { formatDateTime, formatDuration, zoneAbbreviation } from '../../ui/format.ts';
import { useQueueDisplayName, useQueueTimeZone } from '../../ui/queue-time-zones.ts';
import { callKey } from '../operator-api.ts';
import { PopPhaseBadge } from '../screen-pop/pop-phase-badge.tsx';
import type { ScreenPop } from '../screen-pop/screen-pop-state.ts';
import { CallerHistory } from './caller-history.tsx';
import { CardForm } from './card-form.tsx';

function Fact({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} data-testid={testId}>
        {value}
      </Text>
    </Stack>
  );
}

/**
 * One call's card: who calls (number, DID, queue — from the screen pop while the call is live,
 * from the API card otherwise), the form, and the caller's previous calls.
 */
export function CallCardPanel({
  callId,
  pop,
  onDirtyChange,
}: {
  callId: number;
  pop?: ScreenPop;
  onDirtyChange?: (dirty: boolean) => void;
}) {
  const { t, i18n } = useTranslation('operator');
  const zoneOf = useQueueTimeZone();
  const queueName = useQueueDisplayName();
  const card = useQuery({
    queryKey: callKey(callId),
    queryFn: ({ signal }) => fetchCall(callId, signal),
  });
  const data = card.data;
  const inbound = (pop?.direction ?? data?.direction) !== 'outbound';
  const number = pop?.callerNumber ?? (data ? (inbound ? data.src_number : data.dst_number) : null);
  const did = pop?.did ?? data?.did ?? null;
  const queue = pop?.queue ?? data?.queue ?? null;
  const started = pop?.startedAt ?? data?.started_at ?? null;
  return (
    <Card withBorder padding="md" data-testid="call-card" data-call-id={callId}>
      <Stack gap="md">
        <Group justify="space-between">
          <Title order={3} size="h4" data-testid="caller-number">
            {number ?? t('card.unknownNumber')}
          </Title>
          <Group gap="xs">
            {pop && <PopPhaseBadge phase={pop.phase} data-testid="pop-phase" data-phase={pop.phase} />}
            {data && !(pop && data.status === 'ringing') && <CallStatusBadge status={data.status} />}
            {data && !data.card_complete && (
              <Badge color="yellow" variant="light">
                {t('card.state.incomplete')}
              </Badge>
            )}
          </Group>
        </Group>
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          <Fact label={t('card.facts.did')} value={did ?? '—'} testId="card-did" />
          <Fact label={t('card.facts.queue')} value={queueName(queue)} testId="card-queue" />
          <Fact
            label={t('card.facts.started')}
            value={`${formatDateTime(started, zoneOf(queue), i18n.language)} ${started ? zoneAbbreviation(started, zoneOf(queue), i18n.language) : ''}`.trim()}
          />
          <Fact label={t('card.facts.talk')} value={data ? formatDuration(data.talk_sec) : '—'} />
        </SimpleGrid>
        <Divider />
        {card.isLoading && <Loader size="sm" />}
        {card.error && <ApiErrorAlert error={card.error} />}
        {data && <CardForm card={data} {...(onDirtyChange ? { onDirtyChange } : {})} />}
        <Divider />
        <CallerHistory number={number} currentCallId={callId} {...(pop ? { history: pop.history } : {})} />
      </Stack>
    </Card>
  );
}
