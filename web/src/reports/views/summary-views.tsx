import type { DailySummaryRow, RollupPeriodRow, WeeklyCategoryRow } from '@callcenter/analytics/aggregate';
import { Alert } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { ReportColumn } from '../csv-export.ts';
import { fillDays, fillRollupDays } from '../period-days.ts';
import { percentColumn, secondsColumn } from '../report-columns.ts';
import { ReportTable } from '../report-table.tsx';
import { ChartFrame, SERIES } from './chart-frame.tsx';
import { formatDay } from './label-format.ts';

/**
 * The daily consolidated report ("Сводный отчёт по звонкам", sql/ANALYSTS.md "Daily consolidated report": date, answered, lost,
 * outbound, service level, and a total line) and the weekly dynamics, from the facts; for long
 * periods the same views from the rollup (inbound only: the rollup has no outbound split).
 */

function summaryColumns(
  t: TFunction<'reports'>,
  lang: string,
  first: string,
): ReportColumn<DailySummaryRow>[] {
  return [
    {
      id: 'day',
      header: first,
      value: (r) => (r.day === 'total' ? t('total') : r.day),
      format: (r) => (r.day === 'total' ? t('total') : formatDay(r.day, lang)),
    },
    { id: 'answered', header: t('col.answered'), value: (r) => r.answered, numeric: true },
    { id: 'lost', header: t('col.lost'), value: (r) => r.lost, numeric: true },
    { id: 'short', header: t('col.shortAbandons'), value: (r) => r.shortAbandons, numeric: true },
    { id: 'outbound', header: t('col.outbound'), value: (r) => r.outbound, numeric: true },
    {
      id: 'outboundAnswered',
      header: t('col.outboundAnswered'),
      value: (r) => r.outboundAnswered,
      numeric: true,
    },
    percentColumn('sl', t('col.serviceLevel'), (r) => r.serviceLevel, lang),
  ];
}

function rollupColumns(
  t: TFunction<'reports'>,
  lang: string,
  first: string,
): ReportColumn<RollupPeriodRow>[] {
  return [
    { id: 'bucket', header: first, value: (r) => r.bucket, format: (r) => formatDay(r.bucket, lang) },
    { id: 'offered', header: t('col.offered'), value: (r) => r.offered, numeric: true },
    { id: 'answered', header: t('col.answered'), value: (r) => r.answered, numeric: true },
    { id: 'lost', header: t('col.lost'), value: (r) => r.lost, numeric: true },
    { id: 'short', header: t('col.shortAbandons'), value: (r) => r.shortAbandons, numeric: true },
    percentColumn('sl', t('col.serviceLevel'), (r) => r.serviceLevel, lang),
    secondsColumn('asa', t('col.asa'), (r) => r.asaSec, lang),
  ];
}

function PeriodChart({ data, label, line }: { data: object[]; label: string; line?: boolean }) {
  const { t } = useTranslation('reports');
  const Chart = line ? LineChart : BarChart;
  return (
    <ChartFrame label={label}>
      <Chart data={data}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="label" />
        <YAxis allowDecimals={false} />
        <Tooltip />
        <Legend />
        {line ? (
          <>
            <Line
              dataKey="answered"
              name={t('col.answered')}
              stroke={SERIES.answered}
              isAnimationActive={false}
            />
            <Line dataKey="lost" name={t('col.lost')} stroke={SERIES.lost} isAnimationActive={false} />
            <Line
              dataKey="outbound"
              name={t('col.outbound')}
              stroke={SERIES.outbound}
              isAnimationActive={false}
            />
          </>
        ) : (
          <>
            <Bar
              dataKey="answered"
              name={t('col.answered')}
              stackId="in"
              fill={SERIES.answered}
              isAnimationActive={false}
            />
            <Bar
              dataKey="lost"
              name={t('col.lost')}
              stackId="in"
              fill={SERIES.lost}
              isAnimationActive={false}
            />
            <Bar
              dataKey="outbound"
              name={t('col.outbound')}
              fill={SERIES.outbound}
              isAnimationActive={false}
            />
          </>
        )}
      </Chart>
    </ChartFrame>
  );
}

