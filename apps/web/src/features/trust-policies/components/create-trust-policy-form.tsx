import { useId, useState, type FormEvent } from 'react';
import {
  DEFAULT_PERMISSION_PRESET, GITHUB_ACTIONS_ISSUER, GITLAB_ISSUER, PERMISSION_PRESETS, TRUST_POLICY_LIFETIME_DEFAULT_SECONDS,
  TRUST_POLICY_NAME_MAX_LENGTH, parseAllowlist, type TrustPolicy,
} from '@conduit/contracts';
import { Alert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { splitErrors } from '@/lib/form-errors';
import { chosenPermissions, PermissionsField, type PermissionsValue } from '@/features/api-tokens/components/permissions-field';
import { useCreateTrustPolicy } from '../api/trust-policies';
import type { CiPlatform } from './workflow-snippets';

type FormField = 'name' | 'issuer' | 'audience' | 'conditions' | 'permissions' | 'allowedIps' | 'tokenLifetimeSeconds';
const FIELDS: readonly FormField[] = ['name', 'issuer', 'audience', 'conditions', 'permissions', 'allowedIps', 'tokenLifetimeSeconds'];

/** One labelled input per claim, per preset. `owner`: one of these pins the owner (the API requires one). */
interface ClaimField {
  claim: string;
  label: string;
  hint: string;
  placeholder: string;
  owner?: boolean;
}

const CLAIMS: Record<CiPlatform, ClaimField[]> = {
  github: [
    { claim: 'repository_owner_id', label: 'Owner id', owner: true, placeholder: '424242', hint: 'The numeric id of the user or organization (names can be recycled; ids cannot): gh api users/OWNER --jq .id' },
    { claim: 'repository_id', label: 'Repository id', placeholder: '1001', hint: 'The numeric id of the repository: gh api repos/OWNER/REPO --jq .id' },
    { claim: 'repository', label: 'Repository', placeholder: 'acme/site', hint: 'owner/name, as GitHub writes it' },
    { claim: 'ref', label: 'Branch or tag', placeholder: 'refs/heads/main', hint: 'The full ref, e.g. refs/heads/main or refs/tags/v1.0.0; empty: any' },
    { claim: 'environment', label: 'Environment', placeholder: 'production', hint: 'A GitHub deployment environment; empty: any' },
  ],
  gitlab: [
    { claim: 'namespace_id', label: 'Group or namespace id', owner: true, placeholder: '72', hint: "The numeric id of the group or user that owns the project (Group overview → “Copy group ID”)" },
    { claim: 'project_id', label: 'Project id', owner: true, placeholder: '1234', hint: 'The numeric id of the project (Settings → General)' },
    { claim: 'project_path', label: 'Project path', placeholder: 'acme/site', hint: 'group/project, as GitLab writes it' },
    { claim: 'ref', label: 'Branch or tag', placeholder: 'main', hint: 'The branch or tag name (GitLab’s ref claim); empty: any' },
  ],
  other: [{ claim: 'sub', label: 'Subject (sub)', owner: true, placeholder: 'repo:acme/site:ref:refs/heads/main', hint: 'The exact sub claim of the ID tokens to trust' }],
};

const PLATFORMS: Array<{ value: CiPlatform; label: string }> = [
  { value: 'github', label: 'GitHub Actions' },
  { value: 'gitlab', label: 'GitLab CI' },
  { value: 'other', label: 'Other trusted issuer' },
];

const LIFETIMES = [
  { seconds: 300, label: '5 minutes' },
  { seconds: 900, label: '15 minutes' },
  { seconds: 1800, label: '30 minutes' },
  { seconds: 3600, label: '1 hour' },
];

interface Props {
  trustedIssuers: string[];
  defaultAudience: string;
  onCreated: (policy: TrustPolicy) => void;
  onCancel: () => void;
}

/** A trust policy from a preset: labelled fields for the claims that matter on that platform, no raw JSON. */
export function CreateTrustPolicyForm({ trustedIssuers, defaultAudience, onCreated, onCancel }: Props) {
  const create = useCreateTrustPolicy();
  const titleId = useId();
  const available = PLATFORMS.filter((p) => p.value === 'other' || trustedIssuers.includes(p.value === 'github' ? GITHUB_ACTIONS_ISSUER : GITLAB_ISSUER));
  const others = trustedIssuers.filter((i) => i !== GITHUB_ACTIONS_ISSUER && i !== GITLAB_ISSUER);
  const [platform, setPlatform] = useState<CiPlatform>(available[0]?.value ?? 'other');
  const [otherIssuer, setOtherIssuer] = useState(others[0] ?? trustedIssuers[0] ?? '');
  const [name, setName] = useState('');
  const [audience, setAudience] = useState(defaultAudience);
  const [claims, setClaims] = useState<Record<string, string>>({});
  const [permissions, setPermissions] = useState<PermissionsValue>({ choice: DEFAULT_PERMISSION_PRESET, custom: PERMISSION_PRESETS[DEFAULT_PERMISSION_PRESET] });
  const [lifetime, setLifetime] = useState(TRUST_POLICY_LIFETIME_DEFAULT_SECONDS);
  const [allowedIps, setAllowedIps] = useState('');

  const issuer = platform === 'github' ? GITHUB_ACTIONS_ISSUER : platform === 'gitlab' ? GITLAB_ISSUER : otherIssuer;
  const fields = CLAIMS[platform];
  const { byField, other } = splitErrors<FormField>(create.error, FIELDS);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const conditions = Object.fromEntries(
      fields.map((f) => [f.claim, (claims[`${platform}:${f.claim}`] ?? '').trim()] as const).filter(([, value]) => value !== ''),
    );
    create.mutate(
      {
        trustPolicy: {
          name: name.trim(), issuer, audience: audience.trim(), conditions, permissions: chosenPermissions(permissions),
          tokenLifetimeSeconds: lifetime, allowedIps: parseAllowlist(allowedIps).cidrs,
        },
      },
      { onSuccess: (result) => onCreated(result.trustPolicy) },
    );
  }

  return (
    <section className="card create-token" aria-labelledby={titleId}>
      <h2 id={titleId} className="section-title">New trust policy</h2>
      <form className="form" onSubmit={onSubmit} noValidate aria-labelledby={titleId}>
        {other.length > 0 ? <Alert tone="error" title="The policy was not created">{other.join(' ')}</Alert> : null}

        <fieldset className="field">
          <legend className="field__label">CI platform</legend>
          <div className="choices" role="radiogroup" aria-label="CI platform">
            {available.map((p) => (
              <label key={p.value} className="choice">
                <input type="radio" name="platform" value={p.value} checked={platform === p.value} onChange={() => setPlatform(p.value)} /> {p.label}
              </label>
            ))}
          </div>
        </fieldset>

        <Field label="Name" errors={byField.name} hint="What this policy is for, e.g. “acme/site deploys”">
          {(control) => <input {...control} value={name} maxLength={TRUST_POLICY_NAME_MAX_LENGTH} onChange={(e) => setName(e.target.value)} />}
        </Field>

        {platform === 'other' ? (
          <Field label="Issuer" errors={byField.issuer} hint="One of the issuers this server trusts (TRUSTED_ISSUERS)">
            {(control) => (
              <select {...control} value={otherIssuer} onChange={(e) => setOtherIssuer(e.target.value)}>
                {trustedIssuers.map((i) => <option key={i} value={i}>{i}</option>)}
              </select>
            )}
          </Field>
        ) : (
          <p className="form__note">Issuer: <code>{issuer}</code>{byField.issuer ? ` — ${byField.issuer.join(' ')}` : ''}</p>
        )}

        <fieldset className="field">
          <legend className="field__label">Conditions: the ID token’s claims must be exactly</legend>
          <p className="field__hint">Fill at least one of: {fields.filter((f) => f.owner).map((f) => f.label).join(', ')}. Empty fields are not checked.</p>
          {byField.conditions ? (
            <ul className="field__errors">{byField.conditions.map((m, i) => <li key={i}>{m}</li>)}</ul>
          ) : null}
          {fields.map((f) => (
            <Field key={`${platform}:${f.claim}`} label={f.label} hint={<>{f.hint} <span className="muted">(claim <code>{f.claim}</code>)</span></>} optional={!f.owner}>
              {(control) => (
                <input
                  {...control}
                 
                  placeholder={f.placeholder}
                  value={claims[`${platform}:${f.claim}`] ?? ''}
                  onChange={(e) => setClaims({ ...claims, [`${platform}:${f.claim}`]: e.target.value })}
                />
              )}
            </Field>
          ))}
        </fieldset>

        <Field label="Audience" errors={byField.audience} hint="The aud the ID token must carry (request the token for exactly this audience)">
          {(control) => <input {...control} value={audience} onChange={(e) => setAudience(e.target.value)} />}
        </Field>

        <PermissionsField value={permissions} onChange={setPermissions} errors={byField.permissions} />

        <Field label="Token lifetime" errors={byField.tokenLifetimeSeconds} hint="How long each token the job gets stays valid">
          {(control) => (
            <select {...control} value={lifetime} onChange={(e) => setLifetime(Number(e.target.value))}>
              {LIFETIMES.map((l) => <option key={l.seconds} value={l.seconds}>{l.label}</option>)}
            </select>
          )}
        </Field>

        <Field label="Allowed IPs" optional errors={byField.allowedIps} hint="One IP or CIDR per line; empty: any address (hosted CI runners change addresses)">
          {(control) => <textarea {...control} rows={2} value={allowedIps} onChange={(e) => setAllowedIps(e.target.value)} />}
        </Field>

        <div className="form__actions">
          <button type="submit" className="btn btn--primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create policy'}
          </button>
          <button type="button" className="btn btn--secondary" onClick={onCancel} disabled={create.isPending}>Cancel</button>
        </div>
      </form>
    </section>
  );
}
