import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, Center, Group, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { apiErrorText } from '../api/error-text.ts';
import { changePassword, logout } from '../api/http.ts';
import { useUser } from '../auth/session.tsx';
import { PhoneIcon } from '../ui/icons.tsx';
import { LanguageSwitch } from '../ui/language-switch.tsx';

/**
 * The forced password change (docs/roles.md#sign-in): a user whose password was printed in the
 * job's log (the demo users) or chosen by an administrator sees only this page until they pick
 * their own (`PUT /me/password`); the API refuses everything else meanwhile. The rules are the
 * API's: at least 8 characters, different from the current one.
 */

const MIN_LENGTH = 8;

const PasswordForm = z
  .object({
    current: z.string().min(1, 'login.required'),
    next: z.string().min(MIN_LENGTH, 'password.tooShort'),
    repeat: z.string(),
  })
  .refine((v) => v.next === v.repeat, { message: 'password.mismatch', path: ['repeat'] })
  .refine((v) => v.next !== v.current, { message: 'password.same', path: ['next'] });
type PasswordForm = z.infer<typeof PasswordForm>;

export function ChangePasswordPage() {
  const { t, i18n } = useTranslation();
  const user = useUser();
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<PasswordForm>({
    resolver: zodResolver(PasswordForm),
    defaultValues: { current: '', next: '', repeat: '' },
  });

  const submit = form.handleSubmit(async (values) => {
    setFailure(null);
    try {
      await changePassword(values.current, values.next);
    } catch (error) {
      setFailure(apiErrorText(error, t, i18n.resolvedLanguage ?? i18n.language, (key) => i18n.exists(key)));
      form.setValue('current', '');
      form.setFocus('current');
    }
  });

  const fieldError = (key: keyof PasswordForm) => {
    const message = form.formState.errors[key]?.message;
    return message ? t(message, { count: MIN_LENGTH }) : undefined;
  };

  return (
    <Center mih="100vh" p="md" bg="var(--mantine-color-gray-0)">
      <Stack w={420} gap="lg">
        <Group justify="space-between">
          <Group gap={8}>
            <PhoneIcon size={26} color="var(--mantine-primary-color-filled)" />
            <Text fw={700} size="xl">
              {t('shell.product')}
            </Text>
          </Group>
          <LanguageSwitch />
        </Group>
        <Paper withBorder shadow="sm" p="xl">
          <form onSubmit={submit} noValidate aria-labelledby="password-title" data-testid="password-change">
            <Stack gap="md">
              <div>
                <Title order={1} size="h3" id="password-title">
                  {t('password.title')}
                </Title>
                <Text size="sm" c="dimmed">
                  {t('password.intro', { login: user.login })}
                </Text>
              </div>
              {failure && (
                <Alert color="red" variant="light" role="alert" data-testid="password-error">
                  {failure}
                </Alert>
              )}
              <PasswordInput
                label={t('password.current')}
                autoComplete="current-password"
                autoFocus
                data-testid="password-current"
                error={fieldError('current')}
                {...form.register('current')}
              />
              <PasswordInput
                label={t('password.next')}
                description={t('password.rule', { count: MIN_LENGTH })}
                autoComplete="new-password"
                data-testid="password-next"
                error={fieldError('next')}
                {...form.register('next')}
              />
              <PasswordInput
                label={t('password.repeat')}
                autoComplete="new-password"
                data-testid="password-repeat"
                error={fieldError('repeat')}
                {...form.register('repeat')}
              />
              <Button
                type="submit"
                loading={form.formState.isSubmitting}
                data-testid="password-submit"
                fullWidth
              >
                {t('password.submit')}
              </Button>
              <Button
                variant="subtle"
                color="gray"
                onClick={() => void logout()}
                data-testid="password-logout"
              >
                {t('shell.logout')}
              </Button>
            </Stack>
          </form>
        </Paper>
      </Stack>
    </Center>
  );
}
