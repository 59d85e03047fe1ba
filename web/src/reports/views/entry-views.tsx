import type {
  DidChoiceRow,
  DidRow,
  RepeatCallerRow,
  RepeatReport,
  RepeatRow,
} from '@callcenter/analytics/aggregate';
import { Group, NumberInput } from '@mantine/core';
import { DateTime } from 'luxon';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { IVR_NO_CHOICE } from '../../api/calls.ts';
import { useQueueDisplayName } from '../../ui/queue-time-zones.ts';
import type { ReportColumn } from '../csv-export.ts';
import { journalLink } from '../drill-down.ts';
import { percentColumn, secondsColumn } from '../report-columns.ts';
import type { ReportSearch } from '../report-period.ts';
import { ReportTable } from '../report-table.tsx';
import { ChartFrame, SERIES } from './chart-frame.tsx';

/**
 * How customers come in and come back (docs/metrics.md "Calls by DID", "Repeat callers and FCR"):
 * inbound calls per number dialled, and repeat callers with first-contact resolution. Every count
 * links to the journal with the same filter where the journal can express it.
 */

/** Inbound calls per DID, then the same calls per DID × IVR menu choice (docs/reconciliation.md#ivr-choice). */
export function DidView({ rows, report, zone }: { rows: DidRow[]; report: ReportSearch; zone: string }) {
  const { t, i18n } = useTranslation('reports');
  const lang = i18n.language;
  const label = (r: DidRow) => r.did || t('col.noDid');
  // A call without a DID cannot be asked of the journal (its `did` filter needs a number).
  const link =
    (status?: 'answered' | 'abandoned' | 'missed', endedAtStage?: 'ivr' | 'refused') =>
    (r: DidRow): string | null =>
      r.did ? journalLink(report, zone, { direction: 'inbound', did: r.did, status, endedAtStage }) : null;
  const columns: ReportColumn<DidRow>[] = [
    { id: 'did', header: t('col.did'), value: label },
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
    { id: 'short', header: t('col.shortAbandons'), value: (r) => r.shortAbandons, numeric: true },
    // Apart from the queue abandons: where calls ended before any queue (docs/reconciliation.md#ended-at-stage).
    {
      id: 'endedInIvr',
      header: t('col.endedInIvr'),
      value: (r) => r.endedInIvr,
      numeric: true,
      link: link(undefined, 'ivr'),
    },
    {
      id: 'refused',
      header: t('col.refused'),
      value: (r) => r.refused,
      numeric: true,
      link: link(undefined, 'refused'),
    },
    percentColumn('sl', t('col.serviceLevel'), (r) => r.serviceLevel, lang),
    secondsColumn('asa', t('col.asa'), (r) => r.asa, lang),
  ];
  // Per IVR choice: the journal's `ivr_choice` (`-` = the calls with none).
  const choiceLink =
    (status?: 'answered' | 'abandoned' | 'missed') =>
    (r: DidChoiceRow): string | null =>
      r.did
        ? journalLink(report, zone, {
            direction: 'inbound',
            did: r.did,
            status,
            ivrChoice: r.ivrChoice || IVR_NO_CHOICE,
          })
        : null;
  const choiceColumns: ReportColumn<DidChoiceRow>[] = [
    { id: 'did', header: t('col.did'), value: (r) => r.did || t('col.noDid') },
    { id: 'ivrChoice', header: t('col.ivrChoice'), value: (r) => r.ivrChoice || t('col.noIvrChoice') },
    { id: 'offered', header: t('col.inbound'), value: (r) => r.offered, numeric: true, link: choiceLink() },
    {
      id: 'answered',
      header: t('col.answered'),
      value: (r) => r.answered,
      numeric: true,
      link: choiceLink('answered'),
    },
    {
      id: 'abandoned',
      header: t('col.abandoned'),
      value: (r) => r.abandoned,
      numeric: true,
      link: choiceLink('abandoned'),
    },
    {
      id: 'missed',
      header: t('col.missed'),
      value: (r) => r.missed,
      numeric: true,
      link: choiceLink('missed'),
    },
  ];
  return (
    <>
      <ChartFrame label={t('chart.dids')}>
        <BarChart data={rows.map((r) => ({ ...r, label: label(r) }))}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Legend />
          <Bar
            dataKey="answered"
            stackId="in"
            name={t('col.answered')}
            fill={SERIES.answered}
            isAnimationActive={false}
          />
          <Bar
            dataKey="abandoned"
            stackId="in"
            name={t('col.abandoned')}
            fill={SERIES.abandoned}
            isAnimationActive={false}
          />
          <Bar
            dataKey="missed"
            stackId="in"
            name={t('col.missed')}
            fill={SERIES.missed}
            isAnimationActive={false}
          />
        </BarChart>
      </ChartFrame>
      <ReportTable
        title={t('view.dids')}
        caption={t('caption.dids')}
        columns={columns}
        rows={rows}
        fileName="dids.csv"
        testId="report-dids"
      />
      <ReportTable
        title={t('view.didChoices')}
        caption={t('caption.didChoices')}
        columns={choiceColumns}
        rows={rows.flatMap((r) => r.choices)}
        fileName="did-ivr-choices.csv"
        testId="report-did-choices"
      />
    </>
  );
}

/**
 * The journal's `number` filter for a customer, or null when it cannot list exactly their calls:
 * GET /calls matches `digits` or `+digits` exactly, so every spelling must be one of those two.
 */
