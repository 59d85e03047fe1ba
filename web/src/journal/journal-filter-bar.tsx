import { Badge, Button, CloseButton, Collapse, Group, Select, SimpleGrid, TextInput } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useDebouncedCallback, useDisclosure, useHotkeys } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CALL_DIRECTIONS, CALL_ENDED_AT_STAGES, CALL_STATUSES, IVR_NO_CHOICE } from '../api/calls.ts';
import { useUser } from '../auth/session.tsx';
import { useDictionary } from '../ui/dictionaries.ts';
import { FilterIcon } from '../ui/icons.tsx';
import { useQueues } from '../ui/queue-time-zones.ts';
import { activeFilterCount, type FilterKey, type JournalFilters } from './journal-filters.ts';

/**
 * The journal's filters. Selects apply at once; typed fields (number, operator, notes) after a
 * pause. `/` focuses the notes search. Less used filters fold under "More filters" (opened when
 * one of them is set). Everything goes to the URL through `onChange`.
 */

const TEXT_DELAY_MS = 400;
const MORE: FilterKey[] = [
  'operator',
  'ended_at_stage',
  'card',
  'needs_callback',
  'purpose_id',
  'category_id',
  'subcategory_id',
  'tag_id',
];

function useTextFilter(value: string | undefined, apply: (value: string | undefined) => void) {
  const [text, setText] = useState(value ?? '');
  useEffect(() => setText(value ?? ''), [value]);
  const debounced = useDebouncedCallback((next: string) => apply(next.trim() || undefined), TEXT_DELAY_MS);
  return {
    value: text,
    onChange: (event: { currentTarget: { value: string } }) => {
      setText(event.currentTarget.value);
      debounced(event.currentTarget.value);
    },
  };
}

