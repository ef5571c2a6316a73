import { useState, type FormEvent } from 'react';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@conduit/contracts';
import { Alert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { splitErrors } from '@/lib/form-errors';
import { useUpdateUser } from '../api/update-user';

type PasswordField = 'currentPassword' | 'password';

export function PasswordForm({ username }: { username: string }) {
  const update = useUpdateUser();
  const [currentPassword, setCurrentPassword] = useState('');
  const [password, setPassword] = useState('');
  const [clientErrors, setClientErrors] = useState<Partial<Record<PasswordField, string[]>>>({});
  const [saved, setSaved] = useState(false);

  const server = splitErrors<PasswordField>(update.error, ['currentPassword', 'password']);
  const errors = { ...server.byField, ...clientErrors };

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (update.isPending) return;
    setSaved(false);
    const form = event.currentTarget;
    const next: Partial<Record<PasswordField, string[]>> = {};
    if (!currentPassword) next.currentPassword = ['Enter your current password.'];
    if (password.length < PASSWORD_MIN_LENGTH) next.password = [`Use at least ${PASSWORD_MIN_LENGTH} characters.`];
    else if (password.length > PASSWORD_MAX_LENGTH) next.password = [`Use at most ${PASSWORD_MAX_LENGTH} characters.`];
    setClientErrors(next);
    if (Object.keys(next).length > 0) {
      requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    try {
      await update.mutateAsync({ user: { password, currentPassword } });
      setCurrentPassword('');
      setPassword('');
      setSaved(true);
    } catch {
      requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
    }
  }

  return (
    <section className="card" aria-labelledby="password-title">
      <h2 id="password-title" className="section-title">
        Password
      </h2>
      <form className="form" onSubmit={onSubmit} noValidate aria-labelledby="password-title">
        {/* Lets password managers tie the new password to the account. */}
        <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
        {server.other.length > 0 ? <Alert tone="error">{server.other.join(' ')}</Alert> : null}
        <div className="form__stack">
          <Field label="Current password" errors={errors.currentPassword}>
            {(p) => (
              <input
                {...p}
                type="password"
                name="currentPassword"
                autoComplete="current-password"
                value={currentPassword}
                onChange={(e) => setCurrentPassword(e.target.value)}
              />
            )}
          </Field>
          <Field label="New password" hint={`${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters.`} errors={errors.password}>
            {(p) => (
              <input
                {...p}
                type="password"
                name="newPassword"
                autoComplete="new-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            )}
          </Field>
        </div>
        <div className="form__actions">
          <button type="submit" className="btn btn--primary" aria-disabled={update.isPending || undefined}>
            {update.isPending ? 'Changing…' : 'Change password'}
          </button>
          <span role="status" aria-live="polite" className="form__status form__status--ok">
            {saved && !update.isPending ? 'Password changed.' : ''}
          </span>
        </div>
      </form>
    </section>
  );
}
