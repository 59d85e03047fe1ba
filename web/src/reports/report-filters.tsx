import { Button, Group, Select } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useTranslation } from 'react-i18next';
import { useOperatorLabel } from '../ui/operator-names.ts';
import { useQueueDisplayName } from '../ui/queue-time-zones.ts';
import { presetPeriods, type ReportSearch } from './report-period.ts';

/**
 * The period (local dates in the report's zone: Mantine's range picker in the user's language —
 * DatesProvider in app.tsx — and presets) and the
 * slice pickers. Changing the slice or narrowing the period inside what is loaded re-aggregates in
 * the worker; only a wider period or another zone fetches again.
 */
export function ReportFilters({
  value,
  onChange,
  zone,
  queues,
  operators,
  categories,
}: {
  value: ReportSearch;
  onChange: (next: ReportSearch) => void;
  zone: string;
  queues: string[];
  operators: string[];
  categories: string[];
}) {
  const { t } = useTranslation('reports');
  const presets = presetPeriods(zone);
  const set = (patch: Partial<ReportSearch>) => onChange({ ...value, ...patch });
  const queueName = useQueueDisplayName();
  const operatorName = useOperatorLabel();
  const options = (list: string[], label: (value: string) => string = (v) => v) => [
    { value: '', label: t('all') },
    ...list.map((v) => ({ value: v, label: label(v) })),
  ];
  return (
    <Group align="flex-end" gap="sm" wrap="wrap">
      <DatePickerInput
        type="range"
        label={t('filter.period')}
        valueFormat="DD.MM.YYYY"
        allowSingleDateInRange
        w={230}
        value={[value.from, value.to]}
        onChange={([from, to]) => {
          // Apply when the range is whole, not on the first click.
          if (from && to) set({ from, to });
        }}
        data-testid="report-period"
      />
      <Group gap={4}>
        {Object.entries(presets).map(([key, [from, to]]) => (
          <Button
            key={key}
            size="xs"
            variant={value.from === from && value.to === to ? 'filled' : 'default'}
            onClick={() => set({ from, to })}
          >
            {t(`preset.${key}`)}
          </Button>
        ))}
      </Group>
      <Select
        label={t('filter.queue')}
        data={options(queues, (q) => queueName(q))}
        value={value.queue}
        onChange={(queue) => set({ queue: queue ?? '' })}
        allowDeselect={false}
        w={160}
        data-testid="report-queue"
      />
      <Select
        label={t('filter.operator')}
        data={options(operators, (o) => operatorName(o))}
        value={value.operator}
        onChange={(operator) => set({ operator: operator ?? '' })}
        allowDeselect={false}
        searchable
        w={160}
      />
      <Select
        label={t('filter.category')}
        data={options(categories)}
        value={value.category}
        onChange={(category) => set({ category: category ?? '' })}
        allowDeselect={false}
        searchable
        w={180}
      />
      <Select
        label={t('filter.direction')}
        data={[
          { value: '', label: t('all') },
          { value: 'inbound', label: t('direction.inbound') },
          { value: 'outbound', label: t('direction.outbound') },
          { value: 'internal', label: t('direction.internal') },
        ]}
        value={value.direction}
        onChange={(direction) => set({ direction: direction ?? '' })}
        allowDeselect={false}
        w={150}
      />
    </Group>
  );
}
