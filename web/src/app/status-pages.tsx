import { Button, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** "No access" and "not found" pages, with a way back. */

function StatusPage({ code, title, text }: { code: string; title: string; text: string }) {
  const { t } = useTranslation();
  return (
    <Stack align="center" py={80} gap="sm" data-testid={`status-${code}`}>
      <Text fz={64} fw={700} c="dimmed" lh={1}>
        {code}
      </Text>
      <Title order={2} size="h3">
        {title}
      </Title>
      <Text c="dimmed" ta="center" maw={480}>
        {text}
      </Text>
      <Button component={Link} to="/" variant="light" mt="sm">
        {t('actions.goHome')}
      </Button>
    </Stack>
  );
}

export function NoAccessPage() {
  const { t } = useTranslation();
  return <StatusPage code="403" title={t('errors.noAccessTitle')} text={t('errors.noAccessText')} />;
}

export function NotFoundPage() {
  const { t } = useTranslation();
  return <StatusPage code="404" title={t('errors.notFoundTitle')} text={t('errors.notFoundText')} />;
}