export function callerFilter(spellings: readonly string[]): string | null {
  const digits = spellings[0]?.replace(/^\+/, '') ?? '';
  if (!/^[0-9]{1,32}$/.test(digits)) return null;
  return spellings.every((s) => s === digits || s === `+${digits}`) ? digits : null;
}

/** Repeat callers and FCR per queue, with the window N as a control, and the customers who came back. */
export function RepeatsView({
  repeats,
  report,
  zone,
  windowDays,
  onWindowDays,
}: {
  repeats: RepeatReport | null;
  report: ReportSearch;
  zone: string;
  windowDays: number;
  onWindowDays: (days: number) => void;
}) {
  const { t, i18n } = useTranslation('reports');
  const lang = i18n.language;
  const queueName = useQueueDisplayName();
  const days = repeats?.windowDays ?? windowDays;
  const name = (r: RepeatRow) =>
    r.queue === null ? t('repeat.total') : r.queue === '' ? t('col.noQueue') : queueName(r.queue);
  const columns: ReportColumn<RepeatRow>[] = [
    { id: 'queue', header: t('col.queue'), value: name },
    {
      id: 'calls',
      header: t('col.inbound'),
      value: (r) => r.calls,
      numeric: true,
      // "No queue" cannot be asked of the journal; the total is the slice's inbound calls.
      link: (r) =>
        r.queue === ''
          ? null
          : journalLink(report, zone, { direction: 'inbound', ...(r.queue ? { queue: r.queue } : {}) }),
    },
    { id: 'unidentified', header: t('col.unidentified'), value: (r) => r.unidentified, numeric: true },
    { id: 'unique', header: t('col.uniqueCallers'), value: (r) => r.uniqueCallers, numeric: true },
    { id: 'repeatCalls', header: t('col.repeatCalls'), value: (r) => r.repeatCalls, numeric: true },
    { id: 'repeatCallers', header: t('col.repeatCallers'), value: (r) => r.repeatCallers, numeric: true },
    percentColumn('repeatShare', t('col.repeatShare'), (r) => r.repeatShare, lang),
    {
      id: 'firstAnswered',
      header: t('col.answeredFirst'),
      value: (r) => r.answeredFirstContacts,
      numeric: true,
    },
    { id: 'resolved', header: t('col.resolvedFirst'), value: (r) => r.resolvedFirstContacts, numeric: true },
    percentColumn('fcr', t('col.fcr'), (r) => r.fcr, lang),
  ];
  const when = (ms: number) =>
    DateTime.fromMillis(ms, { zone }).setLocale(lang).toLocaleString(DateTime.DATETIME_SHORT);
  const callerColumns: ReportColumn<RepeatCallerRow>[] = [
    { id: 'caller', header: t('col.caller'), value: (r) => r.spellings.join(', ') },
    {
      id: 'calls',
      header: t('col.callerCalls'),
      value: (r) => r.calls,
      numeric: true,
      link: (r) => {
        const number = callerFilter(r.spellings);
        if (!number) return null;
        const base = journalLink(report, zone, { direction: 'inbound' });
        return base ? `${base}&number=${encodeURIComponent(number)}` : null;
      },
    },
    { id: 'repeatCalls', header: t('col.repeatCalls'), value: (r) => r.repeatCalls, numeric: true },
    { id: 'answered', header: t('col.answered'), value: (r) => r.answered, numeric: true },
    {
      id: 'first',
      header: t('col.firstCall'),
      value: (r) => new Date(r.firstMs).toISOString(),
      format: (r) => when(r.firstMs),
    },
    {
      id: 'last',
      header: t('col.lastCall'),
      value: (r) => new Date(r.lastMs).toISOString(),
      format: (r) => when(r.lastMs),
    },
  ];
  const queues = repeats?.queues ?? [];
  return (
    <>
      <Group mt="md" align="flex-end" className="no-print">
        <NumberInput
          label={t('repeat.window')}
          value={windowDays}
          min={1}
          max={90}
          step={1}
          allowDecimal={false}
          w={200}
          onChange={(v) => {
            const n = Number(v);
            if (Number.isInteger(n) && n >= 1 && n <= 90) onWindowDays(n);
          }}
          data-testid="repeat-window"
        />
      </Group>
      <ChartFrame label={t('view.repeats')}>
        <BarChart
          data={queues.map((r) => ({
            ...r,
            label: name(r),
            first: r.calls - r.unidentified - r.repeatCalls,
          }))}
        >
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Legend />
          <Bar
            dataKey="first"
            stackId="c"
            name={t('col.firstContacts')}
            fill={SERIES.answered}
            isAnimationActive={false}
          />
          <Bar
            dataKey="repeatCalls"
            stackId="c"
            name={t('col.repeatCalls')}
            fill={SERIES.abandoned}
            isAnimationActive={false}
          />
        </BarChart>
      </ChartFrame>
      <ReportTable
        title={t('view.repeats')}
        caption={t('caption.repeats', { days })}
        columns={columns}
        rows={queues}
        total={repeats && queues.length > 0 ? repeats.total : null}
        fileName={`repeat-callers-${days}d.csv`}
        testId="report-repeats"
      />
      <ReportTable
        title={t('col.repeatCallers')}
        caption={t('caption.repeatCallers', { days })}
        columns={callerColumns}
        rows={repeats?.callers ?? []}
        fileName={`repeat-callers-list-${days}d.csv`}
        testId="report-repeat-callers"
      />
    </>
  );
}
