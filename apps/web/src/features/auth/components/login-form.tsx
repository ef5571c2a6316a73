import { useEffect, useState, type FormEvent, type RefObject } from 'react';
import { Alert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { ApiError } from '@/lib/api-client';
import { splitErrors } from '@/lib/form-errors';
import { useLogin } from '../api/login';

type LoginField = 'email' | 'password';

export function LoginForm({ onSuccess }: { onSuccess: () => void }) {
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [clientErrors, setClientErrors] = useState<Partial<Record<LoginField, string[]>>>({});

  const isBadCredentials = login.error instanceof ApiError && login.error.status === 401;
  const server = isBadCredentials
    ? { byField: {}, other: ['Email or password is incorrect.'] }
    : splitErrors<LoginField>(login.error, ['email', 'password']);
  const errors = { ...server.byField, ...clientErrors };

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const next: Partial<Record<LoginField, string[]>> = {};
    if (!email.trim()) next.email = ['Enter your email address.'];
    if (!password) next.password = ['Enter your password.'];
    setClientErrors(next);
    if (Object.keys(next).length > 0) {
      focusFirstInvalid(event.currentTarget);
      return;
    }
    try {
      await login.mutateAsync({ user: { email: email.trim(), password } });
      login.reset();
      onSuccess();
    } catch {
      // Shown from login.error.
    }
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label="Sign in">
      {server.other.length > 0 ? <Alert tone="error">{server.other.join(' ')}</Alert> : null}
      <Field label="Email" errors={errors.email}>
        {(p) => (
          <input {...p} type="email" name="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} />
        )}
      </Field>
      <Field label="Password" errors={errors.password}>
        {(p) => (
          <input
            {...p}
            type="password"
            name="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        )}
      </Field>
      <button type="submit" className="btn btn--primary btn--block" disabled={login.isPending}>
        {login.isPending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

/**
 * Once the answer to a failed submission (`error`, a new object each time) is on screen, focus
 * the form's first invalid field: an effect, so it runs after React has committed the errors,
 * whenever the rejection arrived.
 */
export function useFocusFirstInvalidOnError(error: unknown, form: RefObject<HTMLFormElement | null>) {
  useEffect(() => {
    if (error) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error, form]);
}

export function focusFirstInvalid(form: HTMLFormElement) {
  // After React has rendered the error state.
  requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}
