import { useRef, useState } from 'react';
import type { ApiToken, ApiTokenPermissions, CreateApiTokenResponse, RotateApiTokenResponse } from '@conduit/contracts';
import { useTimeZone } from '@/lib/time-zone';
import { useApiTokens } from '../api/get-api-tokens';
import { editButtonId } from './api-token-item';
import { ApiTokenList } from './api-token-list';
import { CreateApiTokenForm } from './create-api-token-form';
import { InactiveApiTokens } from './inactive-api-tokens';
import { NewTokenBanner } from './new-token-banner';

/**
 * The API tokens screen. The raw value of a just-created token lives in this component's state
 * and nowhere else (not the URL, not storage, not the query cache): it disappears on reload or
 * when the person navigates away.
 */
export function ApiTokensPage() {
  const tokens = useApiTokens();
  const [formOpen, setFormOpen] = useState(false);
  const [created, setCreated] = useState<{ name: string; token: string; permissions: ApiTokenPermissions; retiresAt?: string } | null>(null);
  const [editing, setEditing] = useState<ApiToken | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const timeZone = useTimeZone();
  const newButtonRef = useRef<HTMLButtonElement>(null);

  function openForm() {
    // The banner of a previous token stays until dismissed or replaced by the next one.
    setEditing(null);
    setSaved(null);
    setFormOpen(true);
  }

  function openEdit(token: ApiToken) {
    setFormOpen(false);
    setSaved(null);
    setEditing(token);
  }

  function onRotated(result: RotateApiTokenResponse, oldName: string) {
    setSaved(null);
    setCreated({ name: oldName, token: result.token, permissions: result.apiToken.permissions, retiresAt: result.replaced.retiresAt });
  }

  function onCreated(result: CreateApiTokenResponse) {
    setCreated({ name: result.apiToken.name, token: result.token, permissions: result.apiToken.permissions });
    setFormOpen(false);
  }

  /** Back to where the person was: the Edit button of the token's card (the saved notice is announced). */
  function focusEditButton(id: string) {
    requestAnimationFrame(() => document.getElementById(editButtonId(id))?.focus());
  }

  const listEmpty = tokens.isSuccess && tokens.data.length === 0;

  return (
    <div className="page">
      <header className="page__header">
        <div>
          <h1 className="page__title">API tokens</h1>
          <p className="page__lead">
            Long-lived credentials for CI/CD pipelines, cron jobs and scripts. Send one as{' '}
            <code>Authorization: Bearer conduit_…</code>. What each endpoint takes and answers is in the{' '}
            <a href="/api/docs">API reference</a>.
          </p>
        </div>
        {!formOpen && !listEmpty ? (
          <button type="button" className="btn btn--primary" onClick={openForm} ref={newButtonRef}>
            + New Token
          </button>
        ) : null}
      </header>

      {created ? <NewTokenBanner
          key={created.token}
          name={created.name}
          token={created.token}
          permissions={created.permissions}
          replaced={created.retiresAt ? { retiresAt: created.retiresAt, timeZone } : undefined}
          onDismiss={() => {
            setCreated(null);
            requestAnimationFrame(() => newButtonRef.current?.focus());
          }}
        /> : null}

      {formOpen ? (
        <CreateApiTokenForm
          onCreated={onCreated}
          onCancel={() => {
            setFormOpen(false);
            requestAnimationFrame(() => newButtonRef.current?.focus());
          }}
        />
      ) : null}

      {editing ? (
        <CreateApiTokenForm
          key={editing.id}
          token={editing}
          onSaved={(token) => {
            setEditing(null);
            setSaved(`Token “${token.name}” saved.`);
            focusEditButton(token.id);
          }}
          onCancel={() => {
            setEditing(null);
            focusEditButton(editing.id);
          }}
        />
      ) : null}
      <div role="status" aria-live="polite" className="live-region">
        {saved ? <p className="inline-notice">{saved}</p> : null}
      </div>

      <ApiTokenList onNew={formOpen ? undefined : openForm} onEdit={openEdit} onRotated={onRotated} />
      <InactiveApiTokens />
    </div>
  );
}
