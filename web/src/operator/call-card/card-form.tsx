import { zodResolver } from '@hookform/resolvers/zod';
import {
  Alert,
  Button,
  Checkbox,
  Group,
  MultiSelect,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
} from '@mantine/core';
import { getHotkeyHandler } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  Controller,
  type ControllerFieldState,
  type ControllerRenderProps,
  type Resolver,
  useForm,
} from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { CallCard } from '../../api/calls.ts';
import { ApiRequestError } from '../../api/http.ts';
import { ApiErrorAlert } from '../../ui/api-error-alert.tsx';
import { callKey, type DictionaryItem, fetchDictionary, saveCard } from '../operator-api.ts';
import {
  CARD_FIELDS,
  type CardField,
  type CardFormValues,
  changedFields,
  completeCardSchema,
  draftCardSchema,
  fieldErrorsFromApi,
  MAX_NOTES_LENGTH,
  reapplyEdits,
  subcategoriesOf,
  updateFromValues,
  valuesFromCard,
} from './card-form-values.ts';
import { UnsavedChangesGuard } from './unsaved-changes-guard.tsx';

/**
 * The call card form: purpose, category, sub-category (only the category's own),
 * tags, notes, needs_callback, resolved_first_call. "Complete" checks the API's completion rules
 * first (purpose, category, notes); "Save draft" keeps it incomplete. The API's refusals land on
 * their fields (422/400); a 409 (someone else saved meanwhile) keeps what was typed and offers to
 * load their version and re-apply these edits on top. Ctrl+Enter completes.
 */

type Intent = 'draft' | 'complete';

/** The form's select fields and what their Controller's render gets. */
type SelectField = 'purpose_id' | 'category_id' | 'subcategory_id' | 'tag_ids';
type SelectRender<N extends SelectField> = {
  field: ControllerRenderProps<CardFormValues, N>;
  fieldState: ControllerFieldState;
};

function useDictionary(kind: 'purposes' | 'categories' | 'subcategories' | 'tags') {
  return useQuery({
    queryKey: ['dictionaries', kind],
    queryFn: ({ signal }) => fetchDictionary(kind, signal),
    staleTime: 5 * 60_000,
  });
}

