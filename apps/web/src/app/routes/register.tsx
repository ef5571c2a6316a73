import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { PageLoader } from '@/components/ui/spinner';
import { RegisterForm } from '@/features/auth/components/register-form';
import { useSession } from '@/lib/session';
import { useDocumentTitle } from '@/lib/use-document-title';
import { returnPath } from './login';
import type { HomeLocationState, LoginLocationState } from './require-auth';

export function RegisterRoute() {
  const session = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const state = location.state as LoginLocationState | null;
  useDocumentTitle('Sign up');

  if (session.status === 'loading') return <PageLoader />;
  if (session.status === 'authenticated') return <Navigate to={returnPath(state)} replace />;

  return (
    <div className="page page--auth">
      <div className="card auth-card">
        <h1 className="page__title">Sign up</h1>
        <p className="auth-card__switch">
          Have an account? <Link to="/login" state={state}>Sign in</Link>
        </p>
        <RegisterForm
          onSuccess={() => navigate(returnPath(state), { replace: true, state: { newAccount: true } satisfies HomeLocationState })}
        />
      </div>
    </div>
  );
}
