import { API_TOKEN_EXPIRY_PRESETS, type ApiTokenExpiryPreset, expiryFromPreset } from '../api-tokens/api-tokens.js';

/** `GET /api/token-policy`: the instance's rules for API tokens (TOKEN_MAX_LIFETIME, TOKEN_INACTIVITY_REVOKE). */
export interface TokenPolicyResponse {
  tokenPolicy: TokenPolicy;
}

export interface TokenPolicy {
  /** Longest lifetime of a new or rotated token, in seconds; null: no limit (Never allowed). */
  maxLifetimeSeconds: number | null;
  /** A token unused this long (seconds) is revoked; null: never. */
  inactivityRevokeSeconds: number | null;
  /** The expiry presets that the limit allows (all of them without a limit). */
  allowedExpiryPresets: ApiTokenExpiryPreset[];
}

/** Slack for the time between the form's "now" and the server's. */
const PRESET_SLACK_MS = 60_000;

/** The presets within `maxLifetimeSeconds` (null: all). Never is allowed only without a limit. */
export function allowedExpiryPresets(maxLifetimeSeconds: number | null, now: Date = new Date()): ApiTokenExpiryPreset[] {
  if (maxLifetimeSeconds === null) return [...API_TOKEN_EXPIRY_PRESETS];
  return API_TOKEN_EXPIRY_PRESETS.filter((preset) => {
    const at = expiryFromPreset(preset, now);
    return at !== null && at.getTime() - now.getTime() <= maxLifetimeSeconds * 1000 + PRESET_SLACK_MS;
  });
}

/** "90 days", "12 hours", "1 day 6 hours": a duration for people. */
export function describeDuration(seconds: number): string {
  const units: [number, string][] = [[86400, 'day'], [3600, 'hour'], [60, 'minute'], [1, 'second']];
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const [size, name] of units) {
    const n = Math.floor(rest / size);
    if (n > 0 && parts.length < 2) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
    rest -= n * size;
  }
  return parts.length > 0 ? parts.join(' ') : '0 seconds';
}