export function JournalFilterBar({
  filters,
  onChange,
}: {
  filters: JournalFilters;
  onChange(next: JournalFilters): void;
}) {
  const { t } = useTranslation();
  const user = useUser();
  const set = (key: FilterKey, value: string | undefined | null) =>
    onChange({ ...filters, [key]: value || undefined });
  const [more, { toggle }] = useDisclosure(MORE.some((key) => filters[key] !== undefined));
  const searchRef = useRef<HTMLInputElement>(null);
  useHotkeys([['/', () => searchRef.current?.focus()]]);

  const queues = useQueues();
  const purposes = useDictionary('purposes');
  const categories = useDictionary('categories');
  const subcategories = useDictionary('subcategories');
  const tags = useDictionary('tags');
  const options = (items: { id: number; name: string }[] | undefined) =>
    (items ?? []).map((item) => ({ value: String(item.id), label: item.name }));

  const number = useTextFilter(filters.number, (v) => set('number', v));
  const operator = useTextFilter(filters.operator, (v) => set('operator', v));
  const notes = useTextFilter(filters.q, (v) => set('q', v));
  const count = activeFilterCount(filters);

  return (
    <div data-testid="journal-filters">
      <Group gap="sm" align="flex-end" wrap="wrap" mb="sm">
        <DatePickerInput
          type="range"
          label={t('journal.filter.period')}
          placeholder={t('journal.filter.anyPeriod')}
          valueFormat="DD.MM.YYYY"
          clearable
          allowSingleDateInRange
          w={230}
          value={[filters.from ?? null, filters.to ?? null]}
          onChange={([from, to]) => {
            // Apply when the range is whole (or cleared), not on the first click.
            if ((from && to) || (!from && !to))
              onChange({ ...filters, from: from ?? undefined, to: to ?? undefined });
          }}
          data-testid="filter-period"
        />
        <Select
          label={t('journal.filter.status')}
          placeholder={t('journal.filter.any')}
          clearable
          w={150}
          data={CALL_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
          value={filters.status ?? null}
          onChange={(v) => set('status', v)}
          data-testid="filter-status"
        />
        <Select
          label={t('journal.filter.direction')}
          placeholder={t('journal.filter.any')}
          clearable
          w={140}
          data={CALL_DIRECTIONS.map((d) => ({ value: d, label: t(`direction.${d}`) }))}
          value={filters.direction ?? null}
          onChange={(v) => set('direction', v)}
          data-testid="filter-direction"
        />
        {user.role !== 'operator' && (
          <Select
            label={t('journal.filter.queue')}
            placeholder={t('journal.filter.any')}
            clearable
            searchable
            w={150}
            data={(queues.data ?? []).map((q) => ({ value: q.name, label: q.displayName || q.name }))}
            value={filters.queue ?? null}
            onChange={(v) => set('queue', v)}
            data-testid="filter-queue"
          />
        )}
        <TextInput
          label={t('journal.filter.number')}
          placeholder="+7 916 123-45-67"
          w={170}
          {...number}
          data-testid="filter-number"
        />
        <TextInput
          ref={searchRef}
          label={t('journal.filter.notes')}
          placeholder={t('journal.filter.notesPlaceholder')}
          w={200}
          {...notes}
          data-testid="filter-q"
          aria-keyshortcuts="/"
        />
        <Button
          variant={more ? 'light' : 'default'}
          leftSection={<FilterIcon size={16} />}
          onClick={toggle}
          aria-expanded={more}
          data-testid="filter-more"
        >
          {t('journal.filter.more')}
        </Button>
        {count > 0 && (
          <Button
            variant="subtle"
            color="gray"
            onClick={() => onChange({ sort: filters.sort, order: filters.order })}
            data-testid="filter-reset"
          >
            {t('journal.filter.reset', { count })}
          </Button>
        )}
      </Group>
      {(filters.time_from || filters.time_to || filters.did || filters.ivr_choice) && (
        // A report's drill-down: an interval of the day (in the report's zone), a DID, an IVR choice.
        <Group gap="xs" mb="sm" data-testid="filter-drilldown">
          {(filters.time_from || filters.time_to) && (
            <Badge
              variant="light"
              tt="none"
              size="lg"
              rightSection={
                <CloseButton
                  size="xs"
                  aria-label={t('journal.filter.clear')}
                  onClick={() => onChange({ ...filters, time_from: undefined, time_to: undefined })}
                />
              }
            >
              {t('journal.filter.timeOfDay', {
                from: filters.time_from ?? '00:00',
                to: filters.time_to ?? '24:00',
                zone: filters.tz ?? 'UTC',
              })}
            </Badge>
          )}
          {filters.did && (
            <Badge
              variant="light"
              tt="none"
              size="lg"
              rightSection={
                <CloseButton
                  size="xs"
                  aria-label={t('journal.filter.clear')}
                  onClick={() => onChange({ ...filters, did: undefined })}
                />
              }
            >
              DID {filters.did}
            </Badge>
          )}
          {filters.ivr_choice && (
            <Badge
              variant="light"
              tt="none"
              size="lg"
              data-testid="filter-ivr-choice"
              rightSection={
                <CloseButton
                  size="xs"
                  aria-label={t('journal.filter.clear')}
                  onClick={() => onChange({ ...filters, ivr_choice: undefined })}
                />
              }
            >
              {t('call.ivrChoice')}:{' '}
              {filters.ivr_choice === IVR_NO_CHOICE ? t('call.ivrNone') : filters.ivr_choice}
            </Badge>
          )}
        </Group>
      )}
      <Collapse in={more}>
        <SimpleGrid cols={{ base: 2, md: 4, lg: 7 }} spacing="sm" mb="sm">
          {user.role !== 'operator' && (
            <TextInput
              label={t('journal.filter.operator')}
              placeholder="101"
              {...operator}
              data-testid="filter-operator"
            />
          )}
          <Select
            label={t('journal.filter.stage')}
            placeholder={t('journal.filter.any')}
            clearable
            data={CALL_ENDED_AT_STAGES.map((s) => ({ value: s, label: t(`call.stage.${s}`) }))}
            value={filters.ended_at_stage ?? null}
            onChange={(v) => set('ended_at_stage', v)}
            data-testid="filter-stage"
          />
          <Select
            label={t('journal.filter.card')}
            placeholder={t('journal.filter.any')}
            clearable
            data={[
              { value: 'incomplete', label: t('journal.card.incomplete') },
              { value: 'complete', label: t('journal.card.complete') },
            ]}
            value={filters.card ?? null}
            onChange={(v) => set('card', v)}
            data-testid="filter-card"
          />
          <Select
            label={t('journal.filter.callback')}
            placeholder={t('journal.filter.any')}
            clearable
            data={[
              { value: 'true', label: t('common.yes') },
              { value: 'false', label: t('common.no') },
            ]}
            value={filters.needs_callback ?? null}
            onChange={(v) => set('needs_callback', v)}
            data-testid="filter-callback"
          />
          <Select
            label={t('journal.filter.purpose')}
            placeholder={t('journal.filter.any')}
            clearable
            searchable
            data={options(purposes.data)}
            value={filters.purpose_id ?? null}
            onChange={(v) => set('purpose_id', v)}
          />
          <Select
            label={t('journal.filter.category')}
            placeholder={t('journal.filter.any')}
            clearable
            searchable
            data={options(categories.data)}
            value={filters.category_id ?? null}
            onChange={(v) => onChange({ ...filters, category_id: v ?? undefined, subcategory_id: undefined })}
          />
          <Select
            label={t('journal.filter.subcategory')}
            placeholder={t('journal.filter.any')}
            clearable
            searchable
            data={options(
              subcategories.data?.filter(
                (s) => !filters.category_id || String(s.categoryId) === filters.category_id,
              ),
            )}
            value={filters.subcategory_id ?? null}
            onChange={(v) => set('subcategory_id', v)}
          />
          <Select
            label={t('journal.filter.tag')}
            placeholder={t('journal.filter.any')}
            clearable
            searchable
            data={options(tags.data)}
            value={filters.tag_id ?? null}
            onChange={(v) => set('tag_id', v)}
          />
        </SimpleGrid>
      </Collapse>
    </div>
  );
}
