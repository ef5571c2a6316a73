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
  'session.signed_in': 'Signed in',
  'session.signed_out': 'Signed out',
  'session.reuse_detected': 'Session ended: refresh token reused',
  'account.password_changed': 'Password changed',
  'account.email_changed': 'Email changed',
};

const REVOKED_BY: Record<string, string> = {
  session: 'by you (signed in)',
  token: 'by the token itself',
  rotation: 'by a rotation',
  inactivity: 'for inactivity',
  leak_report: 'after a leak report',
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
  const d = event.detail;
  switch (event.type) {
    case 'token.created':
      return `${token} was created`;
    case 'token.updated': {
      const changed = Array.isArray(d.changed) ? d.changed.map((f) => CHANGED_FIELDS[String(f)] ?? String(f)) : [];
      return changed.length > 0 ? `${token} was changed: ${listOf(changed)}` : `${token} was changed`;
    }
    case 'token.rotated': {
      const newHint = typeof d.newHint === 'string' ? `; the new value ends in …${d.newHint}` : '';
      return `${token} ${d.by === 'token' ? 'rotated itself' : 'was rotated'}${newHint}`;
    }
    case 'token.revoked':
      if (d.reporter === 'github_secret_scanning') {
        return `${token} was revoked: GitHub secret scanning found it in public${typeof d.url === 'string' ? ` at ${d.url}` : ''}`;
      }
      return `${token} was revoked ${REVOKED_BY[String(d.by)] ?? ''}`.trim();
    case 'token.first_used':
      return `${token} was used for the first time`;
    case 'token.new_ip':
      return `${token} was used from a new address`;
    case 'token.refused': {
      const count = typeof d.count === 'number' && d.count > 1 ? ` (${d.count} times)` : '';
      return `${token} was refused ${REFUSAL[String(d.reason)] ?? ''}${count}`.replace(/ +\(/, ' (').trim();
    }
    case 'session.signed_in':
      return d.via === 'registration' ? 'Account created and signed in' : 'Signed in with your password';
    case 'session.signed_out':
      return 'Signed out';
    case 'session.reuse_detected':
      return 'A session was ended because its refresh token was used twice (it may have been copied)';
    case 'account.password_changed':
      return 'Your password was changed';
    case 'account.email_changed':
      return typeof d.to === 'string' ? `Your email was changed to ${d.to}` : 'Your email was changed';
  }
}
