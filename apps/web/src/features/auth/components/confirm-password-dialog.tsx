import { useEffect, useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert';
import { Dialog } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { ApiError, errorMessage, setReauthenticationHandler } from '@/lib/api-client';
import { reauthenticate } from '../api/reauthenticate';

/**
 * "Confirm it's you": mounted once by the app shell. When the API asks for a recent password
 * (a sensitive action long after sign-in), the API client opens this dialog, and retries the
 * action once the password is confirmed.
 */
export function ConfirmPasswordHost() {
  const [pending, setPending] = useState<((confirmed: boolean) => void) | null>(null);

  useEffect(
    () => setReauthenticationHandler(() => new Promise<boolean>((resolve) => setPending(() => resolve))),
    [],
  );

  if (!pending) return null;
  const finish = (confirmed: boolean) => {
    setPending(null);
    pending(confirmed);
  };
  return <ConfirmPasswordDialog onConfirmed={() => finish(true)} onCancel={() => finish(false)} />;
}

function ConfirmPasswordDialog({ onConfirmed, onCancel }: { onConfirmed: () => void; onCancel: () => void }) {
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(event?: FormEvent) {
    event?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await reauthenticate({ password });
      onConfirmed();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  // A 429 is about the address, not the password typed: it is shown as the alert below.
  const fieldErrors =
    error instanceof ApiError && error.status !== 429
      ? error.field('password').map((m) => (m === 'is incorrect' ? 'That is not your password. Check it and try again.' : `Password ${m}.`))
      : [];
  return (
    <Dialog
      title="Confirm it's you"
      role="dialog"
      onClose={onCancel}
      busy={busy}
      actions={
        <>
          <button type="button" className="btn btn--secondary" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
          <button type="submit" form="confirm-password-form" className="btn btn--primary" disabled={busy || password === ''}>
            {busy ? 'Confirming…' : 'Confirm'}
          </button>
        </>
      }
    >
      <p>This change needs your password again.</p>
      <form id="confirm-password-form" onSubmit={submit}>
        <Field label="Password" errors={fieldErrors}>
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              data-autofocus
            />
          )}
        </Field>
      </form>
      {error && fieldErrors.length === 0 ? (
        <Alert tone="error" title="Your password was not confirmed.">
          {errorMessage(error)}
        </Alert>
      ) : null}
    </Dialog>
  );
}
