import { formatInstant } from './token-reminders.job';

describe('formatInstant', () => {
  const at = new Date('2026-12-08T08:30:00Z');
  it('shows the instant in the given time zone, naming it', () => {
    expect(formatInstant(at, 'Europe/Paris')).toBe('Tuesday 8 December 2026 at 09:30 (Europe/Paris)');
    expect(formatInstant(at, 'Asia/Tokyo')).toBe('Tuesday 8 December 2026 at 17:30 (Asia/Tokyo)');
    expect(formatInstant(at, 'UTC')).toBe('Tuesday 8 December 2026 at 08:30 (UTC)');
  });
  it('falls back to UTC for a zone the runtime does not know', () => {
    expect(formatInstant(at, 'Mars/Olympus_Mons')).toBe('Tuesday 8 December 2026 at 08:30 (UTC)');
  });
});
