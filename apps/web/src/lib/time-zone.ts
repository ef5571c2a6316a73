import { useSession } from './session';

/** The browser's IANA zone, e.g. "Europe/Paris". */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export function isValidTimeZone(zone: string): boolean {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Every IANA zone the browser knows, plus UTC (some engines leave it out). */
export function supportedTimeZones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: 'timeZone') => string[] };
  const zones = intl.supportedValuesOf ? intl.supportedValuesOf('timeZone') : [];
  const all = new Set(zones);
  all.add('UTC');
  all.add(browserTimeZone());
  return [...all].sort((a, b) => a.localeCompare(b));
}

/** The zone to show dates in: the user's setting, else the browser's. */
export function useTimeZone(): string {
  const session = useSession();
  const zone = session.user?.timezone;
  return zone && isValidTimeZone(zone) ? zone : browserTimeZone();
}
