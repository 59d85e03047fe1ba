import type { IntervalRow, QueuePeriodRow } from '@callcenter/analytics/aggregate';
import { SegmentedControl } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { useQueueDisplayName } from '../../ui/queue-time-zones.ts';
import type { ReportColumn } from '../csv-export.ts';
import { journalLink, slotEnd, weekEnd } from '../drill-down.ts';
import { percentColumn } from '../report-columns.ts';
import type { ReportSearch } from '../report-period.ts';
import { ReportTable } from '../report-table.tsx';
import { ChartFrame, SERIES } from './chart-frame.tsx';
import { formatDay } from './label-format.ts';

/**
 * The staffing views (docs/metrics.md "Distribution by interval of the day", "Service level over
 * time"): inbound calls by hour or 15-minute interval of the day with the service level, and each
 * queue's service level per day or week. Every count links to the journal with the same filter.
 */

const percent = (share: number | null) => (share === null ? null : Math.round(share * 1000) / 10);

/** Inbound calls by local interval of the day (every interval, zeros included). */
export function IntervalsView({
  hours,
  quarters,
  report,
  zone,
}: {
  hours: IntervalRow[];
  quarters: IntervalRow[];
  report: ReportSearch;
  zone: string;
}) {
  const { t, i18n } = useTranslation('reports');
  const lang = i18n.language;
  const [size, setSize] = useState<'60' | '15'>('60');
  const minutes = size === '60' ? 60 : 15;
  const rows = size === '60' ? hours : quarters;
  const hasCalls = rows.some((r) => r.offered > 0);
  const link =
    (status?: 'answered' | 'abandoned' | 'missed') =>
    (r: IntervalRow): string | null =>
      journalLink(report, zone, {
        direction: 'inbound',
        status,
        timeFrom: r.slot,
        timeTo: slotEnd(r.minute, minutes),
      });
  const columns: ReportColumn<IntervalRow>[] = [
    { id: 'slot', header: t('col.interval'), value: (r) => `${r.slot}–${slotEnd(r.minute, minutes)}` },
    { id: 'offered', header: t('col.inbound'), value: (r) => r.offered, numeric: true, link: link() },
    {
      id: 'answered',
      header: t('col.answered'),
      value: (r) => r.answered,
      numeric: true,
      link: link('answered'),
    },
    {
      id: 'abandoned',
      header: t('col.abandoned'),
      value: (r) => r.abandoned,
      numeric: true,
      link: link('abandoned'),
    },
    { id: 'missed', header: t('col.missed'), value: (r) => r.missed, numeric: true, link: link('missed') },
    percentColumn('sl', t('col.serviceLevel'), (r) => r.serviceLevel, lang),
  ];
  return (
    <>
      <SegmentedControl
        mt="md"
        className="no-print"
        value={size}
        onChange={(v) => setSize(v as '60' | '15')}
        data={[
          { value: '60', label: t('interval.hour') },
          { value: '15', label: t('interval.quarter') },
        ]}
        data-testid="interval-size"
      />
      <ChartFrame label={t('chart.intervals')}>
        <ComposedChart data={rows.map((r) => ({ ...r, sl: percent(r.serviceLevel) }))}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="slot" />
          <YAxis yAxisId="calls" allowDecimals={false} />
          <YAxis yAxisId="sl" orientation="right" domain={[0, 100]} unit="%" />
          <Tooltip />
          <Legend />
          <Bar
            yAxisId="calls"
            dataKey="answered"
            stackId="in"
            name={t('col.answered')}
            fill={SERIES.answered}
            isAnimationActive={false}
          />
          <Bar
            yAxisId="calls"
            dataKey="abandoned"
            stackId="in"
            name={t('col.abandoned')}
            fill={SERIES.abandoned}
            isAnimationActive={false}
          />
          <Bar
            yAxisId="calls"
            dataKey="missed"
            stackId="in"
            name={t('col.missed')}
            fill={SERIES.missed}
            isAnimationActive={false}
          />
          <Line
            yAxisId="sl"
            dataKey="sl"
            name={t('col.serviceLevel')}
            stroke={SERIES.level}
            connectNulls
            isAnimationActive={false}
          />
        </ComposedChart>
      </ChartFrame>
      <ReportTable
        title={t('view.intervals')}
        caption={t('caption.intervals', { zone })}
        columns={columns}
        rows={hasCalls ? rows : []}
        fileName={`intervals-${minutes}.csv`}
        testId="report-intervals"
      />
    </>
  );
}

