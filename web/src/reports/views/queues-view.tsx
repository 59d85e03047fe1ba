import type { QueueStatisticsRow } from '@callcenter/analytics/aggregate';
import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { useQueueDisplayName } from '../../ui/queue-time-zones.ts';
import type { ReportColumn } from '../csv-export.ts';
import { percentColumn, secondsColumn } from '../report-columns.ts';
import { ReportTable } from '../report-table.tsx';
import { ChartFrame, SERIES } from './chart-frame.tsx';

/** Queue statistics, with the service-level definition stated (ours, not Asterisk's). */
export function QueuesView({ rows }: { rows: QueueStatisticsRow[] }) {
  const { t, i18n } = useTranslation('reports');
  const lang = i18n.language;
  const queueName = useQueueDisplayName();
  const columns: ReportColumn<QueueStatisticsRow>[] = [
    { id: 'queue', header: t('col.queue'), value: (r) => queueName(r.queue) },
    { id: 'offered', header: t('col.offered'), value: (r) => r.offered, numeric: true },
    { id: 'answered', header: t('col.answered'), value: (r) => r.answered, numeric: true },
    { id: 'abandoned', header: t('col.abandoned'), value: (r) => r.abandoned, numeric: true },
    { id: 'short', header: t('col.shortAbandons'), value: (r) => r.shortAbandoned, numeric: true },
    { id: 'missed', header: t('col.missed'), value: (r) => r.missed, numeric: true },
    percentColumn('answerRate', t('col.answerRate'), (r) => r.answerRate, lang),
    percentColumn('abandonRate', t('col.abandonRate'), (r) => r.abandonRate, lang),
    { id: 't', header: t('col.slThreshold'), value: (r) => r.serviceLevelSec, numeric: true },
    percentColumn('sl', t('col.serviceLevel'), (r) => r.serviceLevel, lang),
    secondsColumn('asa', t('col.asa'), (r) => r.asa, lang),
    secondsColumn('aht', t('col.aht'), (r) => r.aht, lang),
  ];
  return (
    <>
      <Alert variant="light" color="blue" mt="md" title={t('sl.title')} data-testid="sl-definition">
        {t('sl.definition')}
      </Alert>
      <ChartFrame label={t('chart.queues')}>
        <BarChart data={rows.map((r) => ({ ...r, label: queueName(r.queue) }))}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Legend />
          <Bar dataKey="offered" name={t('col.offered')} fill={SERIES.offered} isAnimationActive={false} />
          <Bar dataKey="answered" name={t('col.answered')} fill={SERIES.answered} isAnimationActive={false} />
          <Bar
            dataKey="abandoned"
            name={t('col.abandoned')}
            fill={SERIES.abandoned}
            isAnimationActive={false}
          />
          <Bar dataKey="missed" name={t('col.missed')} fill={SERIES.missed} isAnimationActive={false} />
        </BarChart>
      </ChartFrame>
      <ReportTable
        title={t('view.queues')}
        columns={columns}
        rows={rows}
        fileName="queue-statistics.csv"
        testId="report-queues"
      />
    </>
  );
}
