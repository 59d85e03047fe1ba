import {
  type FactSlice,
  REPEAT_WINDOW_DAYS_DEFAULT,
  SERVICE_LEVEL_DEFAULT_SEC,
} from '@callcenter/analytics/aggregate';
import { Alert, Badge, Button, Group, Stack, Tabs, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { DateTime } from 'luxon';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useParams } from 'react-router';
import { apiJson } from '../api/http.ts';
import { ApiErrorAlert } from '../ui/api-error-alert.tsx';
import { PrintIcon } from '../ui/icons.tsx';
import { PageHeader } from '../ui/page-header.tsx';
import { useInstallationTimeZone, useQueues } from '../ui/queue-time-zones.ts';
import { LoadProgressBar } from './load-progress.tsx';
import { daysOf } from './period-days.ts';
import { ReportFilters } from './report-filters.tsx';
import {
  LONG_RANGE_DAYS,
  periodDays,
  periodMs,
  type ReportSearch,
  reportSearchFrom,
  searchOf,
} from './report-period.ts';
import { SavedFilters } from './saved-filters.tsx';
import { type ReportFetch, useReportData } from './use-report-data.ts';
import { CategoriesView } from './views/categories-view.tsx';
import { DidView, RepeatsView } from './views/entry-views.tsx';
import { OperatorsView } from './views/operators-view.tsx';
import { QueuesView } from './views/queues-view.tsx';
import { IntervalsView, ServiceLevelView } from './views/staffing-views.tsx';
import { DailyView, WeeklyView } from './views/summary-views.tsx';

/**
 * Supervisor reports (`/reports/<view>`, supervisors and admins): the period's facts in the user's
 * scope are fetched once as Arrow and aggregated in a Web Worker; the views (operator efficiency,
 * queue statistics, categories, weekly dynamics, daily summary) and every slice are computed there
 * without refetching. Days and weeks are the queue's (its time zone from GET /queues); periods
 * over {@link LONG_RANGE_DAYS} days use the rollup endpoint.
 */

export const REPORT_VIEWS = [
  'daily',
  'intervals',
  'service-level',
  'dids',
  'repeats',
  'queues',
  'operators',
  'categories',
  'weekly',
] as const;
/** Views computed from call facts only (not from the long-range rollup). */
const FACTS_ONLY: readonly ReportView[] = [
  'operators',
  'categories',
  'intervals',
  'service-level',
  'dids',
  'repeats',
];
type ReportView = (typeof REPORT_VIEWS)[number];

interface Loaded {
  fromMs: number;
  toMs: number;
  rollup: boolean;
  zone: string;
  slSec: number;
}

