import '@mantine/core/styles.css';
import '@mantine/dates/styles.css';
import '@mantine/notifications/styles.css';
import './app.css';
import { MantineProvider } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import 'dayjs/locale/en';
import 'dayjs/locale/ru';
import { useEffect, useState } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router';
import { SessionProvider } from '../auth/session.tsx';
import { initI18n } from '../i18n/i18n.ts';
import { theme } from '../ui/theme.ts';
import { createQueryClient } from './query-client.ts';
import { createAppRouter } from './router.tsx';

/**
 * The whole app: i18n, Mantine (theme, notifications, date pickers in the current language),
 * TanStack Query, the session (restored from the refresh cookie on load) and the router.
 */

const i18n = initI18n();

function Providers() {
  const { t, i18n: instance } = useTranslation();
  useEffect(() => {
    document.title = t('shell.product');
  }, [t]);
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(createAppRouter);
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <DatesProvider settings={{ locale: instance.language, firstDayOfWeek: 1 }}>
        <Notifications position="top-right" />
        <QueryClientProvider client={queryClient}>
          <SessionProvider>
            <RouterProvider router={router} />
          </SessionProvider>
        </QueryClientProvider>
      </DatesProvider>
    </MantineProvider>
  );
}

export function App() {
  return (
    <I18nextProvider i18n={i18n}>
      <Providers />
    </I18nextProvider>
  );
}
