import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { ResetPasswordForm } from '@/features/auth/components/reset-password-form';
import { useDocumentTitle } from '@/lib/use-document-title';
import type { LoginLocationState } from './require-auth';

/** The token of the link: in the fragment (`#token=…`), which the browser never sends to a server or in a Referer. */
export function tokenFromHash(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token && /^[A-Za-z0-9_-]{1,200}$/.test(token) ? token : null;
}

export function ResetPasswordRoute() {
  const location = useLocation();
  const navigate = useNavigate();
  // Read once: the token then leaves the address bar (and the history entry).
  const [token] = useState(() => tokenFromHash(location.hash));
  useDocumentTitle('Set a new password');

  useEffect(() => {
    if (location.hash) navigate({ pathname: location.pathname, search: location.search }, { replace: true });
  }, [location.hash, location.pathname, location.search, navigate]);

  const signIn = () => {
    const state: LoginLocationState = { notice: 'Your password has been reset and every session has ended. Sign in with your new password.' };
    navigate('/login', { replace: true, state });
  };

  return (
    <div className="page page--auth">
      <div className="card auth-card">
        <h1 className="page__title">Set a new password</h1>
        <ResetPasswordForm token={token} onSuccess={signIn} />
      </div>
    </div>
  );
}
