import { Navigate } from 'react-router';
import { PageLoader } from '@/components/ui/spinner';
import { ForgotPasswordForm } from '@/features/auth/components/forgot-password-form';
import { useSession } from '@/lib/session';
import { useDocumentTitle } from '@/lib/use-document-title';

export function ForgotPasswordRoute() {
  const session = useSession();
  useDocumentTitle('Forgot password');
  if (session.status === 'loading') return <PageLoader />;
  if (session.status === 'authenticated') return <Navigate to="/app/settings/account" replace />;
  return (
    <div className="page page--auth">
      <div className="card auth-card">
        <h1 className="page__title">Forgot your password?</h1>
        <ForgotPasswordForm />
      </div>
    </div>
  );
}
