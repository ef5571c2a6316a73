const DAY = 86_400_000;

function dateFormatter(timeZone: string, options: Intl.DateTimeFormatOptions) {
  return new Intl.DateTimeFormat('en-US', { timeZone, ...options });
}

/** "Mar 3, 2026" in the given zone. */
export function formatDate(iso: string | Date, timeZone: string): string {
  return dateFormatter(timeZone, { year: 'numeric', month: 'short', day: 'numeric' }).format(new Date(iso));
}

/** "Mar 3, 2026, 14:02:11" in the given zone. */
export function formatDateTime(iso: string | Date, timeZone: string): string {
  return dateFormatter(timeZone, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

/** The zone's long name at that instant plus its IANA id: "Central European Standard Time (Europe/Paris)". */
export function describeTimeZone(timeZone: string, at: string | Date = new Date()): string {
  const part = dateFormatter(timeZone, { timeZoneName: 'long' })
    .formatToParts(new Date(at))
    .find((p) => p.type === 'timeZoneName');
  return part && part.value !== timeZone ? `${part.value} (${timeZone})` : timeZone;
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * DAY],
  ['month', 30 * DAY],
  ['week', 7 * DAY],
  ['day', DAY],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "3 minutes ago", "yesterday", "in 5 days", "just now". */
export function formatRelative(iso: string | Date, now: Date = new Date()): string {
  const diff = new Date(iso).getTime() - now.getTime();
  const abs = Math.abs(diff);
  if (abs < 45_000) return 'just now';
  const rtf = new Intl.RelativeTimeFormat('en-US', { numeric: 'auto' });
  for (const [unit, ms] of UNITS) {
    if (abs >= ms || unit === 'minute') {
      return rtf.format(Math.round(diff / ms), unit);
    }
  }
  return rtf.format(Math.round(diff / 60_000), 'minute');
}

/** Milliseconds to add to UTC to get the wall clock of `timeZone` at `instant`. */
function zoneOffset(instant: number, timeZone: string): number {
  const parts = dateFormatter(timeZone, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The last millisecond of a calendar day ("2026-03-03") in a time zone, as an instant. Handles
 * DST by re-checking the offset at the candidate instant.
 */
export function endOfDayInZone(date: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d, 23, 59, 59, 999);
  let instant = wall - zoneOffset(wall, timeZone);
  const corrected = wall - zoneOffset(instant, timeZone);
  if (corrected !== instant) instant = corrected;
  return new Date(instant);
}

/** Today's calendar date ("YYYY-MM-DD") in a time zone. */
export function todayInZone(timeZone: string, now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function daysBetween(from: Date | string, to: Date | string): number {
  return (new Date(to).getTime() - new Date(from).getTime()) / DAY;
}
