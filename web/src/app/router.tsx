import { Center, Loader } from '@mantine/core';
import { lazy, type ReactNode, Suspense } from 'react';
import { createBrowserRouter, Navigate, type RouteObject } from 'react-router';
import { AdminPage } from '../admin/admin-page.tsx';
import { ADMIN_TABS } from '../admin/admin-tabs.ts';
import { useUser } from '../auth/session.tsx';
import { JournalPage } from '../journal/journal-page.tsx';
import { LoginPage } from '../login/login-page.tsx';
import { AppLayout } from './app-layout.tsx';
import { RouteError } from './error-boundary.tsx';
import { homePath } from './navigation.ts';
import { RequireSection, RequireSession } from './require-session.tsx';
import { NotFoundPage } from './status-pages.tsx';

/**
 * The app's routes under the `/app` base (the API serves web/dist there, api/src/routes/web):
 * `/login`; then, signed in, `/operator/*` (workspace), `/journal` and `/journal/calls/:id` (the
 * call drawer), `/reports/*`, `/live` (the wallboard), `/missed` (lost calls worklist), `/sessions`
 * (operator sessions), `/admin/<tab>`. Each section is gated by role (navigation.ts).
 */

export const APP_BASENAME = '/app';

// The workspace (SIP.js) and the reports (Arrow, charts) are the heavy parts: each loads when
// first opened, so signing in and the journal stay light.
const OperatorWorkspacePage = lazy(() =>
  import('../operator/index.ts').then((m) => ({ default: m.OperatorWorkspacePage })),
);
const WallboardPage = lazy(() => import('../wallboard/index.ts').then((m) => ({ default: m.WallboardPage })));
const ReportsPage = lazy(() => import('../reports/index.ts').then((m) => ({ default: m.ReportsPage })));
const SessionsPage = lazy(() => import('../supervision/index.ts').then((m) => ({ default: m.SessionsPage })));
const MissedCallsPage = lazy(() =>
  import('../supervision/index.ts').then((m) => ({ default: m.MissedCallsPage })),
);

function Loading({ children }: { children: ReactNode }) {
  return (
    <Suspense
      fallback={
        <Center h={240}>
          <Loader />
        </Center>
      }
    >
      {children}
    </Suspense>
  );
}

function Home() {
  const user = useUser();
  return <Navigate to={homePath(user.role)} replace />;
}

export const routes: RouteObject[] = [
  { path: '/login', element: <LoginPage />, errorElement: <RouteError /> },
  {
    path: '/',
    element: (
      <RequireSession>
        <AppLayout />
      </RequireSession>
    ),
    errorElement: <RouteError />,
    children: [
      { index: true, element: <Home /> },
      {
        path: 'operator/*',
        element: (
          <RequireSection section="operator">
            <Loading>
              <OperatorWorkspacePage />
            </Loading>
          </RequireSection>
        ),
      },
      {
        path: 'journal',
        element: (
          <RequireSection section="journal">
            <JournalPage />
          </RequireSection>
        ),
        children: [{ path: 'calls/:callId', element: null }],
      },
      {
        path: 'reports/*',
        element: (
          <RequireSection section="reports">
            <Loading>
              <ReportsPage />
            </Loading>
          </RequireSection>
        ),
      },
      {
        path: 'live',
        element: (
          <RequireSection section="live">
            <Loading>
              <WallboardPage />
            </Loading>
          </RequireSection>
        ),
      },
      {
        path: 'missed',
        element: (
          <RequireSection section="missed">
            <Loading>
              <MissedCallsPage />
            </Loading>
          </RequireSection>
        ),
      },
      {
        path: 'sessions',
        element: (
          <RequireSection section="sessions">
            <Loading>
              <SessionsPage />
            </Loading>
          </RequireSection>
        ),
      },
      {
        path: 'admin',
        element: (
          <RequireSection section="admin">
            <AdminPage />
          </RequireSection>
        ),
        children: [
          { index: true, element: <Navigate to={ADMIN_TABS[0]!.id} replace /> },
          ...ADMIN_TABS.map((tab) => ({ path: tab.id, element: <tab.Panel /> })),
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

/** The browser router (history API) under /app. */
export const createAppRouter = () => createBrowserRouter(routes, { basename: APP_BASENAME });
