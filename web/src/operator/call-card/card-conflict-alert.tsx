import { Alert, Button, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CallCard } from '../../api/calls.ts';

/**
 * The card form's conflict notices: someone else saved the card meanwhile (`conflict`: who and
 * which version, with a button that loads theirs and re-applies these edits), and, after that,
 * the fields where their values were replaced by these edits (`overwrittenLabels`, translated).
 */
export function CardConflictAlerts({
  conflict,
  overwrittenLabels,
  onReapply,
}: {
  conflict: CallCard | null;
  overwrittenLabels: string[];
  onReapply: () => void;
}) {
  const { t } = useTranslation('operator');
  return (
    <>
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
            <Button size="xs" variant="light" color="orange" onClick={onReapply} w="fit-content">
              {t('card.conflict.reapply')}
            </Button>
          </Stack>
        </Alert>
      )}
      {overwrittenLabels.length > 0 && (
        <Alert color="yellow" variant="light">
          {t('card.conflict.overwritten', { fields: overwrittenLabels.join(', ') })}
        </Alert>
      )}
    </>
  );
}
