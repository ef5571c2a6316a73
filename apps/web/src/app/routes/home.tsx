import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { Alert } from '@/components/ui/alert';
import { PageLoader } from '@/components/ui/spinner';
import { useDocumentTitle } from '@/lib/use-document-title';
import { useSession } from '@/lib/session';
import type { HomeLocationState } from './require-auth';

export function HomeRoute() {
  const session = useSession();
  const location = useLocation();
  const notice = (location.state as HomeLocationState | null)?.notice;
  const navigate = useNavigate();
  // Greeted as new once: the flag leaves the history entry, so a reload says "Welcome back".
  const [newAccount] = useState(() => (location.state as HomeLocationState | null)?.newAccount === true);
  useEffect(() => {
    if ((location.state as HomeLocationState | null)?.newAccount) navigate('.', { replace: true, state: null });
  }, [location.state, navigate]);
  useDocumentTitle('');

  return (
    <div className="page page--narrow">
      {notice ? <Alert tone="info">{notice}</Alert> : null}
      {session.status === 'loading' ? (
        <PageLoader />
      ) : session.status === 'authenticated' ? (
        <section className="hero" aria-labelledby="home-title">
          <h1 id="home-title" className="hero__title">
            {newAccount ? `Welcome to Conduit, ${session.user.username}` : `Welcome back, ${session.user.username}`}
          </h1>
          <p className="hero__lead">
            {newAccount
              ? 'Your account is ready. Create an API token when a script or pipeline needs to call the API for you.'
              : 'Manage the credentials your scripts and pipelines use, and keep your account in shape.'}
          </p>
          <div className="hero__actions">
            <Link className="btn btn--primary" to="/app/settings/api-tokens">
              API tokens
            </Link>
            <Link className="btn btn--secondary" to="/app/settings/account">
              Account settings
            </Link>
          </div>
        </section>
      ) : (
        <section className="hero" aria-labelledby="home-title">
          <h1 id="home-title" className="hero__title">
            Publish with Conduit, automate with API tokens
          </h1>
          <p className="hero__lead">
            Write and share articles in the browser; let CI/CD pipelines, cron jobs and scripts call the same API with
            long-lived, revocable, IP-restricted tokens.
          </p>
          <div className="hero__actions">
            <Link className="btn btn--primary" to="/register">
              Sign up
            </Link>
            <Link className="btn btn--secondary" to="/login">
              Sign in
            </Link>
          </div>
        </section>
      )}
    </div>
  );
}
