import { Checkbox, Group, MultiSelect, SegmentedControl, Select, Stack, Text, Textarea } from '@mantine/core';
import {
  type Control,
  Controller,
  type ControllerFieldState,
  type ControllerRenderProps,
  type UseFormGetValues,
  type UseFormSetValue,
} from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { CallCard } from '../../api/calls.ts';
import { type DictionaryEntry, useDictionary } from '../../ui/dictionaries.ts';
import {
  type CardField,
  type CardFormValues,
  MAX_NOTES_LENGTH,
  subcategoriesOf,
} from './card-form-values.ts';

/** The form's select fields and what their Controller's render gets. */
type SelectField = 'purpose_id' | 'category_id' | 'subcategory_id' | 'tag_ids';
type SelectRender<N extends SelectField> = {
  field: ControllerRenderProps<CardFormValues, N>;
  fieldState: ControllerFieldState;
};

/** Options for a select; the card's own entry is kept even when it was deleted since. */
function options(
  items: DictionaryEntry[] | undefined,
  current: { id: number | null; name: string | null }[],
  deleted: string,
) {
  const list = (items ?? []).map((item) => ({ value: String(item.id), label: item.name }));
  for (const entry of current) {
    if (entry.id !== null && !list.some((o) => o.value === String(entry.id)))
      list.push({ value: String(entry.id), label: `${entry.name ?? entry.id} (${deleted})` });
  }
  return list;
}

/**
 * The card's fields: purpose, category and sub-category (only the chosen category's own; changing
 * the category clears a sub-category that does not fit), tags, notes (at most
 * {@link MAX_NOTES_LENGTH} characters), needs_callback and resolved_first_call. Choices come from
 * the live dictionaries (`GET /dictionaries/{kind}`); the card's own entries stay selectable, marked
 * deleted, when they were deleted since. Errors are translation keys (or the API's messages).
 */
export function CardFields({
  control,
  base,
  categoryId,
  getValues,
  setValue,
}: {
  control: Control<CardFormValues>;
  /** The card the form is based on: its own dictionary entries. */
  base: CallCard;
  /** The category currently chosen in the form (a string id, or null). */
  categoryId: string | null;
  getValues: UseFormGetValues<CardFormValues>;
  setValue: UseFormSetValue<CardFormValues>;
}) {
  const { t } = useTranslation('operator');
  const purposes = useDictionary('purposes');
  const categories = useDictionary('categories');
  const subcategories = useDictionary('subcategories');
  const tags = useDictionary('tags');
  const subOptions = options(
    subcategoriesOf(categoryId, subcategories.data ?? []),
    categoryId === String(base.category_id) ? [{ id: base.subcategory_id, name: base.subcategory_name }] : [],
    t('card.deleted'),
  );
  const message = (key: string | undefined) => (key ? t(key, { defaultValue: key }) : undefined);
  const label = (field: CardField) => t(`card.fields.${field}`);
  /** What every select of the form takes from its Controller: value, handlers, translated error. */
  const bindSelect = <N extends SelectField>({ field, fieldState }: SelectRender<N>) => ({
    value: field.value,
    onChange: field.onChange,
    onBlur: field.onBlur,
    ref: field.ref,
    error: message(fieldState.error?.message),
  });
  return (
    <>
      <Group grow align="flex-start">
        <Controller
          control={control}
          name="purpose_id"
          render={({ field, fieldState }) => (
            <Select
              label={label('purpose_id')}
              withAsterisk
              searchable
              clearable
              data={options(
                purposes.data,
                [{ id: base.purpose_id, name: base.purpose_name }],
                t('card.deleted'),
              )}
              {...bindSelect({ field, fieldState })}
              nothingFoundMessage={t('card.nothingFound')}
            />
          )}
        />
        <Controller
          control={control}
          name="category_id"
          render={({ field, fieldState }) => (
            <Select
              label={label('category_id')}
              withAsterisk
              searchable
              clearable
              data={options(
                categories.data,
                [{ id: base.category_id, name: base.category_name }],
                t('card.deleted'),
              )}
              {...bindSelect({ field, fieldState })}
              onChange={(value) => {
                field.onChange(value);
                const sub = getValues('subcategory_id');
                const fits = subcategoriesOf(value, subcategories.data ?? []).some(
                  (s) => String(s.id) === sub,
                );
                if (sub && !fits) setValue('subcategory_id', null, { shouldDirty: true });
              }}
              nothingFoundMessage={t('card.nothingFound')}
            />
          )}
        />
        <Controller
          control={control}
          name="subcategory_id"
          render={({ field, fieldState }) => (
            <Select
              label={label('subcategory_id')}
              searchable
              clearable
              disabled={!categoryId}
              placeholder={categoryId ? undefined : t('card.chooseCategoryFirst')}
              data={subOptions}
              {...bindSelect({ field, fieldState })}
              nothingFoundMessage={t('card.nothingFound')}
            />
          )}
        />
      </Group>
      <Controller
        control={control}
        name="tag_ids"
        render={({ field, fieldState }) => (
          <MultiSelect
            label={label('tag_ids')}
            searchable
            clearable
            data={options(
              tags.data,
              base.tags.map((tag) => ({ id: tag.id, name: tag.name })),
              t('card.deleted'),
            )}
            {...bindSelect({ field, fieldState })}
          />
        )}
      />
      <Controller
        control={control}
        name="notes"
        render={({ field, fieldState }) => (
          <Textarea
            label={label('notes')}
            withAsterisk
            autosize
            minRows={3}
            maxRows={10}
            maxLength={MAX_NOTES_LENGTH}
            {...field}
            error={message(fieldState.error?.message)}
            description={t('card.notesHint')}
          />
        )}
      />
      <Group justify="space-between" align="flex-end">
        <Controller
          control={control}
          name="needs_callback"
          render={({ field }) => (
            <Checkbox
              label={label('needs_callback')}
              checked={field.value}
              onChange={(e) => field.onChange(e.currentTarget.checked)}
              onBlur={field.onBlur}
              ref={field.ref}
            />
          )}
        />
        <Controller
          control={control}
          name="resolved_first_call"
          render={({ field }) => (
            <Stack gap={2}>
              <Text size="sm" fw={500} id="resolved-first-call-label">
                {label('resolved_first_call')}
              </Text>
              <SegmentedControl
                aria-labelledby="resolved-first-call-label"
                size="xs"
                value={field.value}
                onChange={field.onChange}
                data={[
                  { value: 'yes', label: t('card.resolved.yes') },
                  { value: 'no', label: t('card.resolved.no') },
                  { value: 'unknown', label: t('card.resolved.unknown') },
                ]}
              />
            </Stack>
          )}
        />
      </Group>
    </>
  );
}
