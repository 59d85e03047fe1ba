import { Badge, Button, Center, Code, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ExplainCelRow, fetchCallExplanation } from '../api/calls.ts';
import { ApiErrorAlert } from '../ui/api-error-alert.tsx';
import { formatTime } from '../ui/format.ts';

/**
 * The call drawer's "Why" section: what `GET /calls/{id}/explain` answers — each decision of the
 * reconciler (field, value, the rule of docs/reconciliation.md, the CEL rows it read), the CEL
 * rows grouped by channel in time order (rows a decision cited are highlighted), and the CDR rows.
 * Loaded only when opened: the rows are read from Asterisk's tables on demand.
 */

const valueText = (value: unknown): string =>
  value === null || value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value);

/** CEL rows per channel (uniqueid), channels by their first row, rows by time then `cel.id`. */
function byChannel(
  rows: readonly ExplainCelRow[],
): { uniqueid: string; channel: string; rows: ExplainCelRow[] }[] {
  const groups = new Map<string, ExplainCelRow[]>();
  const sorted = [...rows].sort((a, b) => a.event_time.localeCompare(b.event_time) || a.id - b.id);
  for (const row of sorted) groups.set(row.uniqueid, [...(groups.get(row.uniqueid) ?? []), row]);
  return [...groups.entries()].map(([uniqueid, list]) => ({
    uniqueid,
    channel: list[0]!.channel,
    rows: list,
  }));
}

function Evidence({ callId, zone, lang }: { callId: number; zone: string; lang: string }) {
  const { t } = useTranslation();
  const query = useQuery({
    queryKey: ['calls', 'explain', callId],
    queryFn: ({ signal }) => fetchCallExplanation(callId, signal),
  });
  if (query.isPending)
    return (
      <Center h={80}>
        <Loader size="sm" />
      </Center>
    );
  if (query.error) return <ApiErrorAlert error={query.error} />;
  const { decisions, cel, cdr } = query.data;
  const cited = new Set(decisions.flatMap((d) => d.evidence));
  const time = (iso: string | null) => formatTime(iso, zone, lang);
  return (
    <Stack gap="md">
      <Table striped withTableBorder fz="sm" data-testid="call-why-decisions">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('call.why.field')}</Table.Th>
            <Table.Th>{t('call.why.value')}</Table.Th>
            <Table.Th>{t('call.why.rule')}</Table.Th>
            <Table.Th>{t('call.why.evidence')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {decisions.map((d) => (
            <Table.Tr key={d.field} data-field={d.field}>
              <Table.Td>{d.field}</Table.Td>
              <Table.Td>{valueText(d.value)}</Table.Td>
              <Table.Td>
                <Code>{d.rule}</Code>
              </Table.Td>
              <Table.Td ff="monospace">{d.evidence.join(', ') || '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>

      <Title order={4} size="h6">
        {t('call.why.cel', { count: cel.length })}
      </Title>
      {byChannel(cel).map((group) => (
        <Stack key={group.uniqueid} gap={4} data-testid="call-why-channel">
          <Text size="sm" fw={600} ff="monospace">
            {group.channel}{' '}
            <Text span c="dimmed">
              ({group.uniqueid})
            </Text>
          </Text>
          <Table withTableBorder fz="xs">
            <Table.Tbody>
              {group.rows.map((row) => (
                <Table.Tr key={row.id} bg={cited.has(row.id) ? 'yellow.1' : undefined}>
                  <Table.Td ff="monospace">{row.id}</Table.Td>
                  <Table.Td>{time(row.event_time)}</Table.Td>
                  <Table.Td>
                    <Badge size="xs" variant="light">
                      {row.event_type}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{[row.app_name, row.app_data].filter(Boolean).join(' ') || row.exten}</Table.Td>
                  <Table.Td ff="monospace" style={{ wordBreak: 'break-all' }}>
                    {row.extra}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      ))}

      <Title order={4} size="h6">
        {t('call.why.cdr', { count: cdr.length })}
      </Title>
      {cdr.length > 0 && (
        <Table striped withTableBorder fz="xs" data-testid="call-why-cdr">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>id</Table.Th>
              <Table.Th>{t('call.started')}</Table.Th>
              <Table.Th>{t('call.answered')}</Table.Th>
              <Table.Th>{t('call.ended')}</Table.Th>
              <Table.Th>channel → dstchannel</Table.Th>
              <Table.Th>lastapp</Table.Th>
              <Table.Th>disposition</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {cdr.map((row) => (
              <Table.Tr key={row.id}>
                <Table.Td ff="monospace">{row.id}</Table.Td>
                <Table.Td>{time(row.start)}</Table.Td>
                <Table.Td>{time(row.answer)}</Table.Td>
                <Table.Td>{time(row.end)}</Table.Td>
                <Table.Td ff="monospace">
                  {row.channel} → {row.dstchannel || '—'}
                </Table.Td>
                <Table.Td>{row.lastapp}</Table.Td>
                <Table.Td>{row.disposition}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

/** The "Why" section: a button that loads the explanation, then the explanation. */
export function CallEvidence({ callId, zone, lang }: { callId: number; zone: string; lang: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <Stack gap="xs" data-testid="call-why">
      <Title order={3} size="h5">
        {t('call.why.title')}
      </Title>
      <Text size="xs" c="dimmed">
        {t('call.why.hint')}
      </Text>
      {open ? (
        <Evidence callId={callId} zone={zone} lang={lang} />
      ) : (
        <Button variant="light" size="xs" onClick={() => setOpen(true)} data-testid="call-why-open">
          {t('call.why.show')}
        </Button>
      )}
    </Stack>
  );
}
