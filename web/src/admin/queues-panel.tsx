import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, NumberInput, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ApiErrorAlert } from '../ui/api-error-alert.tsx';
import { QUEUES_QUERY_KEY, type QueueSettings, useQueues } from '../ui/queue-time-zones.ts';
import { updateQueue } from './admin-api.ts';

/**
 * Queue settings (`/admin/queues`): display name, the IANA time zone its reports and times run
 * in, and the service-level threshold T (seconds from queue entry; docs/metrics.md#service-level). Queues
 * appear by themselves when the collector first sees them.
 */

/** IANA zones the browser knows (the API checks them again). */
function timeZones(): string[] {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  return supported ? supported('timeZone') : ['UTC', 'Europe/Moscow'];
}

const QueueForm = z.object({
  displayName: z.string().trim().min(1, 'admin.queues.nameRequired').max(200),
  timeZone: z.string().min(1),
  serviceLevelSec: z.number().int().min(1, 'admin.queues.slRule').max(600, 'admin.queues.slRule'),
});
type QueueForm = z.infer<typeof QueueForm>;

function QueueRow({ queue, zones }: { queue: QueueSettings; zones: string[] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm<QueueForm>({
    resolver: zodResolver(QueueForm),
    values: {
      displayName: queue.displayName,
      timeZone: queue.timeZone,
      serviceLevelSec: queue.serviceLevelSec,
    },
  });
  const save = useMutation({
    mutationFn: (values: QueueForm) => {
      const changed: Partial<QueueForm> = {};
      if (values.displayName !== queue.displayName) changed.displayName = values.displayName;
      if (values.timeZone !== queue.timeZone) changed.timeZone = values.timeZone;
      if (values.serviceLevelSec !== queue.serviceLevelSec) changed.serviceLevelSec = values.serviceLevelSec;
      return updateQueue(queue.id, changed);
    },
    onSuccess: (saved) => {
      notifications.show({ color: 'teal', message: t('admin.queues.saved', { name: saved.name }) });
      void queryClient.invalidateQueries({ queryKey: QUEUES_QUERY_KEY });
    },
  });
  const err = (key: keyof QueueForm) => {
    const message = form.formState.errors[key]?.message;
    return message ? t(message) : undefined;
  };
  return (
    <Paper withBorder p="md" data-testid="queue-row" data-queue={queue.name}>
      <form onSubmit={form.handleSubmit((v) => save.mutate(v))} noValidate>
        <Group gap="md" align="flex-end" wrap="wrap">
          <Stack gap={0} w={140}>
            <Text ff="monospace" fw={600}>
              {queue.name}
            </Text>
            <Text size="xs" c="dimmed">
              {t('admin.users.server')}: {queue.serverId}
            </Text>
          </Stack>
          <TextInput
            label={t('admin.queues.displayName')}
            w={220}
            error={err('displayName')}
            {...form.register('displayName')}
          />
          <Controller
            control={form.control}
            name="timeZone"
            render={({ field }) => (
              <Select
                label={t('admin.queues.timeZone')}
                data={zones}
                searchable
                allowDeselect={false}
                w={240}
                value={field.value}
                onChange={(v) => v && field.onChange(v)}
                // Typing replaces the shown zone instead of appending to it: select it on focus.
                onFocus={(event) => event.currentTarget.select()}
                data-testid="queue-tz"
              />
            )}
          />
          <Controller
            control={form.control}
            name="serviceLevelSec"
            render={({ field }) => (
              <NumberInput
                label={t('admin.queues.serviceLevel')}
                min={1}
                max={600}
                w={130}
                suffix={` ${t('recording.sec')}`}
                value={field.value}
                onChange={(v) => field.onChange(typeof v === 'number' ? v : Number(v))}
                error={err('serviceLevelSec')}
              />
            )}
          />
          <Button type="submit" variant="light" disabled={!form.formState.isDirty} loading={save.isPending}>
            {t('actions.save')}
          </Button>
        </Group>
        {save.error && (
          <Stack mt="sm">
            <ApiErrorAlert error={save.error} />
          </Stack>
        )}
      </form>
    </Paper>
  );
}

export function QueuesPanel() {
  const { t } = useTranslation();
  const queues = useQueues();
  const zones = useMemo(timeZones, []);
  return (
    <Stack gap="sm" data-testid="admin-queues">
      <Text size="sm" c="dimmed">
        {t('admin.queues.hint')}
      </Text>
      {queues.error && <ApiErrorAlert error={queues.error} />}
      {(queues.data ?? []).map((queue) => (
        <QueueRow key={queue.id} queue={queue} zones={zones} />
      ))}
      {queues.isSuccess && queues.data.length === 0 && <Text c="dimmed">{t('admin.queues.none')}</Text>}
    </Stack>
  );
}
