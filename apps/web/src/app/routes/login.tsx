import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { Alert } from '@/components/ui/alert';
import { PageLoader } from '@/components/ui/spinner';
import { LoginForm } from '@/features/auth/components/login-form';
import { useSession } from '@/lib/session';
import { useDocumentTitle } from '@/lib/use-document-title';
import type { LoginLocationState } from './require-auth';

export function returnPath(state: LoginLocationState | null): string {
  const from = state?.from;
  if (!from || !from.pathname.startsWith('/') || from.pathname.startsWith('//')) return '/';
  return `${from.pathname}${from.search ?? ''}${from.hash ?? ''}`;
}

export function LoginRoute() {
  const session = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const state = location.state as LoginLocationState | null;
  useDocumentTitle('Sign in');

  if (session.status === 'loading') return <PageLoader />;
  if (session.status === 'authenticated') return <Navigate to={returnPath(state)} replace />;

  return (
    <div className="page page--auth">
      <div className="card auth-card">
        <h1 className="page__title">Sign in</h1>
        <p className="auth-card__switch">
          Need an account? <Link to="/register" state={state}>Sign up</Link>
        </p>
        {state?.notice ? <Alert tone="info">{state.notice}</Alert> : null}
        <LoginForm onSuccess={() => navigate(returnPath(state), { replace: true })} />
        <p className="auth-card__switch">
          <Link to="/forgot-password">Forgot password?</Link>
        </p>
      </div>
    </div>
  );
}
