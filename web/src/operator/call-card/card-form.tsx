import { Button, Group, Stack, Text } from '@mantine/core';
import { getHotkeyHandler } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import type { CallCard } from '../../api/calls.ts';
import { ApiRequestError } from '../../api/http.ts';
import { ApiErrorAlert } from '../../ui/api-error-alert.tsx';
import { CardConflictAlerts } from './card-conflict-alert.tsx';
import { CardFields } from './card-fields.tsx';
import { fieldErrorsFromApi } from './card-form-values.ts';
import { UnsavedChangesGuard } from './unsaved-changes-guard.tsx';
import { useCardForm } from './use-card-form.ts';

/**
 * The call card form: purpose, category, sub-category (only the category's own),
 * tags, notes, needs_callback, resolved_first_call. "Complete" checks the API's completion rules
 * first (purpose, category, notes); "Save draft" keeps it incomplete. The API's refusals land on
 * their fields (422/400); a 409 (someone else saved meanwhile) keeps what was typed and offers to
 * load their version and re-apply these edits on top. Ctrl+Enter completes.
 */
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
  const { form, base, conflict, overwritten, savedAt, save, intent, provisional, submit, reapply } =
    useCardForm(card, onSaved, onDirtyChange);
  const { control, watch, setValue, getValues, formState } = form;
  const dirty = formState.isDirty;
  const categoryId = watch('category_id');
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
        <CardConflictAlerts
          conflict={conflict}
          overwrittenLabels={overwritten.map((field) => t(`card.fields.${field}`))}
          onReapply={reapply}
        />
        <CardFields
          control={control}
          base={base}
          categoryId={categoryId}
          getValues={getValues}
          setValue={setValue}
        />
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
                loading={save.isPending && intent.current === 'draft'}
              >
                {t('card.saveDraft')}
              </Button>
            )}
            <Button type="submit" loading={save.isPending && intent.current === 'complete'}>
              {base.card_complete ? t('card.save') : t('card.complete')}
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}
