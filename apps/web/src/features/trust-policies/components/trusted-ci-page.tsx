import { useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { errorMessage } from '@/lib/api-client';
import { useTrustPolicies } from '../api/trust-policies';
import { CreateTrustPolicyForm } from './create-trust-policy-form';
import { TrustPolicyItem } from './trust-policy-item';

/** Settings → Trusted CI: trust policies, so that CI jobs get minutes-long tokens from their own identity. */
export function TrustedCiPage({ origin = window.location.origin }: { origin?: string }) {
  const policies = useTrustPolicies();
  const [formOpen, setFormOpen] = useState(false);
  const [created, setCreated] = useState<string | null>(null);

  return (
    <div className="page">
      <header className="page__header">
        <div>
          <h1 className="page__title">Trusted CI</h1>
          <p className="page__lead">
            Let a GitHub Actions or GitLab CI job exchange the OIDC ID token its platform gives it for a Conduit token that lives a few
            minutes: nothing to store in CI, nothing left to leak. A trust policy says which jobs (by owner, repository, branch …) and what
            their tokens may do.
          </p>
        </div>
        {!formOpen ? (
          <button type="button" className="btn btn--primary" onClick={() => { setCreated(null); setFormOpen(true); }}>
            + New policy
          </button>
        ) : null}
      </header>

      {created ? <Alert tone="success" title={`Policy “${created}” created`}>Add the workflow snippet below to your pipeline.</Alert> : null}

      {formOpen && policies.data ? (
        <CreateTrustPolicyForm
          trustedIssuers={policies.data.trustedIssuers}
          defaultAudience={policies.data.defaultAudience}
          onCancel={() => setFormOpen(false)}
          onCreated={(policy) => {
            setFormOpen(false);
            setCreated(policy.name);
          }}
        />
      ) : null}

      {policies.isPending ? <p className="form__note">Loading trust policies…</p> : null}
      {policies.isError ? <Alert tone="error" title="Could not load your trust policies">{errorMessage(policies.error)}</Alert> : null}
      {policies.data && policies.data.trustPolicies.length === 0 && !formOpen ? (
        <div className="empty-state">
          <p className="empty-state__title">No trust policies yet</p>
          <p>Create one from the GitHub Actions or GitLab CI preset.</p>
        </div>
      ) : null}
      {policies.data && policies.data.trustPolicies.length > 0 ? (
        <ul className="token-list trust-policy-list" aria-label="Trust policies">
          {policies.data.trustPolicies.map((p) => <TrustPolicyItem key={p.id} policy={p} origin={origin} />)}
        </ul>
      ) : null}
    </div>
  );
}
