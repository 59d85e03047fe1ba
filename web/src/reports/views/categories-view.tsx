import type { CategoryRow } from '@callcenter/analytics/aggregate';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import type { ReportColumn } from '../csv-export.ts';
import { percentColumn } from '../report-columns.ts';
import { ReportTable } from '../report-table.tsx';
import { ChartFrame, SERIES } from './chart-frame.tsx';

/** Calls per card category and the share that needs a callback. */
export function CategoriesView({ rows }: { rows: CategoryRow[] }) {
  const { t, i18n } = useTranslation('reports');
  const lang = i18n.language;
  const columns: ReportColumn<CategoryRow>[] = [
    { id: 'category', header: t('col.category'), value: (r) => r.category },
    { id: 'calls', header: t('col.calls'), value: (r) => r.calls, numeric: true },
    percentColumn('share', t('col.shareOfCalls'), (r) => r.shareOfCalls, lang),
    { id: 'callbacks', header: t('col.callbacks'), value: (r) => r.callbacks, numeric: true },
    percentColumn('callbackShare', t('col.callbackShare'), (r) => r.callbackShare, lang),
  ];
  return (
    <>
      <ChartFrame label={t('chart.categories')}>
        <BarChart data={rows} layout="vertical" margin={{ left: 24 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis type="number" allowDecimals={false} />
          <YAxis type="category" dataKey="category" width={140} />
          <Tooltip />
          <Legend />
          <Bar dataKey="calls" name={t('col.calls')} fill={SERIES.offered} isAnimationActive={false} />
          <Bar
            dataKey="callbacks"
            name={t('col.callbacks')}
            fill={SERIES.callbacks}
            isAnimationActive={false}
          />
        </BarChart>
      </ChartFrame>
      <ReportTable
        title={t('view.categories')}
        caption={t('caption.categories')}
        columns={columns}
        rows={rows}
        fileName="categories.csv"
        testId="report-categories"
      />
    </>
  );
}
