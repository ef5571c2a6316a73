import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { ApiError } from '@/lib/api-client';
import { splitErrors } from '@/lib/form-errors';
import { useDeleteUser } from '../api/delete-user';

export function DeleteAccountForm() {
  const remove = useDeleteUser();
  const [password, setPassword] = useState('');
  const [clientError, setClientError] = useState<string | null>(null);

  const wrongPassword = remove.error instanceof ApiError && (remove.error.status === 401 || remove.error.status === 403) && !remove.error.errors.password;
  const server = splitErrors<'password'>(remove.error, ['password'], { currentPassword: 'password' });
  const errors = clientError ? [clientError] : wrongPassword ? ['The password is incorrect.'] : server.byField.password;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    if (!password) {
      setClientError('Enter your password to confirm.');
      requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    setClientError(null);
    try {
      // On success the session ends and the route guard takes the person to the home page.
      await remove.mutateAsync({ user: { password } });
    } catch {
      requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
    }
  }

  return (
    <section className="card card--danger" aria-labelledby="delete-title">
      <h2 id="delete-title" className="section-title">
        Delete account
      </h2>
      <p>
        This deletes your account and everything in it. Your API tokens stop working immediately. This cannot be undone.
      </p>
      <form className="form" onSubmit={onSubmit} noValidate aria-labelledby="delete-title">
        {!wrongPassword && server.other.length > 0 ? <Alert tone="error">{server.other.join(' ')}</Alert> : null}
        <Field label="Type your password to confirm" errors={errors}>
          {(p) => (
            <input
              {...p}
              type="password"
              name="deletePassword"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <div className="form__actions">
          <button type="submit" className="btn btn--danger" disabled={remove.isPending}>
            {remove.isPending ? 'Deleting…' : 'Delete my account'}
          </button>
        </div>
      </form>
    </section>
  );
}
