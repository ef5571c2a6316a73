import { useRef, useState } from 'react';
import type { ApiTokenPermissions, CreateApiTokenResponse } from '@conduit/contracts';
import { useApiTokens } from '../api/get-api-tokens';
import { ApiTokenList } from './api-token-list';
import { CreateApiTokenForm } from './create-api-token-form';
import { NewTokenBanner } from './new-token-banner';

/**
 * The API tokens screen. The raw value of a just-created token lives in this component's state
 * and nowhere else (not the URL, not storage, not the query cache): it disappears on reload or
 * when the person navigates away.
 */
export function ApiTokensPage() {
  const tokens = useApiTokens();
  const [formOpen, setFormOpen] = useState(false);
  const [created, setCreated] = useState<{ name: string; token: string; permissions: ApiTokenPermissions } | null>(null);
  const newButtonRef = useRef<HTMLButtonElement>(null);

  function openForm() {
    // The banner of a previous token stays until dismissed or replaced by the next one.
    setFormOpen(true);
  }

  function onCreated(result: CreateApiTokenResponse) {
    setCreated({ name: result.apiToken.name, token: result.token, permissions: result.apiToken.permissions });
    setFormOpen(false);
  }

  const listEmpty = tokens.isSuccess && tokens.data.length === 0;

  return (
    <div className="page">
      <header className="page__header">
        <div>
          <h1 className="page__title">API tokens</h1>
          <p className="page__lead">
            Long-lived credentials for CI/CD pipelines, cron jobs and scripts. Send one as{' '}
            <code>Authorization: Bearer conduit_…</code>.
          </p>
        </div>
        {!formOpen && !listEmpty ? (
          <button type="button" className="btn btn--primary" onClick={openForm} ref={newButtonRef}>
            + New Token
          </button>
        ) : null}
      </header>

      {created ? <NewTokenBanner name={created.name} token={created.token} permissions={created.permissions} onDismiss={() => {
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

      <ApiTokenList onNew={formOpen ? undefined : openForm} />
    </div>
  );
}
