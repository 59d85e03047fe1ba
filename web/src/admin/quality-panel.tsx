import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  Group,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiErrorAlert } from '../ui/api-error-alert.tsx';
import { formatCount, formatDateTime } from '../ui/format.ts';
import { useInstallationTimeZone } from '../ui/queue-time-zones.ts';
import { fetchQuality, rederive } from './admin-api.ts';

/**
 * Data quality (`/admin/quality`, `GET /quality`): rows the collector quarantined (by source and
 * reason, with the newest examples), calls closed by idle timeout because their end never
 * arrived, and stored calls per reconciler version; "Re-derive" (`POST /quality/rederive`)
 * rebuilds the calls of older versions from their CEL/CDR rows (cards are never touched).
 */

function Figure({ label, value, color }: { label: string; value: string; color?: string }) {
  return (
    <Card withBorder padding="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={28} fw={700} c={color}>
        {value}
      </Text>
    </Card>
  );
}

export function QualityPanel() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const zone = useInstallationTimeZone();
  const queryClient = useQueryClient();
  const report = useQuery({ queryKey: ['quality'], queryFn: ({ signal }) => fetchQuality(signal) });
  const run = useMutation({
    mutationFn: rederive,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['quality'] });
      void queryClient.invalidateQueries({ queryKey: ['calls'] });
    },
  });

  if (report.error) return <ApiErrorAlert error={report.error} />;
  const data = report.data;
  if (!data) return null;
  return (
    <Stack gap="lg" data-testid="admin-quality">
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Figure
          label={t('admin.quality.quarantined')}
          value={formatCount(data.quarantine.total, lang)}
          color={data.quarantine.total > 0 ? 'orange' : undefined}
        />
        <Figure
          label={t('admin.quality.idleClosed')}
          value={formatCount(data.idleTimeout.count, lang)}
          color={data.idleTimeout.count > 0 ? 'orange' : undefined}
        />
        <Figure
          label={t('admin.quality.outdated')}
          value={formatCount(data.reconciler.outdated, lang)}
          color={data.reconciler.outdated > 0 ? 'orange' : undefined}
        />
      </SimpleGrid>

      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={3} size="h5">
            {t('admin.quality.versions', { current: data.reconciler.current })}
          </Title>
          <Button
            onClick={() => run.mutate()}
            loading={run.isPending}
            disabled={data.reconciler.outdated === 0}
            data-testid="quality-rederive"
          >
            {t('admin.quality.rederive')}
          </Button>
        </Group>
        <Table withTableBorder striped>
          <Table.Tbody>
            {data.reconciler.versions.map((v) => (
              <Table.Tr key={v.version}>
                <Table.Td ff="monospace">{v.version}</Table.Td>
                <Table.Td>{formatCount(v.count, lang)}</Table.Td>
                <Table.Td>{v.current && <Badge color="teal">{t('admin.quality.current')}</Badge>}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {run.error && <ApiErrorAlert error={run.error} />}
        {run.data && (
          <Alert color={run.data.failures.length ? 'orange' : 'teal'} data-testid="rederive-result">
            {t('admin.quality.rederived', { ...run.data })}
            {run.data.changed > 0 && (
              <Text size="sm" data-testid="rederive-changed">
                {t('admin.quality.rederivedChanged', {
                  changed: run.data.changed,
                  fields: run.data.changedFields.map((f) => `${f.field} ${f.calls}`).join(', '),
                })}
              </Text>
            )}
            {run.data.failures.map((f) => (
              <Text size="sm" key={f.linkedids.join(',')}>
                {f.linkedids.join(', ')}: {f.reason}
              </Text>
            ))}
          </Alert>
        )}
      </Stack>

      <Stack gap="xs">
        <Title order={3} size="h5">
          {t('admin.quality.quarantineTitle')}
        </Title>
        {data.quarantine.byReason.length === 0 ? (
          <Text c="dimmed" size="sm">
            {t('admin.quality.noQuarantine')}
          </Text>
        ) : (
          <Table withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.quality.source')}</Table.Th>
                <Table.Th>{t('admin.quality.reason')}</Table.Th>
                <Table.Th>{t('admin.quality.count')}</Table.Th>
                <Table.Th>{t('admin.quality.newest')}</Table.Th>
                <Table.Th>{t('admin.quality.examples')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.quarantine.byReason.map((r) => (
                <Table.Tr key={`${r.source}:${r.reason}`}>
                  <Table.Td>
                    <Badge color="gray">{r.source}</Badge>
                  </Table.Td>
                  <Table.Td>{r.reason}</Table.Td>
                  <Table.Td>{formatCount(r.count, lang)}</Table.Td>
                  <Table.Td>{formatDateTime(r.newestAt, zone, lang)}</Table.Td>
                  <Table.Td maw={420}>
                    {r.examples.map((e) => (
                      <Code key={e.id} block fz="xs" mb={4} style={{ maxHeight: 120, overflow: 'auto' }}>
                        {JSON.stringify(e.raw)}
                      </Code>
                    ))}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>

      <Stack gap="xs">
        <Title order={3} size="h5">
          {t('admin.quality.idleTitle')}
        </Title>
        {data.idleTimeout.newest.length === 0 ? (
          <Text c="dimmed" size="sm">
            {t('admin.quality.noIdle')}
          </Text>
        ) : (
          <Table withTableBorder striped>
            <Table.Tbody>
              {data.idleTimeout.newest.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>#{c.id}</Table.Td>
                  <Table.Td ff="monospace">{c.linkedid}</Table.Td>
                  <Table.Td>{formatDateTime(c.startedAt, zone, lang)}</Table.Td>
                  <Table.Td>{t(`status.${c.status}`, { defaultValue: c.status })}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Stack>
  );
}
