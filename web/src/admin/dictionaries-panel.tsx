import { zodResolver } from '@hookform/resolvers/zod';
import {
  ActionIcon,
  Badge,
  Button,
  Group,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type KeyboardEvent, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { z } from 'zod';
import { ApiErrorAlert } from '../ui/api-error-alert.tsx';
import {
  DICTIONARY_KINDS,
  type DictionaryEntry,
  type DictionaryKind,
  useDictionary,
} from '../ui/dictionaries.ts';
import { DownIcon, UpIcon } from '../ui/icons.tsx';
import { createEntry, deleteEntry, restoreEntry, updateEntry } from './admin-api.ts';

/**
 * The card dictionaries (`/admin/dictionaries?kind=…`): purposes, categories, sub-categories (each
 * under a category) and tags. Add, rename in place (Enter saves, Esc cancels), move up/down
 * (renumbers `sortOrder` in steps of 10), soft-delete and restore — a deleted entry stays on the
 * cards that used it and leaves the pickers. Every change is audited by the API.
 */

const NAME = z.string().trim().min(1, 'admin.dict.nameRequired').max(200);
const AddSchema = z.object({ name: NAME, categoryId: z.string().nullable() });
type AddValues = z.infer<typeof AddSchema>;

function AddEntryForm({
  kind,
  categories,
  nextSortOrder,
}: {
  kind: DictionaryKind;
  categories: DictionaryEntry[];
  /** Where a new entry goes: after the last one (the API's default, 0, would put it first). */
  nextSortOrder: number;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm<AddValues>({
    resolver: zodResolver(AddSchema),
    defaultValues: { name: '', categoryId: null },
  });
  const add = useMutation({
    mutationFn: (values: AddValues) =>
      createEntry(kind, {
        name: values.name.trim(),
        sortOrder: nextSortOrder,
        ...(kind === 'subcategories' ? { categoryId: Number(values.categoryId) } : {}),
      }),
    onSuccess: (entry) => {
      notifications.show({ color: 'teal', message: t('admin.dict.added', { name: entry.name }) });
      form.reset({ name: '', categoryId: form.getValues('categoryId') });
      void queryClient.invalidateQueries({ queryKey: ['dictionaries'] });
    },
  });
  const submit = form.handleSubmit((values) => {
    if (kind === 'subcategories' && !values.categoryId) {
      form.setError('categoryId', { message: 'admin.dict.categoryRequired' });
      return;
    }
    add.mutate(values);
  });
  const nameError = form.formState.errors.name?.message;
  const categoryError = form.formState.errors.categoryId?.message;
  return (
    <form onSubmit={submit} noValidate>
      <Group align="flex-start" gap="sm">
        {kind === 'subcategories' && (
          <Controller
            control={form.control}
            name="categoryId"
            render={({ field }) => (
              <Select
                placeholder={t('admin.dict.category')}
                aria-label={t('admin.dict.category')}
                data={categories.map((c) => ({ value: String(c.id), label: c.name }))}
                value={field.value}
                onChange={field.onChange}
                searchable
                w={220}
                error={categoryError ? t(categoryError) : undefined}
              />
            )}
          />
        )}
        <TextInput
          placeholder={t('admin.dict.newName')}
          aria-label={t('admin.dict.newName')}
          w={300}
          error={nameError ? t(nameError) : undefined}
          data-testid="dict-new-name"
          {...form.register('name')}
        />
        <Button type="submit" loading={add.isPending} data-testid="dict-add">
          {t('actions.add')}
        </Button>
      </Group>
      {add.error && (
        <div style={{ marginTop: 8 }}>
          <ApiErrorAlert error={add.error} />
        </div>
      )}
    </form>
  );
}

function EditableName({ kind, entry }: { kind: DictionaryKind; entry: DictionaryEntry }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<string | null>(null);
  const rename = useMutation({
    mutationFn: (name: string) => updateEntry(kind, entry.id, { name }),
    onSuccess: () => {
      setDraft(null);
      void queryClient.invalidateQueries({ queryKey: ['dictionaries'] });
    },
  });
  if (draft === null) {
    return (
      <Group gap="xs" wrap="nowrap">
        <Text size="sm" td={entry.deletedAt ? 'line-through' : undefined} data-testid="dict-name">
          {entry.name}
        </Text>
        {!entry.deletedAt && (
          <Button
            size="compact-xs"
            variant="subtle"
            onClick={() => setDraft(entry.name)}
            data-testid="dict-rename"
          >
            {t('admin.dict.rename')}
          </Button>
        )}
      </Group>
    );
  }
  const save = () => {
    const name = draft.trim();
    if (!name || name === entry.name) setDraft(null);
    else rename.mutate(name);
  };
  const onKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      save();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      setDraft(null);
      rename.reset();
    }
  };
  return (
    <Stack gap={4}>
      <Group gap="xs" wrap="nowrap">
        <TextInput
          size="xs"
          value={draft}
          autoFocus
          onChange={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={onKey}
          aria-label={t('admin.dict.rename')}
          data-testid="dict-rename-input"
          w={260}
        />
        <Button size="compact-sm" onClick={save} loading={rename.isPending} data-testid="dict-rename-save">
          {t('actions.save')}
        </Button>
        <Button size="compact-sm" variant="default" onClick={() => setDraft(null)}>
          {t('actions.cancel')}
        </Button>
      </Group>
      {rename.error && <ApiErrorAlert error={rename.error} />}
    </Stack>
  );
}

export function DictionariesPanel() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [search, setSearch] = useSearchParams();
  const kindParam = search.get('kind');
  const kind: DictionaryKind = DICTIONARY_KINDS.includes(kindParam as DictionaryKind)
    ? (kindParam as DictionaryKind)
    : 'purposes';
  const [showDeleted, setShowDeleted] = useState(false);
  const [categoryFilter, setCategoryFilter] = useState<string | null>(null);
  const entries = useDictionary(kind, { includeDeleted: showDeleted });
  const categories = useDictionary('categories', { enabled: kind === 'subcategories' });
  const invalidate = () => queryClient.invalidateQueries({ queryKey: ['dictionaries'] });

  const remove = useMutation({
    mutationFn: (e: DictionaryEntry) => deleteEntry(kind, e.id),
    onSuccess: invalidate,
  });
  const restore = useMutation({
    mutationFn: (e: DictionaryEntry) => restoreEntry(kind, e.id),
    onSuccess: invalidate,
  });
  const reorder = useMutation({
    mutationFn: async (ordered: DictionaryEntry[]) => {
      // Renumber in steps of 10 so later inserts fit between; only changed entries are sent.
      for (const [index, entry] of ordered.entries()) {
        const sortOrder = (index + 1) * 10;
        if (entry.sortOrder !== sortOrder) await updateEntry(kind, entry.id, { sortOrder });
      }
    },
    onSettled: invalidate,
  });

  const categoryName = (id: number | undefined) => categories.data?.find((c) => c.id === id)?.name ?? '—';
  const visible = (entries.data ?? []).filter(
    (e) => kind !== 'subcategories' || !categoryFilter || String(e.categoryId) === categoryFilter,
  );
  const live = visible.filter((e) => !e.deletedAt);
  const move = (entry: DictionaryEntry, step: -1 | 1) => {
    const index = live.indexOf(entry);
    const target = index + step;
    if (index < 0 || target < 0 || target >= live.length) return;
    const ordered = [...live];
    [ordered[index], ordered[target]] = [ordered[target]!, ordered[index]!];
    reorder.mutate(ordered);
  };
  const failure = remove.error ?? restore.error ?? reorder.error ?? entries.error;

  return (
    <Stack gap="md" data-testid="admin-dictionaries">
      <Group justify="space-between">
        <SegmentedControl
          value={kind}
          onChange={(value) => setSearch({ kind: value }, { replace: true })}
          data={DICTIONARY_KINDS.map((k) => ({ value: k, label: t(`admin.dict.kinds.${k}`) }))}
          data-testid="dict-kind"
        />
        <Switch
          label={t('admin.dict.showDeleted')}
          checked={showDeleted}
          onChange={(e) => setShowDeleted(e.currentTarget.checked)}
        />
      </Group>
      <AddEntryForm
        kind={kind}
        categories={categories.data ?? []}
        nextSortOrder={Math.max(0, ...(entries.data ?? []).map((e) => e.sortOrder)) + 10}
      />
      {kind === 'subcategories' && (
        <Select
          label={t('admin.dict.filterByCategory')}
          placeholder={t('journal.filter.any')}
          clearable
          w={260}
          data={(categories.data ?? []).map((c) => ({ value: String(c.id), label: c.name }))}
          value={categoryFilter}
          onChange={setCategoryFilter}
        />
      )}
      {failure && <ApiErrorAlert error={failure} />}
      {entries.isSuccess && visible.length === 0 ? (
        <Text c="dimmed" data-testid="dict-empty">
          {kind === 'subcategories' || kind === 'tags'
            ? t(`admin.dict.emptyHint.${kind}`)
            : t('admin.dict.empty')}
        </Text>
      ) : (
        <Table withTableBorder striped verticalSpacing={6} data-testid="dict-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={90}>{t('admin.dict.order')}</Table.Th>
              <Table.Th>{t('admin.dict.name')}</Table.Th>
              {kind === 'subcategories' && <Table.Th>{t('admin.dict.category')}</Table.Th>}
              <Table.Th w={120}>{t('admin.dict.state')}</Table.Th>
              <Table.Th w={140} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {visible.map((entry) => {
              const index = live.indexOf(entry);
              return (
                <Table.Tr key={entry.id} data-testid="dict-row" data-entry-id={entry.id}>
                  <Table.Td>
                    {!entry.deletedAt && (
                      <Group gap={2} wrap="nowrap">
                        <Tooltip label={t('admin.dict.moveUp')}>
                          <ActionIcon
                            variant="subtle"
                            size="sm"
                            disabled={index <= 0 || reorder.isPending}
                            onClick={() => move(entry, -1)}
                            aria-label={t('admin.dict.moveUp')}
                            data-testid="dict-up"
                          >
                            <UpIcon size={14} />
                          </ActionIcon>
                        </Tooltip>
                        <Tooltip label={t('admin.dict.moveDown')}>
                          <ActionIcon
                            variant="subtle"
                            size="sm"
                            disabled={index === live.length - 1 || reorder.isPending}
                            onClick={() => move(entry, 1)}
                            aria-label={t('admin.dict.moveDown')}
                            data-testid="dict-down"
                          >
                            <DownIcon size={14} />
                          </ActionIcon>
                        </Tooltip>
                      </Group>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <EditableName kind={kind} entry={entry} />
                  </Table.Td>
                  {kind === 'subcategories' && <Table.Td>{categoryName(entry.categoryId)}</Table.Td>}
                  <Table.Td>
                    {entry.deletedAt ? (
                      <Badge color="gray">{t('admin.dict.deleted')}</Badge>
                    ) : (
                      <Badge color="teal">{t('admin.dict.live')}</Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {entry.deletedAt ? (
                      <Button size="compact-sm" variant="subtle" onClick={() => restore.mutate(entry)}>
                        {t('admin.dict.restore')}
                      </Button>
                    ) : (
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        color="red"
                        onClick={() => remove.mutate(entry)}
                        data-testid="dict-delete"
                      >
                        {t('actions.delete')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
