import type { SecurityEvent, SecurityEventType } from '@conduit/contracts';

/** What each type is called in the filter. */
export const EVENT_TYPE_LABELS: Record<SecurityEventType, string> = {
  'token.created': 'Token created',
  'token.updated': 'Token changed',
  'token.rotated': 'Token rotated',
  'token.revoked': 'Token revoked',
  'token.first_used': 'Token first used',
  'token.new_ip': 'Token used from a new address',
  'token.refused': 'Token refused',
  'token.exchanged': 'Token issued to CI (trust policy)',
  'token.exchange_refused': 'CI token exchange refused',
  'trust_policy.created': 'Trust policy created',
  'trust_policy.updated': 'Trust policy changed',
  'trust_policy.deleted': 'Trust policy deleted',
  'session.signed_in': 'Signed in',
  'session.signed_out': 'Signed out',
  'session.reuse_detected': 'Session ended: refresh token reused',
  'account.password_changed': 'Password changed',
  'account.email_changed': 'Email changed',
  'account.password_reset_requested': 'Password reset requested',
  'account.password_reset': 'Password reset',
};

const REVOKED_BY: Record<string, string> = {
  session: 'by you (signed in)',
  token: 'by the token itself',
  rotation: 'by a rotation',
  inactivity: 'for inactivity',
  leak_report: 'after a leak report',
  policy_deleted: 'because its trust policy was deleted',
};

const REFUSAL: Record<string, string> = {
  ip_not_allowed: 'from an address its allowlist does not include',
  expired: 'because it has expired',
  revoked: 'because it has been revoked',
  rotated: 'because it has been rotated',
  insufficient_permission: 'for lack of permission',
};

/** `token.updated`'s `detail.changed`: the API's field names, as a person says them. */
const CHANGED_FIELDS: Record<string, string> = {
  name: 'its name',
  allowedIps: 'its allowed IPs',
  permissions: 'its permissions',
};

/** "a", "a and b", "a, b and c". */
function listOf(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** One sentence saying what happened. */
export function describeEvent(event: SecurityEvent): string {
  const token = event.tokenName ? `“${event.tokenName}”` : 'A token';
  switch (event.type) {
    case 'token.created':
      return `${token} was created`;
    case 'token.updated': {
      const changed = Array.isArray(event.detail.changed) ? event.detail.changed.map((f) => CHANGED_FIELDS[String(f)] ?? String(f)) : [];
      return changed.length > 0 ? `${token} was changed: ${listOf(changed)}` : `${token} was changed`;
    }
    case 'token.rotated': {
      const newHint = typeof event.detail.newHint === 'string' ? `; the new value ends in …${event.detail.newHint}` : '';
      return `${token} ${event.detail.by === 'token' ? 'rotated itself' : 'was rotated'}${newHint}`;
    }
    case 'token.revoked':
      if (event.detail.reporter === 'github_secret_scanning') {
        return `${token} was revoked: GitHub secret scanning found it in public${typeof event.detail.url === 'string' ? ` at ${event.detail.url}` : ''}`;
      }
      return `${token} was revoked ${REVOKED_BY[String(event.detail.by)] ?? ''}`.trim();
    case 'token.first_used':
      return `${token} was used for the first time`;
    case 'token.new_ip':
      return `${token} was used from a new address`;
    case 'token.refused': {
      const count = typeof event.detail.count === 'number' && event.detail.count > 1 ? ` (${event.detail.count} times)` : '';
      return `${token} was refused ${REFUSAL[String(event.detail.reason)] ?? ''}${count}`.replace(/ +\(/, ' (').trim();
    }
    case 'token.exchanged': {
      const where = [event.detail.repository, event.detail.ref].filter((v) => typeof v === 'string').join(' ');
      return `${token} was issued by the trust policy “${String(event.detail.policyName ?? '')}”${where ? ` to ${where}` : ''}`;
    }
    case 'token.exchange_refused':
      return `An ID token was refused by the trust policy “${String(event.detail.policyName ?? '')}”: ${String(event.detail.reason ?? '')}`;
    case 'trust_policy.created':
      return `The trust policy “${String(event.detail.policyName ?? '')}” was created`;
    case 'trust_policy.updated':
      return `The trust policy “${String(event.detail.policyName ?? '')}” was changed`;
    case 'trust_policy.deleted':
      return `The trust policy “${String(event.detail.policyName ?? '')}” was deleted`;
    case 'session.signed_in':
      return event.detail.via === 'registration' ? 'Account created and signed in' : 'Signed in with your password';
    case 'session.signed_out':
      return 'Signed out';
    case 'session.reuse_detected':
      return 'A session was ended because its refresh token was used twice (it may have been copied)';
    case 'account.password_changed':
      return 'Your password was changed';
    case 'account.email_changed':
      return typeof event.detail.to === 'string' ? `Your email was changed to ${event.detail.to}` : 'Your email was changed';
    case 'account.password_reset_requested':
      return event.detail.emailed === false
        ? 'A password reset link was asked for; none was sent (too many this hour)'
        : 'A password reset link was emailed to you';
    case 'account.password_reset':
      return 'Your password was reset with an emailed link; every session was ended';
  }
}
