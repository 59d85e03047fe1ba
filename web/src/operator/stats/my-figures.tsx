import { Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { DateTime } from 'luxon';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiErrorAlert } from '../../ui/api-error-alert.tsx';
import { formatCount, formatDuration } from '../../ui/format.ts';
import { useInstallationTimeZone } from '../../ui/queue-time-zones.ts';
import { fetchMyStats } from '../operator-api.ts';

/** Today's figures of the operator's own phone (`GET /me/stats`, today in the installation's zone). */
export function MyFigures() {
  const { t, i18n } = useTranslation('operator');
  const zone = useInstallationTimeZone();
  const day = DateTime.now().setZone(zone).toISODate();
  const { from, to } = useMemo(() => {
    const start = DateTime.fromISO(day ?? '', { zone }).startOf('day');
    return { from: start.toISO() ?? '', to: start.plus({ days: 1 }).toISO() ?? '' };
  }, [day, zone]);
  const stats = useQuery({
    queryKey: ['me', 'stats', from, to],
    queryFn: ({ signal }) => fetchMyStats(from, to, signal),
    refetchInterval: 60_000,
  });
  const figure = (label: string, value: string, testId: string) => (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="lg" data-testid={testId}>
        {value}
      </Text>
    </Stack>
  );
  const s = stats.data;
  return (
    <Card withBorder padding="md" data-testid="my-figures">
      <Title order={3} size="h5" mb="sm">
        {t('figures.title')}
      </Title>
      {stats.error ? <ApiErrorAlert error={stats.error} /> : null}
      {s && (
        <SimpleGrid cols={2} spacing="sm">
          {figure(t('figures.answered'), formatCount(s.answered_calls, i18n.language), 'figure-answered')}
          {figure(t('figures.missed'), formatCount(s.missed_attempts, i18n.language), 'figure-missed')}
          {figure(t('figures.talk'), formatDuration(s.talk_sec), 'figure-talk')}
          {figure(t('figures.aht'), formatDuration(s.aht_sec), 'figure-aht')}
          {figure(t('figures.outbound'), formatCount(s.outbound_calls, i18n.language), 'figure-outbound')}
          {figure(t('figures.hold'), formatDuration(s.hold_sec), 'figure-hold')}
        </SimpleGrid>
      )}
    </Card>
  );
}