/** Each queue's service level per local day or Monday week. */
export function ServiceLevelView({
  days,
  weeks,
  report,
  zone,
}: {
  days: QueuePeriodRow[];
  weeks: QueuePeriodRow[];
  report: ReportSearch;
  zone: string;
}) {
  const { t, i18n } = useTranslation('reports');
  const lang = i18n.language;
  const queueName = useQueueDisplayName();
  const [grain, setGrain] = useState<'day' | 'week'>('day');
  const rows = grain === 'day' ? days : weeks;
  const queues = [...new Set(rows.map((r) => r.queue))];
  const byBucket = new Map<string, Record<string, number | string | null>>();
  for (const r of rows) {
    const point = byBucket.get(r.bucket) ?? { label: formatDay(r.bucket, lang) };
    point[r.queue] = percent(r.serviceLevel);
    byBucket.set(r.bucket, point);
  }
  const palette = [
    SERIES.level,
    SERIES.offered,
    SERIES.outbound,
    SERIES.callbacks,
    SERIES.answered,
    SERIES.missed,
  ];
  const link =
    (status?: 'answered' | 'abandoned') =>
    (r: QueuePeriodRow): string | null =>
      journalLink(report, zone, {
        direction: 'inbound',
        queue: r.queue,
        status,
        from: r.bucket,
        to: grain === 'day' ? r.bucket : weekEnd(r.bucket),
      });
  const columns: ReportColumn<QueuePeriodRow>[] = [
    { id: 'queue', header: t('col.queue'), value: (r) => queueName(r.queue) },
    {
      id: 'bucket',
      header: grain === 'day' ? t('col.day') : t('col.week'),
      value: (r) => r.bucket,
      format: (r) => formatDay(r.bucket, lang),
    },
    { id: 'offered', header: t('col.offered'), value: (r) => r.queueOffered, numeric: true, link: link() },
    {
      id: 'answered',
      header: t('col.answered'),
      value: (r) => r.answered,
      numeric: true,
      link: link('answered'),
    },
    { id: 'inSl', header: t('col.answeredInSl'), value: (r) => r.queueAnsweredInSl, numeric: true },
    {
      id: 'abandoned',
      header: t('col.abandoned'),
      value: (r) => r.abandoned,
      numeric: true,
      link: link('abandoned'),
    },
    { id: 'short', header: t('col.shortAbandons'), value: (r) => r.queueShortAbandons, numeric: true },
    percentColumn('sl', t('col.serviceLevel'), (r) => r.serviceLevel, lang),
  ];
  return (
    <>
      <SegmentedControl
        mt="md"
        className="no-print"
        value={grain}
        onChange={(v) => setGrain(v as 'day' | 'week')}
        data={[
          { value: 'day', label: t('grain.day') },
          { value: 'week', label: t('grain.week') },
        ]}
        data-testid="sl-grain"
      />
      <ChartFrame label={t('chart.serviceLevel')}>
        <LineChart data={[...byBucket.values()]}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" />
          <YAxis domain={[0, 100]} unit="%" />
          <Tooltip />
          <Legend />
          {queues.map((queue, i) => (
            <Line
              key={queue}
              dataKey={queue}
              name={queueName(queue)}
              stroke={palette[i % palette.length]}
              connectNulls
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ChartFrame>
      <ReportTable
        title={t('view.serviceLevel')}
        caption={t('sl.definition')}
        columns={columns}
        rows={rows}
        fileName={`service-level-${grain}.csv`}
        testId="report-service-level"
      />
    </>
  );
}
