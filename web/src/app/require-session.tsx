import { Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useSessionState } from '../auth/session.tsx';
import { ChangePasswordPage } from '../login/change-password-page.tsx';
import { canOpen, type SectionId } from './navigation.ts';
import { NoAccessPage } from './status-pages.tsx';

/**
 * Gates for routes. `RequireSession` waits for the session restore (refresh cookie) and sends
 * strangers to /login, remembering where they were going, and holds a user who must choose a new
 * password on that page (docs/roles.md#sign-in) until they have; `RequireSection` shows "no access" to a
 * role the section is not for (the API refuses them anyway).
 */

export function RequireSession({ children }: { children: ReactNode }) {
  const { session, restoring } = useSessionState();
  const location = useLocation();
  if (restoring) {
    return (
      <Center h="100vh" data-testid="session-restoring">
        <Loader />
      </Center>
    );
  }
  if (!session) {
    const from = `${location.pathname}${location.search}`;
    return <Navigate to="/login" replace state={{ from }} />;
  }
  if (session.user.mustChangePassword) return <ChangePasswordPage />;
  return children;
}

export function RequireSection({ section, children }: { section: SectionId; children: ReactNode }) {
  const { session } = useSessionState();
  if (!session || !canOpen(session.user.role, section)) return <NoAccessPage />;
  return children;
}