const chartRows = (rows: readonly (DailySummaryRow | RollupPeriodRow)[], lang: string) =>
  rows.map((r) => {
    const label = 'day' in r ? r.day : r.bucket;
    return {
      label: formatDay(label, lang),
      answered: r.answered,
      lost: r.lost,
      outbound: 'outbound' in r ? r.outbound : undefined,
    };
  });

export function DailyView({
  days: dayRows,
  total,
  rollupDays: rollupRows,
  mode,
  periodDays,
}: {
  days: DailySummaryRow[];
  total: DailySummaryRow | null;
  rollupDays: RollupPeriodRow[];
  mode: 'facts' | 'rollup';
  /** Every day of the period (`YYYY-MM-DD`): days without calls show as zeros. */
  periodDays: readonly string[];
}) {
  const { t, i18n } = useTranslation('reports');
  const lang = i18n.language;
  const hasCalls = dayRows.length > 0 || rollupRows.length > 0;
  const days = hasCalls ? fillDays(dayRows, periodDays) : [];
  const rollupDays = hasCalls ? fillRollupDays(rollupRows, periodDays) : [];
  if (mode === 'rollup') {
    return (
      <>
        <Alert variant="light" mt="md">
          {t('rollupNote')}
        </Alert>
        <PeriodChart data={chartRows(rollupDays, lang)} label={t('chart.daily')} />
        <ReportTable
          title={t('view.daily')}
          columns={rollupColumns(t, lang, t('col.day'))}
          rows={rollupDays}
          fileName="daily-summary.csv"
          testId="report-daily"
        />
      </>
    );
  }
  return (
    <>
      <PeriodChart data={chartRows(days, lang)} label={t('chart.daily')} />
      <ReportTable
        title={t('view.daily')}
        caption={t('caption.daily')}
        columns={summaryColumns(t, lang, t('col.day'))}
        rows={days}
        total={total}
        fileName="daily-summary.csv"
        testId="report-daily"
      />
    </>
  );
}

export function WeeklyView({
  weeks,
  categories,
  rollupWeeks,
  mode,
}: {
  weeks: DailySummaryRow[];
  categories: WeeklyCategoryRow[];
  rollupWeeks: RollupPeriodRow[];
  mode: 'facts' | 'rollup';
}) {
  const { t, i18n } = useTranslation('reports');
  const lang = i18n.language;
  const categoryColumns: ReportColumn<WeeklyCategoryRow>[] = [
    { id: 'week', header: t('col.week'), value: (r) => r.week, format: (r) => formatDay(r.week, lang) },
    { id: 'category', header: t('col.category'), value: (r) => r.category },
    { id: 'calls', header: t('col.calls'), value: (r) => r.calls, numeric: true },
    { id: 'callbacks', header: t('col.callbacks'), value: (r) => r.callbacks, numeric: true },
    percentColumn('callbackShare', t('col.callbackShare'), (r) => r.callbackShare, lang),
  ];
  if (mode === 'rollup') {
    return (
      <>
        <PeriodChart data={chartRows(rollupWeeks, lang)} label={t('chart.weekly')} line />
        <ReportTable
          title={t('view.weekly')}
          columns={rollupColumns(t, lang, t('col.week'))}
          rows={rollupWeeks}
          fileName="weekly-dynamics.csv"
          testId="report-weekly"
        />
      </>
    );
  }
  return (
    <>
      <PeriodChart data={chartRows(weeks, lang)} label={t('chart.weekly')} line />
      <ReportTable
        title={t('view.weekly')}
        caption={t('caption.weekly')}
        columns={summaryColumns(t, lang, t('col.week'))}
        rows={weeks}
        fileName="weekly-dynamics.csv"
        testId="report-weekly"
      />
      <ReportTable
        title={t('section.weeklyCategories')}
        columns={categoryColumns}
        rows={categories}
        fileName="weekly-categories.csv"
        testId="report-weekly-categories"
      />
    </>
  );
}
