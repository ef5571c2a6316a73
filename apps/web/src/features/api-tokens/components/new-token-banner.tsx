import { useEffect, useRef, useState } from 'react';
import { formatPermissions, type ApiTokenPermissions } from '@conduit/contracts';
import { Dialog } from '@/components/ui/dialog';
import { describeTimeZone, formatDateTime } from '@/lib/format-date';
import { useLeaveWarning } from '@/lib/use-leave-warning';

interface NewTokenBannerProps {
  name: string;
  /** The raw token. Held by the page's state only; gone on reload or navigation. */
  token: string;
  /** What the token may do, shown in short form. */
  permissions: ApiTokenPermissions;
  onDismiss: () => void;
  /** After a rotation: until when the old value keeps working (ISO 8601), and the time zone to say it in. */
  replaced?: { retiresAt: string; timeZone: string };
}

type CopyState = 'idle' | 'copied' | 'selected';

/** Shows a freshly created token once, with a Copy button and the "shown once" warning. */
export function NewTokenBanner({ name, token, permissions, onDismiss, replaced }: NewTokenBannerProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const [copy, setCopy] = useState<CopyState>('idle');
  // Until the token is copied (the Copy button, or Ctrl+C / the context menu in the field), leaving asks first.
  const leave = useLeaveWarning(copy !== 'copied');

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  function selectToken() {
    inputRef.current?.focus();
    inputRef.current?.select();
  }

  async function onCopy() {
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(token);
      setCopy('copied');
    } catch {
      // No clipboard access (insecure context, denied permission): select the text instead.
      selectToken();
      let copied = false;
      try {
        copied = document.execCommand('copy');
      } catch {
        copied = false;
      }
      setCopy(copied ? 'copied' : 'selected');
    }
  }

  return (
    <section className="new-token" aria-labelledby="new-token-title">
      <h2 id="new-token-title" className="new-token__title" tabIndex={-1} ref={headingRef}>
        {replaced ? `Token “${name}” rotated` : `Token “${name}” created`}
      </h2>
      {replaced ? (
        <p className="new-token__replaced">
          {Date.parse(replaced.retiresAt) <= Date.now() ? (
            'The old value has stopped working.'
          ) : (
            <>
              The old value keeps working until{' '}
              <time dateTime={replaced.retiresAt}>
                {formatDateTime(replaced.retiresAt, replaced.timeZone)} {describeTimeZone(replaced.timeZone, replaced.retiresAt)}
              </time>
              .
            </>
          )}
        </p>
      ) : null}
      <p className="new-token__warning">
        <strong>Copy it now: it will not be shown again.</strong> If you lose it, revoke it and create a new one.
      </p>
      <label className="field__label" htmlFor="new-token-value">
        Your new API token
      </label>
      <div className="new-token__row">
        <input
          id="new-token-value"
          ref={inputRef}
          className="new-token__value"
          type="text"
          readOnly
          value={token}
          spellCheck={false}
          autoComplete="off"
          onFocus={(e) => e.currentTarget.select()}
          onCopy={() => setCopy('copied')}
        />
        <button type="button" className="btn btn--primary" onClick={onCopy}>
          Copy
        </button>
      </div>
      <p className="new-token__status" role="status" aria-live="polite">
        {copy === 'copied' ? 'Copied' : copy === 'selected' ? 'Selected: press Ctrl+C (⌘C on a Mac) to copy.' : ''}
      </p>
      <p className="new-token__permissions">
        Permissions: <strong>{formatPermissions(permissions)}</strong>
      </p>
      <p className="new-token__usage">
        Send it as <code>Authorization: Bearer {token.slice(0, 12)}…</code> on every API request.
      </p>
      <button type="button" className="btn btn--secondary btn--small" onClick={onDismiss}>
        I have copied it
      </button>
      {leave.state === 'blocked' ? (
        <Dialog
          title="Leave without copying the token?"
          onClose={() => leave.reset()}
          actions={
            <>
              <button type="button" className="btn btn--primary" onClick={() => leave.reset()} data-autofocus>
                Stay and copy it
              </button>
              <button type="button" className="btn btn--danger-outline" onClick={() => leave.proceed()}>
                Leave
              </button>
            </>
          }
        >
          <p>
            The token “{name}” is shown only once and has not been copied. If you leave, you will have to rotate it or
            create a new one.
          </p>
        </Dialog>
      ) : null}
    </section>
  );
}