export function ReportsPage() {
  const { t, i18n } = useTranslation('reports');
  const navigate = useNavigate();
  const location = useLocation();
  const viewParam = useParams()['*'] ?? '';
  const view: ReportView = (REPORT_VIEWS as readonly string[]).includes(viewParam)
    ? (viewParam as ReportView)
    : 'daily';
  const queues = useQueues();
  const queueList = queues.data ?? [];
  const search = useMemo(() => new URLSearchParams(location.search), [location.search]);
  const selectedQueue = search.get('queue') ?? '';
  const zoneQueue = queueList.find((q) => q.name === selectedQueue) ?? queueList[0];
  const installationZone = useInstallationTimeZone();
  const zone = zoneQueue?.timeZone ?? installationZone;
  // The newest call in scope: the default period opens on it when the last 7 days are quiet.
  const newest = useQuery({
    queryKey: ['reports', 'newest-call'],
    queryFn: ({ signal }) =>
      apiJson<{ items: { started_at: string }[] }>('/calls?limit=1&sort=started_at&order=desc', {
        signal,
      }).then((r) => r.items[0]?.started_at ?? null),
    staleTime: 60_000,
  });
  const newestDay = newest.data
    ? DateTime.fromISO(newest.data, { zone: 'utc' }).setZone(zone).toISODate()
    : null;
  const report = reportSearchFrom(search, zone, newestDay);
  const period = periodMs(report, zone);
  const rollup = periodDays(report) > LONG_RANGE_DAYS;
  const slSec = zoneQueue?.serviceLevelSec ?? SERVICE_LEVEL_DEFAULT_SEC;
  const thresholds = Object.fromEntries(queueList.map((q) => [q.name, q.serviceLevelSec]));
  // N of the repeat-caller report (`repeat_days`, 1..90, default 7: docs/metrics.md#repeat-callers-and-fcr).
  const repeatDaysParam = Number(search.get('repeat_days'));
  const repeatWindowDays =
    Number.isInteger(repeatDaysParam) && repeatDaysParam >= 1 && repeatDaysParam <= 90
      ? repeatDaysParam
      : REPEAT_WINDOW_DAYS_DEFAULT;

  // Fetch again only for a period outside what is loaded, another zone or another path.
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const ready = !queues.isLoading && !newest.isLoading && period !== null;
  let fetchRange = loaded;
  if (
    ready &&
    (!loaded ||
      loaded.zone !== zone ||
      loaded.rollup !== rollup ||
      (rollup && loaded.slSec !== slSec) ||
      period.fromMs < loaded.fromMs ||
      period.toMs > loaded.toMs)
  ) {
    fetchRange = { fromMs: period.fromMs, toMs: period.toMs, rollup, zone, slSec };
    setLoaded(fetchRange);
  }
  const request: ReportFetch | null =
    ready && fetchRange && period
      ? {
          fromMs: fetchRange.fromMs,
          toMs: fetchRange.toMs,
          rollup: fetchRange.rollup,
          settings: {
            zone,
            fromMs: period.fromMs,
            toMs: period.toMs,
            thresholds,
            rollupSlSec: slSec,
            repeatWindowDays,
          },
        }
      : null;
  const slice: FactSlice = {
    ...(period ? { fromMs: period.fromMs, toMs: period.toMs } : {}),
    ...(report.queue ? { queues: [report.queue] } : {}),
    ...(report.operator ? { operators: [report.operator] } : {}),
    ...(report.category ? { categories: [report.category] } : {}),
    ...(report.direction ? { directions: [report.direction] } : {}),
  };
  const data = useReportData(request, slice);
  const result = data.result;

  const setSearch = (next: ReportSearch) => {
    const params = new URLSearchParams(searchOf(next));
    // The repeat window is the view's own control: a new period or slice keeps it.
    if (search.get('repeat_days')) params.set('repeat_days', search.get('repeat_days')!);
    navigate({ pathname: location.pathname, search: `?${params}` }, { replace: true });
  };
  const setView = (next: string | null) =>
    next && navigate({ pathname: `/reports/${next}`, search: location.search });
  const options = result?.options ?? { queues: [], operators: [], categories: [] };
  const queueOptions = [...new Set([...queueList.map((q) => q.name), ...options.queues])].sort();

  return (
    <Stack gap="sm">
      <PageHeader
        title={t('pageTitle')}
        subtitle={t('subtitle', { zone })}
        actions={
          <Group gap="xs">
            <Badge variant="light" tt="none" data-testid="report-zone">
              {zone}
            </Badge>
            <Badge variant="outline" color={rollup ? 'grape' : 'gray'}>
              {rollup ? t('mode.rollup') : t('mode.facts')}
            </Badge>
            <Button
              size="xs"
              variant="default"
              className="no-print"
              leftSection={<PrintIcon size={14} />}
              onClick={() => window.print()}
              data-testid="report-print"
            >
              {t('print')}
            </Button>
          </Group>
        }
      />
      <Group align="flex-end" justify="space-between" gap="sm">
        <ReportFilters
          value={report}
          onChange={setSearch}
          zone={zone}
          queues={queueOptions}
          operators={options.operators}
          categories={options.categories}
        />
        <SavedFilters
          page="reports"
          current={Object.fromEntries(new URLSearchParams(searchOf(report)))}
          onApply={(filters) =>
            navigate({ pathname: location.pathname, search: `?${new URLSearchParams(filters)}` })
          }
        />
      </Group>
      {period === null && (
        <Alert color="red" data-testid="report-bad-period">
          {t('badPeriod')}
        </Alert>
      )}
      {newest.data === null && (
        <Alert variant="light" data-testid="report-no-calls">
          {t('noCallsYet')}
        </Alert>
      )}
      {newest.data &&
        newestDay &&
        period &&
        result &&
        !result.counts.calls &&
        !result.counts.rollup &&
        !report.queue &&
        !report.operator &&
        !report.category &&
        !report.direction && (
          <Alert variant="light" data-testid="report-no-calls">
            {t('noCallsInPeriod', {
              day: DateTime.fromISO(newestDay).setLocale(i18n.language).toLocaleString(DateTime.DATE_MED),
            })}
          </Alert>
        )}
      {queues.error && <ApiErrorAlert error={queues.error} />}
      {data.error && <ApiErrorAlert error={data.error} />}
      {request && <LoadProgressBar progress={data.progress} slicing={data.slicing} />}
      <Tabs value={view} onChange={setView} keepMounted={false}>
        <Tabs.List>
          {REPORT_VIEWS.map((id) => (
            <Tabs.Tab key={id} value={id} disabled={rollup && FACTS_ONLY.includes(id)}>
              {t(`view.${id === 'service-level' ? 'serviceLevel' : id}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {result && period && (
          <>
            <Tabs.Panel value="daily">
              <DailyView
                days={result.daily}
                total={result.dailyTotal}
                rollupDays={result.rollupDays}
                mode={result.mode}
                periodDays={period ? daysOf(report.from, report.to) : []}
              />
            </Tabs.Panel>
            <Tabs.Panel value="intervals">
              <IntervalsView
                hours={result.intervals60}
                quarters={result.intervals15}
                report={report}
                zone={zone}
              />
            </Tabs.Panel>
            <Tabs.Panel value="service-level">
              <ServiceLevelView days={result.slDays} weeks={result.slWeeks} report={report} zone={zone} />
            </Tabs.Panel>
            <Tabs.Panel value="dids">
              <DidView rows={result.dids} report={report} zone={zone} />
            </Tabs.Panel>
            <Tabs.Panel value="repeats">
              <RepeatsView
                repeats={result.repeats}
                report={report}
                zone={zone}
                windowDays={repeatWindowDays}
                onWindowDays={(days) => {
                  const next = new URLSearchParams(location.search);
                  next.set('repeat_days', String(days));
                  navigate({ pathname: location.pathname, search: `?${next}` }, { replace: true });
                }}
              />
            </Tabs.Panel>
            <Tabs.Panel value="queues">
              <QueuesView rows={result.queues} />
            </Tabs.Panel>
            <Tabs.Panel value="operators">
              <OperatorsView rows={result.operators} purposes={result.purposes} />
            </Tabs.Panel>
            <Tabs.Panel value="categories">
              <CategoriesView rows={result.categories} />
            </Tabs.Panel>
            <Tabs.Panel value="weekly">
              <WeeklyView
                weeks={result.weekly}
                categories={result.weeklyCategories}
                rollupWeeks={result.rollupWeeks}
                mode={result.mode}
              />
            </Tabs.Panel>
          </>
        )}
      </Tabs>
      {rollup && (
        <Text size="xs" c="dimmed">
          {t('rollupOnly', { days: LONG_RANGE_DAYS })}
        </Text>
      )}
    </Stack>
  );
}
