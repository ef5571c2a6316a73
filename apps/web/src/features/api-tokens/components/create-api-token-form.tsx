import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import {
  API_TOKEN_EXPIRY_PRESETS,
  API_TOKEN_MAX_ALLOWED_IPS,
  API_TOKEN_NAME_MAX_LENGTH,
  API_TOKEN_RESOURCES,
  DEFAULT_API_TOKEN_EXPIRY,
  describeDuration,
  DEFAULT_PERMISSION_PRESET,
  PERMISSION_PRESETS,
  presetOf,
  expiryFromPreset,
  normalizeIp,
  parseAllowlist,
  type ApiToken,
  type ApiTokenExpiryPreset,
  type CreateApiTokenRequest,
  type CreateApiTokenResponse,
  type UpdateApiTokenRequest,
} from '@conduit/contracts';
import { Alert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { errorMessage } from '@/lib/api-client';
import { describeTimeZone, endOfDayInZone, formatDate, formatDateTime, todayInZone } from '@/lib/format-date';
import { splitErrors } from '@/lib/form-errors';
import { useTimeZone } from '@/lib/time-zone';
import { useCreateApiToken } from '../api/create-api-token';
import { useUpdateApiToken } from '../api/update-api-token';
import { myIpQueryOptions } from '../api/get-my-ip';
import { useTokenPolicy } from '../api/get-token-policy';
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
  onCreated?: (result: CreateApiTokenResponse) => void;
  onCancel: () => void;
  /** Edit this token instead of creating one: the same fields, pre-filled (expiry is not editable). */
  token?: ApiToken;
  onSaved?: (token: ApiToken) => void;
}

/** Client-side checks of the allowlist text: one message per offending line, as the user types. */
export function allowlistProblems(text: string): string[] {
  const { cidrs, errors } = parseAllowlist(text);
  const problems = errors.map((e) =>
    // "10.0.0.1, 10.0.0.2" is a list on one line: say how to write it rather than why it is not an address.
    /[,;]/.test(e.input) && e.input.split(/[,;\s]+/).filter(Boolean).length > 1
      ? `Line ${e.index + 1}: one address per line. Put each of “${e.input.trim()}” on its own line, without commas.`
      : `Line ${e.index + 1}: ${e.message}`,
  );
  if (cidrs.length > API_TOKEN_MAX_ALLOWED_IPS) {
    problems.push(`At most ${API_TOKEN_MAX_ALLOWED_IPS} entries are allowed; this list has ${cidrs.length}.`);
  }
  return problems;
}

