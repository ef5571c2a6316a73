import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import {
  API_TOKEN_EXPIRY_PRESETS,
  API_TOKEN_MAX_ALLOWED_IPS,
  API_TOKEN_NAME_MAX_LENGTH,
  DEFAULT_API_TOKEN_EXPIRY,
  DEFAULT_PERMISSION_PRESET,
  PERMISSION_PRESETS,
  expiryFromPreset,
  normalizeIp,
  parseAllowlist,
  type ApiTokenExpiryPreset,
  type CreateApiTokenRequest,
  type CreateApiTokenResponse,
} from '@conduit/contracts';
import { Alert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { errorMessage } from '@/lib/api-client';
import { describeTimeZone, endOfDayInZone, formatDate, formatDateTime, todayInZone } from '@/lib/format-date';
import { splitErrors } from '@/lib/form-errors';
import { useTimeZone } from '@/lib/time-zone';
import { useCreateApiToken } from '../api/create-api-token';
import { myIpQueryOptions } from '../api/get-my-ip';
import { chosenPermissions, PermissionsField, type PermissionsValue } from './permissions-field';

type ExpiryChoice = ApiTokenExpiryPreset | 'custom';
type FormField = 'name' | 'expiry' | 'allowedIps' | 'permissions';

const EXPIRY_LABELS: Record<ExpiryChoice, string> = {
  '7d': '7 days',
  '30d': '30 days',
  '60d': '60 days',
  '90d': '90 days',
  '1y': '1 year',
  custom: 'Custom date',
  never: 'Never',
};
const EXPIRY_CHOICES: ExpiryChoice[] = [...API_TOKEN_EXPIRY_PRESETS.filter((p) => p !== 'never'), 'custom', 'never'];

interface CreateApiTokenFormProps {
  /** Receives the raw token once; the caller keeps it in component state only. */
  onCreated: (result: CreateApiTokenResponse) => void;
  onCancel: () => void;
}

/** Client-side checks of the allowlist text: one message per offending line, as the user types. */
export function allowlistProblems(text: string): string[] {
  const { cidrs, errors } = parseAllowlist(text);
  const problems = errors.map((e) => `Line ${e.index + 1}: ${e.message}`);
  if (cidrs.length > API_TOKEN_MAX_ALLOWED_IPS) {
    problems.push(`At most ${API_TOKEN_MAX_ALLOWED_IPS} entries are allowed; this list has ${cidrs.length}.`);
  }
  return problems;
}

export function CreateApiTokenForm({ onCreated, onCancel }: CreateApiTokenFormProps) {
  const create = useCreateApiToken();
  const queryClient = useQueryClient();
  const timeZone = useTimeZone();
  const formId = useId();
  const nameRef = useRef<HTMLInputElement>(null);

  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState<ExpiryChoice>(DEFAULT_API_TOKEN_EXPIRY);
  const [customDate, setCustomDate] = useState('');
  const [allowedIps, setAllowedIps] = useState('');
  const [permissions, setPermissions] = useState<PermissionsValue>({
    choice: DEFAULT_PERMISSION_PRESET,
    custom: PERMISSION_PRESETS[DEFAULT_PERMISSION_PRESET],
  });
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<{ byField: Partial<Record<FormField, string[]>>; other: string[] }>({
    byField: {},
    other: [],
  });
  const [ipStatus, setIpStatus] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [fetchingIp, setFetchingIp] = useState(false);

  useEffect(() => {
    nameRef.current?.focus();
  }, []);

  const ipProblems = useMemo(() => allowlistProblems(allowedIps), [allowedIps]);
  const today = todayInZone(timeZone);

  const nameProblems: string[] = [];
  if (name.length > API_TOKEN_NAME_MAX_LENGTH) nameProblems.push(`Use at most ${API_TOKEN_NAME_MAX_LENGTH} characters.`);
  else if (submitted && !name.trim()) nameProblems.push('Give the token a name, e.g. “GitHub Actions, staging”.');

  const expiryProblems: string[] = [];
  if (expiry === 'custom' && submitted) {
    if (!customDate) expiryProblems.push('Pick the date the token expires.');
    else if (endOfDayInZone(customDate, timeZone).getTime() <= Date.now()) expiryProblems.push('Pick a date in the future.');
  }

  const hasClientErrors = ipProblems.length > 0;

  function clearServer(field: FormField) {
    if (serverErrors.byField[field]) {
      setServerErrors((prev) => ({ ...prev, byField: { ...prev.byField, [field]: undefined } }));
    }
  }

  async function addMyIp() {
    setFetchingIp(true);
    setIpStatus(null);
    try {
      const { ip } = await queryClient.fetchQuery(myIpQueryOptions());
      const address = normalizeIp(ip) ?? ip;
      const existing = parseAllowlist(allowedIps).cidrs;
      const asCidr = `${address}/${address.includes(':') ? 128 : 32}`;
      if (existing.includes(asCidr)) {
        setIpStatus({ tone: 'ok', text: `${address} is already in the list.` });
      } else {
        setAllowedIps((text) => (text.trim() === '' ? address : `${text.replace(/\s+$/, '')}\n${address}`));
        setIpStatus({ tone: 'ok', text: `Added your current IP, ${address}.` });
        clearServer('allowedIps');
      }
    } catch (error) {
      setIpStatus({ tone: 'error', text: `Could not find your IP address: ${errorMessage(error)}` });
    } finally {
      setFetchingIp(false);
    }
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitted(true);
    const form = event.currentTarget;
    const trimmed = name.trim();
    const customInvalid =
      expiry === 'custom' && (!customDate || endOfDayInZone(customDate, timeZone).getTime() <= Date.now());
    if (!trimmed || trimmed.length > API_TOKEN_NAME_MAX_LENGTH || customInvalid || hasClientErrors) {
      requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    const body: CreateApiTokenRequest = {
      apiToken: { name: trimmed, allowedIps: parseAllowlist(allowedIps).cidrs, permissions: { ...chosenPermissions(permissions) } },
    };
    if (expiry === 'custom') body.apiToken.expiresAt = endOfDayInZone(customDate, timeZone).toISOString();
    else body.apiToken.expiresIn = expiry;

    setServerErrors({ byField: {}, other: [] });
    try {
      const result = await create.mutateAsync(body);
      // Move the raw token out of react-query at once: into the page's state, nowhere else.
      create.reset();
      onCreated(result);
    } catch (error) {
      setServerErrors(
        splitErrors<FormField>(error, ['name', 'allowedIps', 'permissions'], { expiresAt: 'expiry', expiresIn: 'expiry' }),
      );
      requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
    }
  }

  const presetDate = expiry !== 'custom' && expiry !== 'never' ? expiryFromPreset(expiry, new Date()) : null;
  const titleId = `${formId}-title`;

  return (
    <section className="card create-token" aria-labelledby={titleId}>
      <h2 id={titleId} className="section-title">
        New API token
      </h2>
      <form className="form" onSubmit={onSubmit} noValidate aria-labelledby={titleId}>
        {serverErrors.other.length > 0 ? (
          <Alert tone="error" title="The token was not created.">
            {serverErrors.other.join(' ')}
          </Alert>
        ) : null}
        <Field
          label="Token name"
          hint="A label only you see (e.g. “GitHub Actions, staging”)."
          errors={[...nameProblems, ...(serverErrors.byField.name ?? [])]}
        >
          {(p) => (
            <input
              {...p}
              ref={nameRef}
              name="name"
              required
              autoComplete="off"
              value={name}
              onChange={(e) => {
                setName(e.target.value);
                clearServer('name');
              }}
            />
          )}
        </Field>

        <Field
          label="Expiry"
          hint="Set the shortest practical lifetime; issue a new token before the old one expires."
          errors={expiry === 'custom' ? serverErrors.byField.expiry : [...expiryProblems, ...(serverErrors.byField.expiry ?? [])]}
        >
          {(p) => (
            <select
              {...p}
              name="expiry"
              value={expiry}
              onChange={(e) => {
                setExpiry(e.target.value as ExpiryChoice);
                clearServer('expiry');
              }}
            >
              {EXPIRY_CHOICES.map((choice) => (
                <option key={choice} value={choice}>
                  {EXPIRY_LABELS[choice]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {presetDate ? (
          <p className="form__note">
            Expires on{' '}
            <time dateTime={presetDate.toISOString()} title={`${formatDateTime(presetDate, timeZone)} · ${describeTimeZone(timeZone, presetDate)}`}>
              {formatDate(presetDate, timeZone)}
            </time>
            .
          </p>
        ) : null}
        {expiry === 'custom' ? (
          <Field
            label="Expiry date"
            hint={`The token stops working at the end of this day (${describeTimeZone(timeZone)}).`}
            errors={[...expiryProblems, ...(serverErrors.byField.expiry ?? [])]}
          >
            {(p) => (
              <input
                {...p}
                type="date"
                name="expiresAt"
                min={today}
                value={customDate}
                onChange={(e) => {
                  setCustomDate(e.target.value);
                  clearServer('expiry');
                }}
              />
            )}
          </Field>
        ) : null}
        {expiry === 'never' ? (
          <Alert tone="warning" title="This token will never expire.">
            Tokens scoped to a specific use should always have an expiry. A token without one keeps working until you
            revoke it; rotate it periodically.
          </Alert>
        ) : null}

        <Field
          label="Allowed IPs"
          optional
          hint="One IP or CIDR per line; IPv4 and IPv6 are both accepted (e.g. 203.0.113.7, 10.0.0.0/8, 2001:db8::/32). Leave blank to allow any source IP."
          errors={[...ipProblems, ...(serverErrors.byField.allowedIps ?? [])]}
        >
          {(p) => (
            <textarea
              {...p}
              name="allowedIps"
              rows={4}
              spellCheck={false}
              autoCapitalize="off"
              autoCorrect="off"
              value={allowedIps}
              onChange={(e) => {
                setAllowedIps(e.target.value);
                clearServer('allowedIps');
              }}
            />
          )}
        </Field>
        <div className="form__row">
          <button type="button" className="btn btn--secondary btn--small" onClick={addMyIp} disabled={fetchingIp}>
            {fetchingIp ? 'Finding your IP…' : 'Add my current IP'}
          </button>
          <span role="status" aria-live="polite" className={ipStatus?.tone === 'error' ? 'form__status form__status--error' : 'form__status'}>
            {ipStatus?.text}
          </span>
        </div>

        <PermissionsField
          value={permissions}
          onChange={(value) => {
            setPermissions(value);
            clearServer('permissions');
          }}
          errors={serverErrors.byField.permissions}
        />

        <div className="form__actions">
          <button type="submit" className="btn btn--primary" disabled={create.isPending || hasClientErrors}>
            {create.isPending ? 'Creating…' : 'Create token'}
          </button>
          <button type="button" className="btn btn--secondary" onClick={onCancel} disabled={create.isPending}>
            Cancel
          </button>
          {hasClientErrors ? <span className="form__status form__status--error">Fix the allowed IPs to continue.</span> : null}
        </div>
      </form>
    </section>
  );
}
