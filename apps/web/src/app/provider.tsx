import { useState, type ReactNode } from 'react';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { ConfirmPasswordHost } from '@/features/auth/components/confirm-password-dialog';
import { createQueryClient } from '@/lib/query-client';
import { clearSession, getSession, mayHaveSession, refreshSession } from '@/lib/session';

let restoreStarted = false;

/**
 * Restores the session once per page load: the access token lives in memory, so after a reload
 * the refresh cookie is traded for a new one. `refreshSession` shares one request among callers,
 * and this guard keeps React's StrictMode double render from asking twice.
 */
export function restoreSession(): void {
  if (restoreStarted || getSession().status !== 'loading') return;
  restoreStarted = true;
  if (mayHaveSession()) void refreshSession();
  else clearSession(null);
}

/** Only for tests: runs the on-load restore again (`hadSession`: as in a browser that signed in before). */
export function restoreSessionForTests({ hadSession = false } = {}): void {
  restoreStarted = false;
  if (hadSession) localStorage.setItem('conduit.hadSession', '1');
  restoreSession();
}

export function AppProvider({ children, queryClient }: { children: ReactNode; queryClient?: QueryClient }) {
  const [client] = useState(() => queryClient ?? createQueryClient());
  return (
    <QueryClientProvider client={client}>
      {children}
      <ConfirmPasswordHost />
    </QueryClientProvider>
  );
}
