import { useState, type FormEvent } from 'react';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, USERNAME_MAX_LENGTH } from '@conduit/contracts';
import { Alert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { splitErrors } from '@/lib/form-errors';
import { useRegister } from '../api/register';
import { focusFirstInvalid } from './login-form';

type RegisterField = 'username' | 'email' | 'password';

export function RegisterForm({ onSuccess }: { onSuccess: () => void }) {
  const register = useRegister();
  const [username, setUsername] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [clientErrors, setClientErrors] = useState<Partial<Record<RegisterField, string[]>>>({});

  const server = splitErrors<RegisterField>(register.error, ['username', 'email', 'password']);
  const errors = { ...server.byField, ...clientErrors };

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const next: Partial<Record<RegisterField, string[]>> = {};
    if (!username.trim()) next.username = ['Choose a username.'];
    else if (username.trim().length > USERNAME_MAX_LENGTH) next.username = [`Use at most ${USERNAME_MAX_LENGTH} characters.`];
    if (!email.trim()) next.email = ['Enter your email address.'];
    else if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) next.email = ['Enter a valid email address, like name@example.com.'];
    if (password.length < PASSWORD_MIN_LENGTH) next.password = [`Use at least ${PASSWORD_MIN_LENGTH} characters.`];
    else if (password.length > PASSWORD_MAX_LENGTH) next.password = [`Use at most ${PASSWORD_MAX_LENGTH} characters.`];
    setClientErrors(next);
    if (Object.keys(next).length > 0) {
      focusFirstInvalid(event.currentTarget);
      return;
    }
    try {
      await register.mutateAsync({ user: { username: username.trim(), email: email.trim(), password } });
      register.reset();
      onSuccess();
    } catch {
      // Shown from register.error.
    }
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label="Sign up">
      {server.other.length > 0 ? <Alert tone="error">{server.other.join(' ')}</Alert> : null}
      <Field label="Username" errors={errors.username}>
        {(p) => (
          <input {...p} name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />
        )}
      </Field>
      <Field label="Email" errors={errors.email}>
        {(p) => <input {...p} type="email" name="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />}
      </Field>
      <Field label="Password" hint={`${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters.`} errors={errors.password}>
        {(p) => (
          <input
            {...p}
            type="password"
            name="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        )}
      </Field>
      <button type="submit" className="btn btn--primary btn--block" disabled={register.isPending}>
        {register.isPending ? 'Creating your account…' : 'Sign up'}
      </button>
    </form>
  );
}
