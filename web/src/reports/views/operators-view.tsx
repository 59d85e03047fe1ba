import type { OperatorEfficiencyRow, PurposeRow } from '@callcenter/analytics/aggregate';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { useOperatorLabel } from '../../ui/operator-names.ts';
import type { ReportColumn } from '../csv-export.ts';
import { durationColumn, percentColumn, secondsColumn } from '../report-columns.ts';
import { ReportTable } from '../report-table.tsx';
import { ChartFrame, SERIES } from './chart-frame.tsx';
import { orNotSet } from './label-format.ts';

/** Operator efficiency: rings answered and missed, own talk, AHT, outbound; purposes of answered calls. */
export function OperatorsView({ rows, purposes }: { rows: OperatorEfficiencyRow[]; purposes: PurposeRow[] }) {
  const { t, i18n } = useTranslation('reports');
  const lang = i18n.language;
  const operatorName = useOperatorLabel();
  const columns: ReportColumn<OperatorEfficiencyRow>[] = [
    { id: 'operator', header: t('col.operator'), value: (r) => operatorName(r.operator) },
    { id: 'answered', header: t('col.answeredRings'), value: (r) => r.answered, numeric: true },
    { id: 'missed', header: t('col.missedRings'), value: (r) => r.missed, numeric: true },
    percentColumn('missedPct', t('col.missedPct'), (r) => r.missedShare, lang),
    { id: 'talked', header: t('col.talkedCalls'), value: (r) => r.talkedCalls, numeric: true },
    durationColumn('talk', t('col.talkTotal'), (r) => r.talkSec),
    secondsColumn('avgTalk', t('col.avgTalk'), (r) => r.averageTalkSec, lang),
    durationColumn('hold', t('col.holdTotal'), (r) => r.holdSec),
    secondsColumn('aht', t('col.aht'), (r) => r.ahtSec, lang),
    { id: 'outbound', header: t('col.outbound'), value: (r) => r.outbound, numeric: true },
  ];
  const purposeColumns: ReportColumn<PurposeRow>[] = [
    { id: 'operator', header: t('col.operator'), value: (r) => operatorName(r.operator) },
    { id: 'purpose', header: t('col.purpose'), value: (r) => orNotSet(r.purpose, t('notSet')) },
    { id: 'calls', header: t('col.calls'), value: (r) => r.calls, numeric: true },
    percentColumn('share', t('col.shareOfOperator'), (r) => r.shareOfOperator, lang),
  ];
  return (
    <>
      <ChartFrame label={t('chart.operators')}>
        <BarChart data={rows.map((r) => ({ ...r, label: operatorName(r.operator) }))}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" />
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
