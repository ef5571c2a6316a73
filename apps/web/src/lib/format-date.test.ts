import { describe, expect, it } from 'vitest';
import { describeTimeZone, endOfDayInZone, formatDate, formatRelative, todayInZone } from './format-date';

describe('date helpers', () => {
  it('formats dates in the given zone, not the machine’s', () => {
    // 23:30 UTC on Jan 15 is already Jan 16 in Tokyo.
    expect(formatDate('2025-01-15T23:30:00.000Z', 'UTC')).toBe('Jan 15, 2025');
    expect(formatDate('2025-01-15T23:30:00.000Z', 'Asia/Tokyo')).toBe('Jan 16, 2025');
    expect(todayInZone('Asia/Tokyo', new Date('2025-01-15T23:30:00.000Z'))).toBe('2025-01-16');
  });

  it('names the zone for the title', () => {
    expect(describeTimeZone('Europe/Paris', '2025-01-15T12:00:00.000Z')).toBe('Central European Standard Time (Europe/Paris)');
    expect(describeTimeZone('UTC')).toContain('UTC');
  });

  it('finds the last millisecond of a day in a zone, across DST', () => {
    expect(endOfDayInZone('2025-01-15', 'UTC').toISOString()).toBe('2025-01-15T23:59:59.999Z');
    expect(endOfDayInZone('2025-01-15', 'Europe/Paris').toISOString()).toBe('2025-01-15T22:59:59.999Z');
    expect(endOfDayInZone('2025-07-15', 'Europe/Paris').toISOString()).toBe('2025-07-15T21:59:59.999Z');
    // The day DST starts in Paris (clocks jump at 02:00): the evening is already in summer time.
    expect(endOfDayInZone('2025-03-30', 'Europe/Paris').toISOString()).toBe('2025-03-30T21:59:59.999Z');
    expect(endOfDayInZone('2025-01-15', 'Pacific/Kiritimati').toISOString()).toBe('2025-01-15T09:59:59.999Z');
  });

  it('writes relative times', () => {
    const now = new Date('2025-01-15T12:00:00.000Z');
    expect(formatRelative('2025-01-15T11:59:40.000Z', now)).toBe('just now');
    expect(formatRelative('2025-01-15T11:57:00.000Z', now)).toBe('3 minutes ago');
    expect(formatRelative('2025-01-15T09:00:00.000Z', now)).toBe('3 hours ago');
    expect(formatRelative('2025-01-14T12:00:00.000Z', now)).toBe('yesterday');
    expect(formatRelative('2024-10-15T12:00:00.000Z', now)).toBe('3 months ago');
  });
});
