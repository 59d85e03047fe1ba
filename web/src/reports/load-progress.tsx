import { Group, Loader, Progress, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../ui/format.ts';
import { formatNumber } from './report-format.ts';
import type { LoadProgress } from './use-report-data.ts';

/** Bytes arriving (a bar when the size is announced), then rows decoded in the worker. */
export function LoadProgressBar({ progress, slicing }: { progress: LoadProgress; slicing: boolean }) {
  const { t, i18n } = useTranslation('reports');
  const lang = i18n.language;
  const rows = Object.values(progress.rows).reduce((sum, n) => sum + (n ?? 0), 0);
  if (progress.done) {
    return (
      <Group gap="xs" data-testid="report-loaded">
        {slicing && <Loader size="xs" />}
        <Text size="xs" c="dimmed">
          {t('loaded', { rows: formatNumber(rows, lang), bytes: formatBytes(progress.bytes, lang) })}
        </Text>
      </Group>
    );
  }
  const share = progress.totalBytes ? (100 * progress.bytes) / progress.totalBytes : null;
  return (
    <div role="status" aria-live="polite" data-testid="report-progress">
      <Text size="xs" c="dimmed" mb={4}>
        {t('loading', { bytes: formatBytes(progress.bytes, lang) })}
      </Text>
      <Progress value={share ?? 100} animated striped={share === null} size="sm" />
    </div>
  );
}