/** The creation form; with `token`, the same fields pre-filled to edit its name and allowed IPs. */
export function CreateApiTokenForm({ onCreated, onCancel, token, onSaved }: CreateApiTokenFormProps) {
  const create = useCreateApiToken();
  const update = useUpdateApiToken();
  const editing = token !== undefined;
  const pending = editing ? update.isPending : create.isPending;
  const queryClient = useQueryClient();
  const timeZone = useTimeZone();
  const formId = useId();
  const nameRef = useRef<HTMLInputElement>(null);

  const [name, setName] = useState(token?.name ?? '');
  const policy = useTokenPolicy().data;
  const maxLifetime = policy?.maxLifetimeSeconds ?? null;
  // Only what the server's policy allows (custom dates are checked against the limit below).
  const choices = policy
    ? EXPIRY_CHOICES.filter((c) => c === 'custom' || policy.allowedExpiryPresets.includes(c))
    : EXPIRY_CHOICES;
  const [chosenExpiry, setExpiry] = useState<ExpiryChoice>(DEFAULT_API_TOKEN_EXPIRY);
  const fallback = [...choices].reverse().find((c) => c !== 'custom' && c !== 'never') ?? 'custom';
  const expiry: ExpiryChoice = choices.includes(chosenExpiry) ? chosenExpiry : fallback;
  const [customDate, setCustomDate] = useState('');
  const [allowedIps, setAllowedIps] = useState(token ? token.allowedIps.join('\n') : '');
  const [permissions, setPermissions] = useState<PermissionsValue>(() => {
    if (!token) return { choice: DEFAULT_PERMISSION_PRESET, custom: PERMISSION_PRESETS[DEFAULT_PERMISSION_PRESET] };
    return { choice: presetOf(token.permissions) ?? 'custom', custom: token.permissions };
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
    else if (beyondLimit(customDate)) expiryProblems.push(`Pick a date within ${describeDuration(maxLifetime!)}: this server's maximum token lifetime.`);
  }

  function beyondLimit(date: string): boolean {
    return maxLifetime !== null && endOfDayInZone(date, timeZone).getTime() > Date.now() + maxLifetime * 1000;
  }
  const latestDate = maxLifetime !== null ? todayInZone(timeZone, new Date(Date.now() + maxLifetime * 1000)) : undefined;

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
    // The button stays enabled (and focused) while saving; a second press does nothing.
    if (pending) return;
    setSubmitted(true);
    const form = event.currentTarget;
    const trimmed = name.trim();
    const customInvalid =
      !editing &&
      expiry === 'custom' && (!customDate || endOfDayInZone(customDate, timeZone).getTime() <= Date.now() || beyondLimit(customDate));
    if (!trimmed || trimmed.length > API_TOKEN_NAME_MAX_LENGTH || customInvalid || hasClientErrors) {
      requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    setServerErrors({ byField: {}, other: [] });
    const settings = { name: trimmed, allowedIps: parseAllowlist(allowedIps).cidrs, permissions: { ...chosenPermissions(permissions) } };
    if (token) {
      try {
        // Only what changed: a rename alone needs no recent password, widening a token does.
        const changes: UpdateApiTokenRequest['apiToken'] = {};
        if (settings.name !== token.name) changes.name = settings.name;
        if (settings.allowedIps.join('\n') !== token.allowedIps.join('\n')) changes.allowedIps = settings.allowedIps;
        if (API_TOKEN_RESOURCES.some((r) => settings.permissions[r] !== token.permissions[r])) changes.permissions = settings.permissions;
        const result = await update.mutateAsync({ id: token.id, body: { apiToken: changes } });
        onSaved?.(result.apiToken);
      } catch (error) {
        setServerErrors(splitErrors<FormField>(error, ['name', 'allowedIps', 'permissions']));
        requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      }
      return;
    }
    const body: CreateApiTokenRequest = { apiToken: settings };
    if (expiry === 'custom') body.apiToken.expiresAt = endOfDayInZone(customDate, timeZone).toISOString();
    else body.apiToken.expiresIn = expiry;

    try {
      const result = await create.mutateAsync(body);
      // Move the raw token out of react-query at once: into the page's state, nowhere else.
      create.reset();
      onCreated?.(result);
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
        {token ? `Edit “${token.name}”` : 'New API token'}
      </h2>
      <form className="form" onSubmit={onSubmit} noValidate aria-labelledby={titleId}>
        {serverErrors.other.length > 0 ? (
          <Alert tone="error" title={editing ? 'The token was not changed.' : 'The token was not created.'}>
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

        {token ? (
          <div className="field">
            <span className="field__label">Expiry</span>
            <p className="form__note">
              {token.expiresAt ? (
                <>
                  Expires on{' '}
                  <time dateTime={token.expiresAt} title={`${formatDateTime(token.expiresAt, timeZone)} · ${describeTimeZone(timeZone, token.expiresAt)}`}>
                    {formatDate(token.expiresAt, timeZone)}
                  </time>
                  .
                </>
              ) : (
                'Never expires.'
              )}{' '}
              The expiry cannot be edited: rotate the token to get a new one.
            </p>
          </div>
        ) : (
          <>
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
              {choices.map((choice) => (
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
                max={latestDate}
                value={customDate}
                onChange={(e) => {
                  setCustomDate(e.target.value);
                  clearServer('expiry');
                }}
              />
            )}
          </Field>
        ) : null}
        {policy && (policy.maxLifetimeSeconds !== null || policy.inactivityRevokeSeconds !== null) ? (
          <p className="form__note" aria-label="Token policy">
            {policy.maxLifetimeSeconds !== null
              ? `This server limits API tokens to ${describeDuration(policy.maxLifetimeSeconds)}; tokens cannot be set to never expire. `
              : ''}
            {policy.inactivityRevokeSeconds !== null
              ? `Tokens unused for ${describeDuration(policy.inactivityRevokeSeconds)} are revoked (you are notified 7 days before).`
              : ''}
          </p>
        ) : null}
        {expiry === 'never' ? (
          <Alert tone="warning" title="This token will never expire.">
            Tokens scoped to a specific use should always have an expiry. A token without one keeps working until you
            revoke it; rotate it periodically.
          </Alert>
        ) : null}

          </>
        )}

        <Field
          label="Allowed IPs"
          optional
          hint="One address per line (no commas): an IP or a CIDR range, IPv4 or IPv6, e.g. 203.0.113.7 or 10.0.0.0/8 or 2001:db8::/32. Leave blank to allow any source IP."
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
          <button type="submit" className="btn btn--primary" disabled={hasClientErrors} aria-disabled={pending || undefined}>
            {editing ? (pending ? 'Saving…' : 'Save changes') : pending ? 'Creating…' : 'Create token'}
          </button>
          <button type="button" className="btn btn--secondary" onClick={onCancel} disabled={pending}>
            Cancel
          </button>
          {hasClientErrors ? <span className="form__status form__status--error">Fix the allowed IPs to continue.</span> : null}
        </div>
      </form>
    </section>
  );
}
