import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { type Resolver, useForm } from 'react-hook-form';
import type { CallCard } from '../../api/calls.ts';
import { ApiRequestError } from '../../api/http.ts';
import { callKey, saveCard } from '../operator-api.ts';
import {
  CARD_FIELDS,
  type CardField,
  type CardFormValues,
  changedFields,
  completeCardSchema,
  draftCardSchema,
  fieldErrorsFromApi,
  reapplyEdits,
  updateFromValues,
  valuesFromCard,
} from './card-form-values.ts';

/** How a submit saves the card: `complete` checks the completion rules, `draft` keeps it open. */
export type CardIntent = 'draft' | 'complete';

/**
 * The card form's state and its saving (`PUT /calls/{id}`, operator-api.ts `saveCard`): the
 * react-hook-form instance (validated by the draft or the complete schema of card-form-values.ts,
 * by intent), the card it is based on (`base`, whose version goes into the PUT), and the conflict
 * handling. A new card, or the same card saved elsewhere while the form is untouched, replaces
 * the form; a re-derivation by the collector (version up, card fields unchanged) is rebased
 * silently; someone else's card edit becomes `conflict`, and `reapply` loads their version and
 * puts these edits back on top (`overwritten` names the fields where theirs were replaced). A 409
 * caused by derived columns only is retried once on the newer version. The API's 400/422 field
 * errors land on their fields. `onDirtyChange` is told whenever unsaved edits appear or go (and
 * `false` on unmount); `onSaved` gets the saved card.
 */
export function useCardForm(
  card: CallCard,
  onSaved?: (card: CallCard) => void,
  onDirtyChange?: (dirty: boolean) => void,
) {
  const queryClient = useQueryClient();
  // The card the form is based on (its version goes into the PUT).
  const [base, setBase] = useState<CallCard>(card);
  const [conflict, setConflict] = useState<CallCard | null>(null);
  const [overwritten, setOverwritten] = useState<CardField[]>([]);
  const [savedAt, setSavedAt] = useState<number | null>(null);
  const intent = useRef<CardIntent>('complete');
  const resolver = useMemo<Resolver<CardFormValues>>(() => {
    const draft = zodResolver(draftCardSchema);
    const complete = zodResolver(completeCardSchema);
    return (values, context, options) =>
      intent.current === 'complete' ? complete(values, context, options) : draft(values, context, options);
  }, []);
  const form = useForm<CardFormValues>({ defaultValues: valuesFromCard(card), resolver });
  const { handleSubmit, reset, setError, setValue, formState, getValues } = form;
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
      as: CardIntent;
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

  // A provisional card (`live`: the call is still going on, the collector has not written it from
  // its CEL yet) is saved like any other: the collector later writes the call onto the same card
  // and never touches what people typed (ingest/src/writers/calls-writer.ts); the version it bumps
  // meanwhile is rebased above or, on a 409 from derived columns only, saved again on top.
  const provisional = base.live;
  const submit = (as: CardIntent) => {
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

  return { form, base, conflict, overwritten, savedAt, save, intent, provisional, submit, reapply };
}
