import { useId, useState, type FormEvent } from 'react';
import { formatPermissions, type TestTrustPolicyResponse, type TrustPolicy } from '@conduit/contracts';
import { Alert } from '@/components/ui/alert';
import { Dialog } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { errorMessage } from '@/lib/api-client';
import { describeTimeZone, formatDateTime } from '@/lib/format-date';
import { useTimeZone } from '@/lib/time-zone';
import { useDeleteTrustPolicy, useTestTrustPolicy } from '../api/trust-policies';
import { genericSnippet, githubActionsSnippet, gitlabCiSnippet, platformOf } from './workflow-snippets';

const PLATFORM_LABEL = { github: 'GitHub Actions', gitlab: 'GitLab CI', other: 'Other issuer' } as const;

function minutes(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} minute${seconds === 60 ? '' : 's'}` : `${seconds} seconds`;
}

/** One policy: what it trusts and grants, its recent exchanges, the workflow snippet, a test box and delete. */
export function TrustPolicyItem({ policy, origin }: { policy: TrustPolicy; origin: string }) {
  const timeZone = useTimeZone();
  const headingId = useId();
  const platform = platformOf(policy.issuer);
  const [confirming, setConfirming] = useState(false);
  const remove = useDeleteTrustPolicy();
  const snippet = platform === 'github' ? githubActionsSnippet(origin, policy) : platform === 'gitlab' ? gitlabCiSnippet(origin, policy) : genericSnippet(origin, policy);

  return (
    <li className="card trust-policy" aria-labelledby={headingId}>
      <div className="trust-policy__head">
        <h3 id={headingId} className="trust-policy__name">{policy.name}</h3>
        <span className="badge badge--neutral">{PLATFORM_LABEL[platform]}</span>
      </div>
      <dl className="trust-policy__facts">
        <dt>Issuer</dt>
        <dd><code>{policy.issuer}</code></dd>
        <dt>Audience</dt>
        <dd><code>{policy.audience}</code></dd>
        <dt>Conditions</dt>
        <dd>
          <ul className="trust-policy__conditions" aria-label={`Conditions of ${policy.name}`}>
            {Object.entries(policy.conditions).map(([claim, value]) => (
              <li key={claim}><code>{claim}</code> = <code>{value}</code></li>
            ))}
          </ul>
        </dd>
        <dt>Permissions</dt>
        <dd>{formatPermissions(policy.permissions)}</dd>
        <dt>Token lifetime</dt>
        <dd>{minutes(policy.tokenLifetimeSeconds)}{policy.allowedIps.length > 0 ? `, from ${policy.allowedIps.join(', ')} only` : ''}</dd>
        <dt>Client id</dt>
        <dd><code>{policy.id}</code></dd>
      </dl>

      <h4 className="trust-policy__subtitle">Recent exchanges</h4>
      {policy.recentExchanges.length === 0 ? (
        <p className="form__note">No job has exchanged a token with this policy yet.</p>
      ) : (
        <table className="inactive-tokens__table" aria-label={`Recent exchanges of ${policy.name}`}>
          <thead>
            <tr><th scope="col">When</th><th scope="col">Repository</th><th scope="col">Ref</th><th scope="col">Run</th><th scope="col">From</th></tr>
          </thead>
          <tbody>
            {policy.recentExchanges.map((e) => (
              <tr key={`${e.tokenId}`}>
                <td><time dateTime={e.at} title={describeTimeZone(timeZone, e.at)}>{formatDateTime(e.at, timeZone)}</time></td>
                <td>{e.repository ?? '—'}</td>
                <td>{e.ref ?? '—'}</td>
                <td>{e.run ?? '—'}</td>
                <td>{e.ip ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <details className="trust-policy__snippet">
        <summary>Workflow snippet ({PLATFORM_LABEL[platform]})</summary>
        <pre aria-label={`Workflow snippet for ${policy.name}`}><code>{snippet}</code></pre>
      </details>

      <TestIdToken policy={policy} />

      <div className="trust-policy__actions">
        <button type="button" className="btn btn--danger-outline" aria-label={`Delete ${policy.name}`} onClick={() => setConfirming(true)}>
          Delete
        </button>
      </div>
      {confirming ? (
        <Dialog
          title={`Delete “${policy.name}”?`}
          busy={remove.isPending}
          onClose={() => setConfirming(false)}
          actions={
            <>
              <button type="button" className="btn btn--danger" disabled={remove.isPending} onClick={() => remove.mutate(policy.id, { onSuccess: () => setConfirming(false) })}>
                {remove.isPending ? 'Deleting…' : 'Delete policy'}
              </button>
              <button type="button" className="btn btn--secondary" disabled={remove.isPending} onClick={() => setConfirming(false)}>Cancel</button>
            </>
          }
        >
          <p>CI jobs will no longer get tokens with it, and every token it issued that is still valid stops working at once.</p>
          {remove.isError ? <Alert tone="error">{errorMessage(remove.error)}</Alert> : null}
        </Dialog>
      ) : null}
    </li>
  );
}

/** Paste an ID token: each check with what was expected and found. Nothing is minted; the token stays usable. */
function TestIdToken({ policy }: { policy: TrustPolicy }) {
  const test = useTestTrustPolicy();
  const [idToken, setIdToken] = useState('');
  const [result, setResult] = useState<TestTrustPolicyResponse | null>(null);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setResult(null);
    test.mutate({ id: policy.id, idToken: idToken.trim() }, { onSuccess: setResult });
  }

  return (
    <details className="trust-policy__test">
      <summary>Test an ID token</summary>
      <form className="form" onSubmit={onSubmit} noValidate aria-label={`Test an ID token against ${policy.name}`}>
        <Field label="ID token" hint="Paste an ID token from a CI job (e.g. printed by a debug step). It is checked, not used up, and not stored.">
          {(control) => <textarea {...control} rows={3} spellCheck={false} value={idToken} onChange={(e) => setIdToken(e.target.value)} />}
        </Field>
        <div className="form__actions">
          <button type="submit" className="btn btn--secondary" disabled={test.isPending || idToken.trim() === ''}>
            {test.isPending ? 'Checking…' : 'Check token'}
          </button>
        </div>
      </form>
      {test.isError ? <Alert tone="error">{errorMessage(test.error)}</Alert> : null}
      {result ? (
        <div aria-live="polite">
          <Alert tone={result.wouldExchange ? 'success' : 'error'} title={result.wouldExchange ? 'This token would be exchanged' : 'This token would be refused'} />
          <table className="inactive-tokens__table" aria-label="Checks">
            <thead>
              <tr><th scope="col">Check</th><th scope="col">Result</th><th scope="col">Expected</th><th scope="col">Found</th></tr>
            </thead>
            <tbody>
              {result.checks.map((c) => (
                <tr key={c.check}>
                  <th scope="row">{c.check}</th>
                  <td>{c.passed ? 'Passed' : `Failed: ${c.message ?? ''}`}</td>
                  <td>{c.expected ?? '—'}</td>
                  <td>{c.actual ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </details>
  );
}
