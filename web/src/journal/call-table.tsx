import { Box, Center, Loader, Text, UnstyledButton } from '@mantine/core';
import { flexRender, getCoreRowModel, type SortingState, useReactTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallSummary } from '../api/calls.ts';
import { DownIcon, UpIcon } from '../ui/icons.tsx';
import { useOperatorLabel } from '../ui/operator-names.ts';
import { useQueueDisplayName, useQueueTimeZone } from '../ui/queue-time-zones.ts';
import { type ColumnMeta, callColumns } from './call-columns.tsx';
import classes from './call-table.module.css';
import type { SortKey } from './calls-api.ts';

/**
 * The journal's call table: TanStack Table for columns and (server-side) sorting, TanStack Virtual
 * so only the visible rows exist in the DOM however many pages are loaded, and infinite scroll
 * (the next keyset page is fetched when the last rows come into view). Keyboard: Tab reaches the
 * rows, ↑/↓ move between them, Enter opens the call.
 */

const ROW_HEIGHT = 44;
const HEADER_HEIGHT = 38;
/** Fetch the next page when this many rows remain below the viewport. */
const PREFETCH_ROWS = 30;

export interface CallTableProps {
  calls: CallSummary[];
  sort: SortKey;
  order: 'asc' | 'desc';
  onSortChange(sort: SortKey, order: 'asc' | 'desc'): void;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage(): void;
  onOpen(call: CallSummary): void;
  selectedId: number | null;
  loading: boolean;
}

export function CallTable(props: CallTableProps) {
  const { t, i18n } = useTranslation();
  const zoneOf = useQueueTimeZone();
  const queueName = useQueueDisplayName();
  const operatorName = useOperatorLabel();
  const columns = useMemo(
    () => callColumns(t, i18n.language, zoneOf, queueName, operatorName),
    [t, i18n.language, zoneOf, queueName, operatorName],
  );
  const sorting: SortingState = [{ id: props.sort, desc: props.order === 'desc' }];
  const table = useReactTable({
    data: props.calls,
    columns,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    state: { sorting },
    getRowId: (call) => String(call.id),
  });
  const template = table
    .getVisibleLeafColumns()
    .map((column) => (column.columnDef.meta as ColumnMeta).width)
    .join(' ');

  const scrollRef = useRef<HTMLDivElement>(null);
  const rows = table.getRowModel().rows;
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // The sticky header sits above the rows inside the same scroll container.
    scrollPaddingStart: HEADER_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = props;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastIndex >= rows.length - PREFETCH_ROWS) fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, lastIndex, rows.length]);

  const toggleSort = (key: SortKey) => {
    if (props.sort === key) props.onSortChange(key, props.order === 'desc' ? 'asc' : 'desc');
    else props.onSortChange(key, 'desc');
  };

  const focusRow = (index: number) => {
    if (index < 0 || index >= rows.length) return;
    const rowAt = () => scrollRef.current?.querySelector<HTMLElement>(`[data-index="${index}"]`);
    virtualizer.scrollToIndex(index, { align: 'auto' });
    // An adjacent row is almost always rendered already: focus it now, so an Enter typed right
    // after the arrow opens that row, not the previous one. Otherwise once the virtualizer drew it.
    const rendered = rowAt();
    if (rendered) rendered.focus();
    else requestAnimationFrame(() => rowAt()?.focus());
  };
  const onRowKey = (event: KeyboardEvent<HTMLTableRowElement>, index: number, call: CallSummary) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      focusRow(index + 1);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      focusRow(index - 1);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      props.onOpen(call);
    }
  };

  const empty = rows.length === 0;
  return (
    <div ref={scrollRef} className={classes.scroll} data-testid="call-table">
      <table className={classes.table} aria-label={t('journal.title')} aria-rowcount={rows.length + 1}>
        <thead className={classes.header}>
          <tr className={classes.headRow} style={{ gridTemplateColumns: template }}>
            {table.getFlatHeaders().map((header) => {
              const meta = header.column.columnDef.meta as ColumnMeta;
              const content = flexRender(header.column.columnDef.header, header.getContext());
              const sorted = meta.sortKey && props.sort === meta.sortKey ? props.order : null;
              return (
                <th
                  key={header.id}
                  className={classes.cell}
                  data-align={meta.align}
                  aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                >
                  {meta.sortKey ? (
                    <UnstyledButton
                      className={classes.sortButton}
                      onClick={() => toggleSort(meta.sortKey!)}
                      data-testid={`sort-${meta.sortKey}`}
                      data-sorted={sorted ?? undefined}
                    >
                      {content}
                      {sorted === 'asc' ? (
                        <UpIcon size={14} />
                      ) : sorted === 'desc' ? (
                        <DownIcon size={14} />
                      ) : null}
                    </UnstyledButton>
                  ) : (
                    content
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody className={classes.rows} style={{ height: empty ? undefined : virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index]!;
            const call = row.original;
            return (
              <tr
                key={row.id}
                tabIndex={0}
                aria-rowindex={item.index + 2}
                data-index={item.index}
                data-testid="call-row"
                data-call-id={call.id}
                data-linkedid={call.linkedid}
                data-incomplete={call.card_complete ? undefined : 'true'}
                data-selected={props.selectedId === call.id ? 'true' : undefined}
                className={classes.row}
                style={{ gridTemplateColumns: template, transform: `translateY(${item.start}px)` }}
                onClick={() => props.onOpen(call)}
                onKeyDown={(event) => onRowKey(event, item.index, call)}
              >
                {row.getVisibleCells().map((cell) => {
                  const meta = cell.column.columnDef.meta as ColumnMeta;
                  return (
                    <td
                      key={cell.id}
                      className={classes.cell}
                      data-align={meta.align}
                      data-column={cell.column.id}
                    >
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      {empty &&
        (props.loading ? (
          <Center h={200}>
            <Loader />
          </Center>
        ) : (
          <Center h={200}>
            <Text c="dimmed" data-testid="journal-empty">
              {t('journal.empty')}
            </Text>
          </Center>
        ))}
      {props.isFetchingNextPage && (
        <Box py="sm" className={classes.more}>
          <Center>
            <Loader size="sm" />
          </Center>
        </Box>
      )}
    </div>
  );
}
