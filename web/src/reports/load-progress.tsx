import { Group, Loader, Progress, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../ui/format.ts';
import type { LoadProgress } from './use-report-data.ts';

/**
 * Bytes arriving (a bar when the size is announced) while the period loads; once loaded, only a
 * small spinner while a slice is recomputed (row counts and timings are for `npm run bench:web`,
 * not for people).
 */
export function LoadProgressBar({ progress, slicing }: { progress: LoadProgress; slicing: boolean }) {
  const { t, i18n } = useTranslation('reports');
  const lang = i18n.language;
  if (progress.done) {
    return slicing ? (
      <Group gap="xs" data-testid="report-loaded">
        <Loader size="xs" />
      </Group>
    ) : null;
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
