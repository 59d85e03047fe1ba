import type { OperatorEfficiencyRow, PurposeRow } from '@callcenter/analytics/aggregate';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDuration } from '../../ui/format.ts';
import type { ReportColumn } from '../csv-export.ts';
import { csvPercent, csvSeconds, formatPercent, formatSeconds } from '../report-format.ts';
import { ReportTable } from '../report-table.tsx';
import { ChartFrame, SERIES } from './chart-frame.tsx';
import { orNotSet } from './label-format.ts';

/** Operator efficiency: rings answered and missed, own talk, AHT, outbound; purposes of answered calls. */
export function OperatorsView({ rows, purposes }: { rows: OperatorEfficiencyRow[]; purposes: PurposeRow[] }) {
  const { t, i18n } = useTranslation('reports');
  const lang = i18n.language;
  const columns: ReportColumn<OperatorEfficiencyRow>[] = [
    { id: 'operator', header: t('col.operator'), value: (r) => r.operator },
    { id: 'answered', header: t('col.answeredRings'), value: (r) => r.answered, numeric: true },
    { id: 'missed', header: t('col.missedRings'), value: (r) => r.missed, numeric: true },
    {
      id: 'missedPct',
      header: t('col.missedPct'),
      value: (r) => csvPercent(r.missedShare),
      format: (r) => formatPercent(r.missedShare, lang),
      numeric: true,
    },
    { id: 'talked', header: t('col.talkedCalls'), value: (r) => r.talkedCalls, numeric: true },
    {
      id: 'talk',
      header: t('col.talkTotal'),
      value: (r) => csvSeconds(r.talkSec),
      format: (r) => formatDuration(r.talkSec),
      numeric: true,
    },
    {
      id: 'avgTalk',
      header: t('col.avgTalk'),
      value: (r) => csvSeconds(r.averageTalkSec),
      format: (r) => formatSeconds(r.averageTalkSec, lang),
      numeric: true,
    },
    {
      id: 'hold',
      header: t('col.holdTotal'),
      value: (r) => csvSeconds(r.holdSec),
      format: (r) => formatDuration(r.holdSec),
      numeric: true,
    },
    {
      id: 'aht',
      header: t('col.aht'),
      value: (r) => csvSeconds(r.ahtSec),
      format: (r) => formatSeconds(r.ahtSec, lang),
      numeric: true,
    },
    { id: 'outbound', header: t('col.outbound'), value: (r) => r.outbound, numeric: true },
  ];
  const purposeColumns: ReportColumn<PurposeRow>[] = [
    { id: 'operator', header: t('col.operator'), value: (r) => r.operator },
    { id: 'purpose', header: t('col.purpose'), value: (r) => orNotSet(r.purpose, t('notSet')) },
    { id: 'calls', header: t('col.calls'), value: (r) => r.calls, numeric: true },
    {
      id: 'share',
      header: t('col.shareOfOperator'),
      value: (r) => csvPercent(r.shareOfOperator),
      format: (r) => formatPercent(r.shareOfOperator, lang),
      numeric: true,
    },
  ];
  return (
    <>
      <ChartFrame label={t('chart.operators')}>
        <BarChart data={rows}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="operator" />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Legend />
          <Bar
            dataKey="answered"
            name={t('col.answeredRings')}
            fill={SERIES.answered}
            isAnimationActive={false}
          />
          <Bar dataKey="missed" name={t('col.missedRings')} fill={SERIES.missed} isAnimationActive={false} />
        </BarChart>
      </ChartFrame>
      <ReportTable
        title={t('view.operators')}
        caption={t('caption.operators')}
        columns={columns}
        rows={rows}
        fileName="operator-efficiency.csv"
        testId="report-operators"
      />
      <ReportTable
        title={t('section.purposes')}
        caption={t('caption.purposes')}
        columns={purposeColumns}
        rows={purposes}
        fileName="operator-purposes.csv"
        testId="report-purposes"
      />
    </>
  );
}
