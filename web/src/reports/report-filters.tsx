import { Button, Group, Select, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { presetPeriods, type ReportSearch } from './report-period.ts';

/**
 * The period (local dates in the report's zone, keyboard-editable date fields and presets) and the
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
  const options = (list: string[]) => [
    { value: '', label: t('all') },
    ...list.map((v) => ({ value: v, label: v })),
  ];
  return (
    <Group align="flex-end" gap="sm" wrap="wrap">
      <TextInput
        type="date"
        label={t('filter.from')}
        value={value.from}
        max={value.to}
        onChange={(e) => e.currentTarget.value && set({ from: e.currentTarget.value })}
        data-testid="report-from"
      />
      <TextInput
        type="date"
        label={t('filter.to')}
        value={value.to}
        min={value.from}
        onChange={(e) => e.currentTarget.value && set({ to: e.currentTarget.value })}
        data-testid="report-to"
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
        data={options(queues)}
        value={value.queue}
        onChange={(queue) => set({ queue: queue ?? '' })}
        allowDeselect={false}
        w={160}
        data-testid="report-queue"
      />
      <Select
        label={t('filter.operator')}
        data={options(operators)}
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
