import { ActionIcon, Button, Group, Popover, Select, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiJson } from '../api/http.ts';

/**
 * The user's saved filters of a page, kept server-side (`GET/PUT /me/filters`,
 * `DELETE /me/filters/{id}`): pick one to apply its URL parameters, or save the current ones under
 * a name (the same name replaces).
 */

interface SavedFilter {
  id: number;
  name: string;
  filters: Record<string, string>;
}

export function SavedFilters({
  page,
  current,
  onApply,
}: {
  page: 'reports' | 'journal';
  /** The page's filter as URL parameters. */
  current: Record<string, string>;
  onApply: (filters: Record<string, string>) => void;
}) {
  const { t } = useTranslation('reports');
  const client = useQueryClient();
  const key = ['saved-filters', page];
  const list = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => apiJson<SavedFilter[]>(`/me/filters?page=${page}`, { signal }),
  });
  const [name, setName] = useState('');
  const [open, setOpen] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () =>
      apiJson<SavedFilter>('/me/filters', { method: 'PUT', body: { page, name, filters: current } }),
    onSuccess: (saved) => {
      setOpen(false);
      setName('');
      setSelected(String(saved.id));
      void client.invalidateQueries({ queryKey: key });
    },
  });
  const remove = useMutation({
    mutationFn: (id: number) => apiJson<void>(`/me/filters/${id}`, { method: 'DELETE' }),
    onSuccess: () => {
      setSelected(null);
      void client.invalidateQueries({ queryKey: key });
    },
  });
  const items = list.data ?? [];
  return (
    <Group gap={4} align="flex-end" className="no-print">
      <Select
        label={t('saved.label')}
        placeholder={items.length ? t('saved.pick') : t('saved.none')}
        data={items.map((f) => ({ value: String(f.id), label: f.name }))}
        value={selected}
        onChange={(id) => {
          setSelected(id);
          const found = items.find((f) => String(f.id) === id);
          if (found) onApply(found.filters);
        }}
        w={190}
        data-testid="saved-filter"
      />
      {selected && (
        <ActionIcon
          variant="default"
          size="lg"
          aria-label={t('saved.delete')}
          onClick={() => remove.mutate(Number(selected))}
          data-testid="saved-filter-delete"
        >
          ×
        </ActionIcon>
      )}
      <Popover opened={open} onChange={setOpen} position="bottom-end" withArrow>
        <Popover.Target>
          <Button variant="default" onClick={() => setOpen((o) => !o)} data-testid="saved-filter-save">
            {t('saved.save')}
          </Button>
        </Popover.Target>
        <Popover.Dropdown>
          <Group gap="xs" align="flex-end">
            <TextInput
              label={t('saved.name')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              maxLength={100}
              data-testid="saved-filter-name"
            />
            <Button
              disabled={!name.trim()}
              loading={save.isPending}
              onClick={() => save.mutate()}
              data-testid="saved-filter-confirm"
            >
              {t('saved.confirm')}
            </Button>
          </Group>
        </Popover.Dropdown>
      </Popover>
    </Group>
  );
}
