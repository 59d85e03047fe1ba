import {
  Badge,
  Center,
  Divider,
  Drawer,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { type CallCard, fetchCall } from '../api/calls.ts';
import { useUser } from '../auth/session.tsx';
import { ApiErrorAlert } from '../ui/api-error-alert.tsx';
import { CallStatusBadge } from '../ui/call-status-badge.tsx';
import { formatDateTime, formatDuration, formatTime, zoneAbbreviation } from '../ui/format.ts';
import { useOperatorLabel } from '../ui/operator-names.ts';
import { useQueueDisplayName, useQueueTimeZone } from '../ui/queue-time-zones.ts';
import { CallEvidence } from './call-evidence.tsx';
import { RecordingPlayer } from './recording-player.tsx';

/**
 * One call, opened from the journal (`/journal/calls/:id`, so it can be linked): what the
 * telephony recorded (times in the queue's zone, every ring of an operator's phone, transfers,
 * talk per operator, holds), the card as operators filled it (read-only here: cards are filled in
 * the operator workspace), the recording, and why the call came out so (call-evidence.tsx).
 */

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" data-testid={testId}>
        {children}
      </Text>
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {title}
      </Title>
      {children}
    </Stack>
  );
}

function CallDetails({ call }: { call: CallCard }) {
  const { t, i18n } = useTranslation();
  const user = useUser();
  const zoneOf = useQueueTimeZone();
  const queueName = useQueueDisplayName();
  const operatorName = useOperatorLabel();
  const operator = (endpoint: string | null) => operatorName(endpoint, call.server_id) || '—';
  const zone = zoneOf(call.queue, call.server_id);
  const lang = i18n.language;
  const yesNo = (value: boolean | null) => (value === null ? '—' : value ? t('common.yes') : t('common.no'));
  return (
    <Stack gap="lg" data-testid="call-detail" data-call-id={call.id}>
      <Group gap="xs">
        <CallStatusBadge status={call.status} />
        <Badge color="gray">{t(`direction.${call.direction}`)}</Badge>
        {call.manual && <Badge color="blue">{t('call.manual')}</Badge>}
        {call.flags.map((flag) => (
          <Badge key={flag} color="yellow">
            {t(`call.flag.${flag}`, { defaultValue: flag })}
          </Badge>
        ))}
      </Group>
      <SimpleGrid cols={3} spacing="md">
        <Fact label={t('call.started')}>
          {formatDateTime(call.started_at, zone, lang)} {zoneAbbreviation(call.started_at, zone, lang)}
        </Fact>
        <Fact label={t('call.answered')}>{formatTime(call.answered_at, zone, lang)}</Fact>
        <Fact label={t('call.ended')}>{formatTime(call.ended_at, zone, lang)}</Fact>
        <Fact label={t('journal.col.from')} testId="call-src">
          {call.src_number ?? '—'}
        </Fact>
        <Fact label={t('journal.col.to')}>{call.dst_number ?? '—'}</Fact>
        <Fact label={t('call.did')}>{call.did ?? '—'}</Fact>
        <Fact label={t('journal.col.queue')}>
          {call.queues.length ? call.queues.map((q) => queueName(q, call.server_id)).join(', ') : '—'}
        </Fact>
        <Fact label={t('journal.col.operator')}>{operator(call.operator_endpoint)}</Fact>
        <Fact label={t('call.hungUpBy')}>
          {call.hung_up_by ? t(`call.party.${call.hung_up_by}`, { defaultValue: call.hung_up_by }) : '—'}
        </Fact>
        <Fact label={t('call.endedAtStage')}>
          {call.ended_at_stage ? t(`call.stage.${call.ended_at_stage}`) : '—'}
        </Fact>
        <Fact label={t('call.ivrChoice')} testId="call-ivr-choice">
          {call.ivr_choice ?? '—'}
        </Fact>
        <Fact label={t('journal.col.wait')}>{formatDuration(call.wait_sec)}</Fact>
        <Fact label={t('call.queueWait')}>{formatDuration(call.queue_wait_sec)}</Fact>
        <Fact label={t('journal.col.talk')}>{formatDuration(call.talk_sec)}</Fact>
        <Fact label={t('call.hold')}>{formatDuration(call.hold_sec)}</Fact>
        <Fact label={t('journal.col.duration')}>{formatDuration(call.duration_sec)}</Fact>
        <Fact label="linkedid">
          <Text span ff="monospace" size="sm">
            {call.linkedids.join(', ') || call.linkedid}
          </Text>
        </Fact>
      </SimpleGrid>

      <Divider />
      <Section title={t('call.card')}>
        <Group gap="xs">
          {call.card_complete ? (
            <Badge color="teal">{t('journal.card.complete')}</Badge>
          ) : (
            <Badge color="orange" variant="filled">
              {t('journal.card.incomplete')}
            </Badge>
          )}
          {call.needs_callback && <Badge color="red">{t('journal.card.callback')}</Badge>}
        </Group>
        <SimpleGrid cols={3} spacing="md">
          <Fact label={t('card.purpose')}>{call.purpose_name ?? '—'}</Fact>
          <Fact label={t('card.category')}>{call.category_name ?? '—'}</Fact>
          <Fact label={t('card.subcategory')}>{call.subcategory_name ?? '—'}</Fact>
          <Fact label={t('card.tags')}>{call.tags.map((tag) => tag.name).join(', ') || '—'}</Fact>
          <Fact label={t('card.needsCallback')}>{yesNo(call.needs_callback)}</Fact>
          <Fact label={t('card.resolvedFirstCall')}>{yesNo(call.resolved_first_call)}</Fact>
        </SimpleGrid>
        <Fact label={t('card.notes')}>
          <Text span size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {call.notes || '—'}
          </Text>
        </Fact>
        {call.card_updated_at && (
          <Text size="xs" c="dimmed">
            {t('card.updated', {
              at: formatDateTime(call.card_updated_at, zone, lang),
              by: call.card_updated_by ?? '—',
            })}
          </Text>
        )}
      </Section>

      <Section title={t('call.recording')}>
        <RecordingPlayer
          callId={call.id}
          hasRecording={call.has_recording}
          canDownload={user.role === 'supervisor' || user.role === 'admin'}
        />
      </Section>

      {call.attempts.length > 0 && (
        <Section title={t('call.attempts', { count: call.attempts.length })}>
          <Table striped withTableBorder fz="sm" data-testid="call-attempts">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>{t('journal.col.operator')}</Table.Th>
                <Table.Th>{t('journal.col.queue')}</Table.Th>
                <Table.Th>{t('call.rangAt')}</Table.Th>
                <Table.Th ta="right">{t('call.ringSec')}</Table.Th>
                <Table.Th>{t('call.outcome')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {call.attempts.map((attempt) => (
                <Table.Tr key={attempt.seq}>
                  <Table.Td>{attempt.seq + 1}</Table.Td>
                  <Table.Td>{operator(attempt.operator_endpoint)}</Table.Td>
                  <Table.Td>{attempt.queue ? queueName(attempt.queue, call.server_id) : '—'}</Table.Td>
                  <Table.Td>{formatTime(attempt.rang_at, zone, lang)}</Table.Td>
                  <Table.Td ta="right">{formatDuration(attempt.ring_sec)}</Table.Td>
                  <Table.Td>{t(`outcome.${attempt.outcome}`, { defaultValue: attempt.outcome })}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
      )}

      {call.segments.length > 0 && (
        <Section title={t('call.segments')}>
          <Table striped withTableBorder fz="sm" data-testid="call-segments">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>{t('journal.col.operator')}</Table.Th>
                <Table.Th>{t('call.party.label')}</Table.Th>
                <Table.Th>{t('call.from')}</Table.Th>
                <Table.Th>{t('call.until')}</Table.Th>
                <Table.Th ta="right">{t('journal.col.talk')}</Table.Th>
                <Table.Th ta="right">{t('call.hold')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {call.segments.map((segment) => (
                <Table.Tr key={segment.seq}>
                  <Table.Td>{segment.seq + 1}</Table.Td>
                  <Table.Td>{operator(segment.operator_endpoint)}</Table.Td>
                  <Table.Td>{segment.party}</Table.Td>
                  <Table.Td>{formatTime(segment.started_at, zone, lang)}</Table.Td>
                  <Table.Td>{formatTime(segment.ended_at, zone, lang)}</Table.Td>
                  <Table.Td ta="right">{formatDuration(segment.talk_sec)}</Table.Td>
                  <Table.Td ta="right">{formatDuration(segment.hold_sec)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
      )}

      {call.transfers.length > 0 && (
        <Section title={t('call.transfers')}>
          <Table striped withTableBorder fz="sm" data-testid="call-transfers">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>{t('call.transferKind')}</Table.Th>
                <Table.Th>{t('call.transferFrom')}</Table.Th>
                <Table.Th>{t('call.transferTo')}</Table.Th>
                <Table.Th>{t('call.at')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {call.transfers.map((transfer) => (
                <Table.Tr key={transfer.seq}>
                  <Table.Td>{transfer.seq + 1}</Table.Td>
                  <Table.Td>{t(`call.transfer.${transfer.kind}`, { defaultValue: transfer.kind })}</Table.Td>
                  <Table.Td>{transfer.from_operator ?? '—'}</Table.Td>
                  <Table.Td>{transfer.to_target ?? '—'}</Table.Td>
                  <Table.Td>{formatTime(transfer.at, zone, lang)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
      )}

      {call.holds.length > 0 && (
        <Section title={t('call.holds')}>
          <Table striped withTableBorder fz="sm">
            <Table.Tbody>
              {call.holds.map((hold) => (
                <Table.Tr key={hold.seq}>
                  <Table.Td>{operator(hold.operator_endpoint)}</Table.Td>
                  <Table.Td>
                    {formatTime(hold.started_at, zone, lang)} – {formatTime(hold.ended_at, zone, lang)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
      )}

      {!call.manual && (
        <>
          <Divider />
          <CallEvidence callId={call.id} zone={zone} lang={lang} />
        </>
      )}
    </Stack>
  );
}

export function CallDrawer({ callId, onClose }: { callId: number | null; onClose(): void }) {
  const { t } = useTranslation();
  const query = useQuery({
    queryKey: ['calls', 'detail', callId],
    queryFn: ({ signal }) => fetchCall(callId!, signal),
    enabled: callId !== null,
  });
  return (
    <Drawer
      opened={callId !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={
        <Text fw={700} size="lg">
          {t('call.title', { id: callId ?? '' })}
        </Text>
      }
      data-testid="call-drawer"
    >
      {query.isPending ? (
        <Center h={200}>
          <Loader />
        </Center>
      ) : query.error ? (
        <ApiErrorAlert error={query.error} />
      ) : query.data ? (
        <CallDetails call={query.data} />
      ) : null}
    </Drawer>
  );
}
