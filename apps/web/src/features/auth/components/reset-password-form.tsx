import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@conduit/contracts';
import { Alert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { ApiError } from '@/lib/api-client';
import { splitErrors } from '@/lib/form-errors';
import { useCompletePasswordReset } from '../api/password-reset';
import { focusFirstInvalid, useFocusFirstInvalidOnError } from './login-form';

type ResetField = 'password' | 'confirmation';

/** Sets a new password with the token of an emailed link; `onSuccess` then sends the person to sign in. */
export function ResetPasswordForm({ token, onSuccess }: { token: string | null; onSuccess: () => void }) {
  const complete = useCompletePasswordReset();
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [clientErrors, setClientErrors] = useState<Partial<Record<ResetField, string[]>>>({});
  const problemRef = useRef<HTMLDivElement>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const linkRefused =
    !token || (complete.error instanceof ApiError && complete.error.status === 422 && complete.error.field('token').length > 0);
  // Once the answer is on screen: the refused link's explanation, or the first invalid field.
  useEffect(() => {
    if (linkRefused && complete.error) problemRef.current?.focus();
  }, [linkRefused, complete.error]);
  useFocusFirstInvalidOnError(linkRefused ? null : complete.error, formRef);
  if (linkRefused) {
    return (
      <div ref={problemRef} tabIndex={-1} className="reset-problem">
        <Alert tone="error" title={token ? 'This link cannot be used' : 'This page needs the link from your email'}>
          {token
            ? 'It has already been used, has expired, or was not copied whole. '
            : 'Open the link in the reset email, or ask for a new one. '}
          <Link to="/forgot-password">Ask for a new link</Link>.
        </Alert>
      </div>
    );
  }

  const server = splitErrors<ResetField>(complete.error, ['password']);
  const errors = { ...server.byField, ...clientErrors };

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const next: Partial<Record<ResetField, string[]>> = {};
    if (password.length < PASSWORD_MIN_LENGTH) next.password = [`Choose a password of at least ${PASSWORD_MIN_LENGTH} characters.`];
    else if (password.length > PASSWORD_MAX_LENGTH) next.password = [`Choose a password of at most ${PASSWORD_MAX_LENGTH} characters.`];
    if (!next.password && confirmation !== password) next.confirmation = ['The two passwords are not the same.'];
    setClientErrors(next);
    if (Object.keys(next).length > 0) {
      focusFirstInvalid(form);
      return;
    }
    try {
      await complete.mutateAsync({ passwordReset: { token: token!, password } });
      onSuccess();
    } catch {
      // Shown from the mutation's error, and focused by the effects above.
    }
  }

  return (
    <form ref={formRef} className="form" onSubmit={onSubmit} noValidate aria-label="Set a new password">
      <Alert tone="info">
        A new password signs you out everywhere: every session of your account ends. Your API tokens keep working; you can revoke any you
        no longer trust in Settings → API tokens.
      </Alert>
      {server.other.length > 0 ? <Alert tone="error">{server.other.join(' ')}</Alert> : null}
      <Field label="New password" hint={`At least ${PASSWORD_MIN_LENGTH} characters.`} errors={errors.password}>
        {(p) => (
          <input {...p} type="password" name="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        )}
      </Field>
      <Field label="Confirm new password" errors={errors.confirmation}>
        {(p) => (
          <input
            {...p}
            type="password"
            name="confirmation"
            autoComplete="new-password"
            value={confirmation}
            onChange={(e) => setConfirmation(e.target.value)}
          />
        )}
      </Field>
      <button type="submit" className="btn btn--primary btn--block" disabled={complete.isPending}>
        {complete.isPending ? 'Setting your password…' : 'Set new password'}
      </button>
    </form>
  );
}
