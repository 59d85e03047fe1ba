import { Badge, Group, Text, Tooltip } from '@mantine/core';
import { type ColumnDef, createColumnHelper } from '@tanstack/react-table';
import type { TFunction } from 'i18next';
import type { CallSummary } from '../api/calls.ts';
import { CallStatusBadge } from '../ui/call-status-badge.tsx';
import { formatDateTime, formatDateTimeShort, formatDuration, zoneAbbreviation } from '../ui/format.ts';
import { PlayIcon } from '../ui/icons.tsx';
import type { SortKey } from './calls-api.ts';

/**
 * The journal's columns (TanStack Table definitions). Widths are fixed so the virtualized rows
 * (absolutely positioned) line up with the header; sortable columns are the API's sort keys.
 */

export interface ColumnMeta {
  width: string;
  align?: 'right';
  sortKey?: SortKey;
}

const helper = createColumnHelper<CallSummary>();

export function callColumns(
  t: TFunction,
  language: string,
  zoneOf: (queue: string | null, serverId: string) => string,
  queueName: (queue: string | null, serverId: string) => string = (queue) => queue ?? '—',
  operatorName: (endpoint: string | null, serverId: string) => string = (endpoint) => endpoint ?? '',
): ColumnDef<CallSummary, unknown>[] {
  const seconds = (value: number) => formatDuration(value);
  const columns = [
    helper.accessor('started_at', {
      id: 'started_at',
      header: t('journal.col.started'),
      meta: { width: '140px', sortKey: 'started_at' } satisfies ColumnMeta,
      cell: ({ row }) => {
        const zone = zoneOf(row.original.queue, row.original.server_id);
        return (
          <Tooltip
            label={`${formatDateTime(row.original.started_at, zone, language)} · ${zone} (${zoneAbbreviation(row.original.started_at, zone, language)})`}
          >
            <Text size="sm" span style={{ fontVariantNumeric: 'tabular-nums' }}>
              {formatDateTimeShort(row.original.started_at, zone, language)}
            </Text>
          </Tooltip>
        );
      },
    }),
    helper.accessor('direction', {
      header: t('journal.col.direction'),
      meta: { width: '64px' } satisfies ColumnMeta,
      cell: ({ getValue }) => (
        <Tooltip label={t(`direction.${getValue()}`)}>
          <Text size="sm">{t(`directionShort.${getValue()}`)}</Text>
        </Tooltip>
      ),
    }),
    helper.accessor('status', {
      header: t('journal.col.status'),
      meta: { width: '124px' } satisfies ColumnMeta,
      cell: ({ getValue }) => <CallStatusBadge status={getValue()} />,
    }),
    helper.accessor('queue', {
      header: t('journal.col.queue'),
      meta: { width: '84px' } satisfies ColumnMeta,
      cell: ({ row }) => (
        <Text size="sm" truncate="end" title={row.original.queue ?? undefined}>
          {queueName(row.original.queue, row.original.server_id)}
        </Text>
      ),
    }),
    helper.accessor('operator_endpoint', {
      header: t('journal.col.operator'),
      meta: { width: '92px' } satisfies ColumnMeta,
      cell: ({ row }) => {
        const endpoint = row.original.operator_endpoint;
        const label = operatorName(endpoint, row.original.server_id);
        if (!endpoint || label === endpoint) return <Text size="sm">{endpoint ?? '—'}</Text>;
        // A narrow column: the name is cut, the endpoint beside it never is.
        const name = label.slice(0, label.length - endpoint.length - 3);
        return (
          <Group gap={4} wrap="nowrap" title={label} style={{ minWidth: 0 }}>
            <Text size="sm" truncate="end" style={{ minWidth: 0 }}>
              {name}
            </Text>
            <Text size="sm" c="dimmed" style={{ flexShrink: 0 }}>
              {` (${endpoint})`}
            </Text>
          </Group>
        );
      },
    }),
    helper.accessor('src_number', {
      header: t('journal.col.from'),
      meta: { width: '108px' } satisfies ColumnMeta,
      cell: ({ getValue }) => (
        <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
          {getValue() ?? '—'}
        </Text>
      ),
    }),
    helper.accessor('dst_number', {
      header: t('journal.col.to'),
      meta: { width: '108px' } satisfies ColumnMeta,
      cell: ({ getValue }) => (
        <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
          {getValue() ?? '—'}
        </Text>
      ),
    }),
    helper.accessor('wait_sec', {
      id: 'wait_sec',
      header: t('journal.col.wait'),
      meta: { width: '64px', align: 'right', sortKey: 'wait_sec' } satisfies ColumnMeta,
      cell: ({ getValue }) => seconds(getValue()),
    }),
    helper.accessor('talk_sec', {
      id: 'talk_sec',
      header: t('journal.col.talk'),
      meta: { width: '84px', align: 'right', sortKey: 'talk_sec' } satisfies ColumnMeta,
      cell: ({ getValue }) => seconds(getValue()),
    }),
    helper.accessor('duration_sec', {
      id: 'duration_sec',
      header: t('journal.col.duration'),
      meta: { width: '64px', align: 'right', sortKey: 'duration_sec' } satisfies ColumnMeta,
      cell: ({ getValue }) => seconds(getValue()),
    }),
    helper.display({
      id: 'card',
      header: t('journal.col.card'),
      meta: { width: 'minmax(132px, 1fr)' } satisfies ColumnMeta,
      cell: ({ row }) => {
        const call = row.original;
        const summary = [call.purpose_name, call.category_name, call.subcategory_name]
          .filter(Boolean)
          .join(' · ');
        return (
          <Group gap={6} wrap="nowrap" style={{ overflow: 'hidden' }}>
            {call.card_complete ? (
              <Badge color="teal" variant="outline" size="sm">
                {t('journal.card.complete')}
              </Badge>
            ) : (
              <Badge color="orange" variant="filled" size="sm" data-testid="card-incomplete">
                {t('journal.card.incomplete')}
              </Badge>
            )}
            {call.needs_callback && (
              <Badge color="red" variant="light" size="sm">
                {t('journal.card.callback')}
              </Badge>
            )}
            <Text size="sm" truncate c={summary ? undefined : 'dimmed'}>
              {summary || call.notes || ''}
            </Text>
          </Group>
        );
      },
    }),
    helper.accessor('has_recording', {
      header: () => <PlayIcon size={14} aria-label={t('journal.col.recording')} />,
      meta: { width: '32px' } satisfies ColumnMeta,
      cell: ({ getValue }) =>
        getValue() ? (
          <Tooltip label={t('journal.hasRecording')}>
            <PlayIcon size={14} color="var(--mantine-color-dimmed)" aria-label={t('journal.hasRecording')} />
          </Tooltip>
        ) : null,
    }),
  ];
  return columns as ColumnDef<CallSummary, unknown>[];
}
