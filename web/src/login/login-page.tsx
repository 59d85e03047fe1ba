import { zodResolver } from '@hookform/resolvers/zod';
import {
  Alert,
  Button,
  Center,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { z } from 'zod';
import { login } from '../api/http.ts';
import { homePath } from '../app/navigation.ts';
import { useSessionState } from '../auth/session.tsx';
import { PhoneIcon } from '../ui/icons.tsx';
import { LanguageSwitch } from '../ui/language-switch.tsx';
import { loginFailureText } from './login-failure.ts';

/**
 * Sign-in (`POST /auth/login`). Shows the API's refusal as it is: wrong login or password (401),
 * too many attempts with the wait from Retry-After (429), a server or network failure. After
 * signing in, goes where the user was going (RequireSession remembers it) or to the role's home.
 */

const LoginForm = z.object({
  login: z.string().trim().min(1, 'login.required'),
  password: z.string().min(1, 'login.required'),
});
type LoginForm = z.infer<typeof LoginForm>;

export function LoginPage() {
  const { t, i18n } = useTranslation();
  const { session, restoring } = useSessionState();
  const navigate = useNavigate();
  const location = useLocation();
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<LoginForm>({
    resolver: zodResolver(LoginForm),
    defaultValues: { login: '', password: '' },
  });
  const from = (location.state as { from?: string } | null)?.from;

  if (!restoring && session) return <Navigate to={from ?? homePath(session.user.role)} replace />;

  const submit = form.handleSubmit(async (values) => {
    setFailure(null);
    try {
      const signedIn = await login(values.login, values.password);
      navigate(from ?? homePath(signedIn.user.role), { replace: true });
    } catch (error) {
      setFailure(
        loginFailureText(error, t, i18n.resolvedLanguage ?? i18n.language, (key) => i18n.exists(key)),
      );
      form.setValue('password', '');
      form.setFocus('password');
    }
  });

  const fieldError = (key: keyof LoginForm) => {
    const message = form.formState.errors[key]?.message;
    return message ? t(message) : undefined;
  };

  return (
    <Center mih="100vh" p="md" bg="var(--mantine-color-gray-0)">
      <Stack w={380} gap="lg">
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
          <form onSubmit={submit} noValidate aria-labelledby="login-title">
            <Stack gap="md">
              <div>
                <Title order={1} size="h3" id="login-title">
                  {t('login.title')}
                </Title>
                <Text size="sm" c="dimmed">
                  {t('login.subtitle')}
                </Text>
              </div>
              {failure && (
                <Alert color="red" variant="light" role="alert" data-testid="login-error">
                  {failure}
                </Alert>
              )}
              <TextInput
                label={t('login.login')}
                autoComplete="username"
                autoFocus
                data-testid="login-name"
                error={fieldError('login')}
                {...form.register('login')}
              />
              <PasswordInput
                label={t('login.password')}
                autoComplete="current-password"
                data-testid="login-password"
                error={fieldError('password')}
                {...form.register('password')}
              />
              <Button
                type="submit"
                loading={form.formState.isSubmitting}
                data-testid="login-submit"
                fullWidth
              >
                {t('login.submit')}
              </Button>
            </Stack>
          </form>
        </Paper>
      </Stack>
    </Center>
  );
}
