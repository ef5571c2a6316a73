import { Alert } from '@/components/ui/alert';
import { Skeleton } from '@/components/ui/skeleton';
import { errorMessage } from '@/lib/api-client';
import { useCurrentUser } from '../api/get-current-user';
import { DeleteAccountForm } from './delete-account-form';
import { PasswordForm } from './password-form';
import { ProfileForm } from './profile-form';
import { TimeZoneForm } from './time-zone-form';

export function AccountPage() {
  const user = useCurrentUser();
  return (
    <div className="page">
      <header className="page__header">
        <div>
          <h1 className="page__title">Account settings</h1>
          <p className="page__lead">Your profile, password, time zone, and account.</p>
        </div>
      </header>
      {user.isPending ? (
        <div aria-busy="true">
          <span className="visually-hidden" role="status">
            Loading your account…
          </span>
          {[0, 1].map((i) => (
            <div key={i} className="card card--skeleton" aria-hidden="true">
              <Skeleton width="8rem" height="1.5rem" />
              <Skeleton width="100%" height="2.5rem" />
              <Skeleton width="100%" height="2.5rem" />
            </div>
          ))}
        </div>
      ) : user.isError ? (
        <Alert
          tone="error"
          title="Your account could not be loaded."
          action={
            <button type="button" className="btn btn--secondary" onClick={() => user.refetch()} disabled={user.isFetching}>
              {user.isFetching ? 'Retrying…' : 'Try again'}
            </button>
          }
        >
          {errorMessage(user.error)}
        </Alert>
      ) : (
        <>
          <ProfileForm user={user.data} />
          <PasswordForm username={user.data.username} />
          <TimeZoneForm timezone={user.data.timezone} />
          <DeleteAccountForm />
        </>
      )}
    </div>
  );
}
