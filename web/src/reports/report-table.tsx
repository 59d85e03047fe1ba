import { Anchor, Button, Group, ScrollArea, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { DownloadIcon } from '../ui/icons.tsx';
import { downloadText, type ReportColumn, reportCsv } from './csv-export.ts';

/**
 * A report table with its CSV export: the same column definitions render the cells and the CSV
 * (the CSV holds every row, raw numbers, and the total line when there is one).
 */
export function ReportTable<R>({
  title,
  columns,
  rows,
  total,
  fileName,
  caption,
  testId,
}: {
  title: string;
  columns: readonly ReportColumn<R>[];
  rows: readonly R[];
  total?: R | null;
  fileName: string;
  caption?: ReactNode;
  testId: string;
}) {
  const { t } = useTranslation('reports');
  const all = total ? [...rows, total] : rows;
  const text = (column: ReportColumn<R>, row: R) => column.format?.(row) ?? String(column.value(row) ?? '—');
  // A figure with a drill-down links to the journal under the same filter (zero: nothing to list).
  const cell = (column: ReportColumn<R>, row: R) => {
    const to = column.value(row) ? column.link?.(row) : null;
    return to ? (
      <Anchor component={Link} to={to} data-drilldown={column.id}>
        {text(column, row)}
      </Anchor>
    ) : (
      text(column, row)
    );
  };
  return (
    <section aria-label={title} data-testid={testId}>
      <Group justify="space-between" mb="xs" mt="md">
        <Title order={3} size="h5">
          {title}
        </Title>
        <Button
          size="xs"
          variant="default"
          className="no-print"
          leftSection={<DownloadIcon />}
          disabled={rows.length === 0}
          onClick={() => downloadText(reportCsv(columns, all), fileName)}
        >
          {t('exportCsv')}
        </Button>
      </Group>
      {caption && (
        <Text size="xs" c="dimmed" mb="xs">
          {caption}
        </Text>
      )}
      {rows.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t('noData')}
        </Text>
      ) : (
        <ScrollArea>
          <Table striped highlightOnHover withTableBorder stickyHeader>
            <Table.Thead>
              <Table.Tr>
                {columns.map((c) => (
                  <Table.Th key={c.id} style={{ textAlign: c.numeric ? 'right' : 'left' }}>
                    {c.header}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: report rows have no identity beyond their order.
                <Table.Tr key={i}>
                  {columns.map((c) => (
                    <Table.Td
                      key={c.id}
                      data-column={c.id}
                      style={{ textAlign: c.numeric ? 'right' : 'left' }}
                    >
                      {cell(c, row)}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
            {total && (
              <Table.Tfoot>
                <Table.Tr data-total>
                  {columns.map((c) => (
                    <Table.Th
                      key={c.id}
                      data-column={c.id}
                      style={{ textAlign: c.numeric ? 'right' : 'left' }}
                    >
                      {cell(c, total)}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Tfoot>
            )}
          </Table>
        </ScrollArea>
      )}
    </section>
  );
}
