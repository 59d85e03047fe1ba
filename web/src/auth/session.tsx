import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import {
  currentSession,
  onSessionChange,
  refreshSession,
  type Session,
  type SessionUser,
} from '../api/http.ts';

/**
 * React view of the session kept by api/http.ts. On mount it tries the refresh cookie once, so a
 * reload keeps the user signed in; `restoring` is true until that answer arrives.
 */
interface SessionState {
  session: Session | null;
  restoring: boolean;
}

const SessionContext = createContext<SessionState>({ session: null, restoring: true });

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ session: currentSession(), restoring: true });
  useEffect(() => {
    const unsubscribe = onSessionChange((session) => setState({ session, restoring: false }));
    if (currentSession()) setState({ session: currentSession(), restoring: false });
    else void refreshSession().finally(() => setState({ session: currentSession(), restoring: false }));
    return () => {
      unsubscribe();
    };
  }, []);
  return <SessionContext.Provider value={state}>{children}</SessionContext.Provider>;
}

/** The session state: `{ session, restoring }`. */
export function useSessionState(): SessionState {
  return useContext(SessionContext);
}

/** The signed-in user; throws when used outside a signed-in part of the app (a programming error). */
export function useUser(): SessionUser {
  const { session } = useContext(SessionContext);
  if (!session) throw new Error('useUser() outside a signed-in route');
  return session.user;
}
