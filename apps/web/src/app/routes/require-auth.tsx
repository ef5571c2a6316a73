import { Navigate, Outlet, useLocation, type Location } from 'react-router';
import { PageLoader } from '@/components/ui/spinner';
import { useSession } from '@/lib/session';

export interface LoginLocationState {
  /** Where to go back to after signing in. */
  from?: Pick<Location, 'pathname' | 'search' | 'hash'>;
  notice?: string;
}

export interface HomeLocationState {
  notice?: string;
  /** Set by sign-up: the home page greets a new account as new. */
  newAccount?: boolean;
}

/** Guards /app/*: waits for the session to be restored, then lets through or sends to sign in. */
export function RequireAuth() {
  const session = useSession();
  const location = useLocation();
  if (session.status === 'loading') return <PageLoader label="Restoring your session…" />;
  if (session.status === 'anonymous') {
    if (session.reason === 'deleted') {
      const state: HomeLocationState = { notice: 'Your account has been deleted. Its API tokens no longer work.' };
      return <Navigate to="/" replace state={state} />;
    }
    if (session.reason === 'signed-out') {
      const state: HomeLocationState = { notice: 'You have signed out.' };
      return <Navigate to="/" replace state={state} />;
    }
    const state: LoginLocationState = {
      from: { pathname: location.pathname, search: location.search, hash: location.hash },
      notice: session.reason === 'expired' ? 'Your session has ended. Sign in again to continue.' : undefined,
    };
    return <Navigate to="/login" replace state={state} />;
  }
  return <Outlet />;
}