/** Options for a select; the card's own entry is kept even when it was deleted since. */
function options(
  items: DictionaryItem[] | undefined,
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

export function CardForm({
  card,
  onSaved,
  onDirtyChange,
}: {
  card: CallCard;
  onSaved?: (card: CallCard) => void;
  /** Told whenever the form gets or loses unsaved edits (the page holds screen pops meanwhile). */
  onDirtyChange?: (dirty: boolean) => void;
}) {
  const { t } = useTranslation('operator');
  const queryClient = useQueryClient();
  const purposes = useDictionary('purposes');
  const categories = useDictionary('categories');
  const subcategories = useDictionary('subcategories');
  const tags = useDictionary('tags');

  // The card the form is based on (its version goes into the PUT).
  const [base, setBase] = useState<CallCard>(card);
  const [conflict, setConflict] = useState<CallCard | null>(null);
  const [overwritten, setOverwritten] = useState<CardField[]>([]);
  const [savedAt, setSavedAt] = useState<number | null>(null);
  const intent = useRef<Intent>('complete');
  const resolver = useMemo<Resolver<CardFormValues>>(() => {
    const draft = zodResolver(draftCardSchema);
    const complete = zodResolver(completeCardSchema);
    return (values, context, options) =>
      intent.current === 'complete' ? complete(values, context, options) : draft(values, context, options);
  }, []);
  const form = useForm<CardFormValues>({ defaultValues: valuesFromCard(card), resolver });
  const { control, handleSubmit, reset, setError, watch, setValue, formState, getValues } = form;
  const dirty = formState.isDirty;
  const dirtyListener = useRef(onDirtyChange);
  dirtyListener.current = onDirtyChange;
  useEffect(() => {
    dirtyListener.current?.(dirty);
  }, [dirty]);
  useEffect(() => () => dirtyListener.current?.(false), []);

  // Another card, or the same card saved elsewhere while this form is untouched: follow it.
  useEffect(() => {
    if (card.id !== base.id || (!dirty && card.version !== base.version)) {
      setBase(card);
      setConflict(null);
      setOverwritten([]);
      reset(valuesFromCard(card));
    } else if (dirty && card.version > base.version) {
      // The collector re-deriving the call (status, talk time…) changes the version but not the
      // card: rebase silently. Someone else's card edit is a conflict to resolve.
      if (changedFields(valuesFromCard(base), valuesFromCard(card)).length === 0) setBase(card);
      else setConflict(card);
    }
  }, [card, base, dirty, reset]);

  const save = useMutation({
    mutationFn: ({
      values,
      as,
      on,
    }: {
      values: CardFormValues;
      as: Intent;
      on: CallCard;
      retried?: boolean;
    }) => saveCard(on.id, updateFromValues(values, on.version, as === 'complete' ? true : undefined)),
    onSuccess: (saved) => {
      queryClient.setQueryData(callKey(saved.id), saved);
      void queryClient.invalidateQueries({ queryKey: ['calls', 'list'] });
      void queryClient.invalidateQueries({ queryKey: ['callbacks'] });
      setBase(saved);
      setConflict(null);
      setOverwritten([]);
      setSavedAt(Date.now());
      reset(valuesFromCard(saved));
      onSaved?.(saved);
    },
    onError: (error, variables) => {
      if (error instanceof ApiRequestError && error.status === 409) {
        const theirs = (error.details as { card?: CallCard } | undefined)?.card;
        if (!theirs) return;
        if (
          changedFields(valuesFromCard(variables.on), valuesFromCard(theirs)).length === 0 &&
          !variables.retried
        ) {
          // Only derived columns changed (the collector finished the call): save again on top.
          setBase(theirs);
          save.mutate({ ...variables, on: theirs, retried: true });
          return;
        }
        setConflict(theirs);
        return;
      }
      const fields = fieldErrorsFromApi(error);
      for (const [field, message] of Object.entries(fields) as [CardField, string][])
        setError(field, { type: 'server', message });
    },
  });

  // A provisional card (version 0: the call is live, the collector has not written it yet) is
  // typed into but saved once the call is written (the API takes versions from 1).
  const provisional = base.version === 0;
  const submit = (as: Intent) => {
    if (provisional) return;
    intent.current = as;
    save.reset();
    void handleSubmit((values) => save.mutate({ values, as, on: base }))();
  };

  const reapply = () => {
    if (!conflict) return;
    const result = reapplyEdits(valuesFromCard(base), getValues(), valuesFromCard(conflict));
    setBase(conflict);
    reset(valuesFromCard(conflict));
    for (const field of CARD_FIELDS) {
      if (JSON.stringify(result.values[field]) !== JSON.stringify(valuesFromCard(conflict)[field]))
        setValue(field, result.values[field] as never, { shouldDirty: true });
    }
    setOverwritten(result.overwritten);
    setConflict(null);
    save.reset();
  };

  const categoryId = watch('category_id');
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
  const otherError =
    save.error && !(save.error instanceof ApiRequestError && save.error.status === 409) ? save.error : null;
  const showOtherError = otherError && Object.keys(fieldErrorsFromApi(otherError)).length === 0;

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        submit('complete');
      }}
      onKeyDown={getHotkeyHandler([['mod+Enter', () => submit('complete')]])}
      data-testid="card-form"
      aria-label={t('card.formLabel')}
    >
      <UnsavedChangesGuard dirty={dirty && !save.isPending} />
      <Stack gap="sm">
        {conflict && (
          <Alert
            color="orange"
            variant="light"
            role="alert"
            title={t('card.conflict.title')}
            data-testid="card-conflict"
          >
            <Stack gap="xs">
              <Text size="sm">
                {t('card.conflict.text', {
                  who: conflict.card_updated_by ?? t('card.conflict.someone'),
                  version: conflict.version,
                })}
              </Text>
              <Button size="xs" variant="light" color="orange" onClick={reapply} w="fit-content">
                {t('card.conflict.reapply')}
              </Button>
            </Stack>
          </Alert>
        )}
        {overwritten.length > 0 && (
          <Alert color="yellow" variant="light">
            {t('card.conflict.overwritten', { fields: overwritten.map(label).join(', ') })}
          </Alert>
        )}
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
        {showOtherError && <ApiErrorAlert error={otherError} />}
        {provisional && (
          <Text size="xs" c="dimmed" data-testid="card-provisional">
            {t('card.provisional')}
          </Text>
        )}
        <Group justify="space-between">
          <Text size="xs" c="dimmed" data-testid="card-state">
            {base.card_complete ? t('card.state.complete') : t('card.state.incomplete')}
            {savedAt && !dirty ? ` · ${t('card.saved')}` : ''}
            {dirty ? ` · ${t('card.unsavedChanges')}` : ''}
          </Text>
          <Group gap="xs">
            {!base.card_complete && (
              <Button
                variant="default"
                onClick={() => submit('draft')}
                disabled={provisional}
                loading={save.isPending && intent.current === 'draft'}
              >
                {t('card.saveDraft')}
              </Button>
            )}
            <Button
              type="submit"
              disabled={provisional}
              loading={save.isPending && intent.current === 'complete'}
            >
              {base.card_complete ? t('card.save') : t('card.complete')}
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}
