import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Alert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { PageLoader } from '@/components/ui/spinner';
import { ApiError, errorMessage } from '@/lib/api-client';
import { splitErrors } from '@/lib/form-errors';
import { usePasswordResetStatus, useRequestPasswordReset } from '../api/password-reset';
import { focusFirstInvalid } from './login-form';

export const minutes = (seconds: number) => {
  const m = Math.round(seconds / 60);
  return `${m} minute${m === 1 ? '' : 's'}`;
};

/** "Forgot password?": asks for a reset link by email, or says that this server cannot send one. */
export function ForgotPasswordForm() {
  const status = usePasswordResetStatus();
  const requestReset = useRequestPasswordReset();
  const [email, setEmail] = useState('');
  const [clientError, setClientError] = useState<string[] | undefined>();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const doneRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (sentTo) doneRef.current?.focus();
  }, [sentTo]);

  if (status.isPending) return <PageLoader label="Loading…" />;
  const mailOff =
    status.data?.passwordReset.available === false ||
    (requestReset.error instanceof ApiError && requestReset.error.status === 503 && requestReset.error.field('mail').length > 0);
  if (mailOff) {
    return (
      <Alert tone="warning" title="Password reset by email is not available">
        The operator of this server has not configured mail, so no reset link can be sent. Ask them to reset your password.
      </Alert>
    );
  }
  const validity = minutes(status.data?.passwordReset.linkValiditySeconds ?? 1800);

  if (sentTo) {
    return (
      <div ref={doneRef} tabIndex={-1} className="reset-sent">
        <Alert tone="success" title="Check your email">
          If an account uses <strong>{sentTo}</strong>, a link to set a new password is on its way. It works once, within {validity}. No
          email after a few minutes? Check your spam folder, or ask again.
        </Alert>
        <p className="auth-card__switch">
          <Link to="/login">Back to sign in</Link>
        </p>
      </div>
    );
  }

  const isThrottled = requestReset.error instanceof ApiError && requestReset.error.status === 429;
  const server = isThrottled ? { byField: {}, other: [errorMessage(requestReset.error)] } : splitErrors<'email'>(requestReset.error, ['email']);
  const emailErrors = clientError ?? server.byField.email;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const value = email.trim();
    if (!value) {
      setClientError(['Enter the email address of your account.']);
      focusFirstInvalid(form);
      return;
    }
    setClientError(undefined);
    try {
      await requestReset.mutateAsync({ user: { email: value } });
      setSentTo(value);
    } catch {
      focusFirstInvalid(form);
    }
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label="Reset your password">
      <p className="page__lead">
        Enter the email address of your account. We will send it a link to set a new password; the link works once, within {validity}.
      </p>
      {server.other.length > 0 ? <Alert tone="error">{server.other.join(' ')}</Alert> : null}
      <Field label="Email" errors={emailErrors}>
        {(p) => <input {...p} type="email" name="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} />}
      </Field>
      <button type="submit" className="btn btn--primary btn--block" disabled={requestReset.isPending}>
        {requestReset.isPending ? 'Sending…' : 'Send reset link'}
      </button>
      <p className="auth-card__switch">
        Remembered it? <Link to="/login">Sign in</Link>
      </p>
    </form>
  );
}
