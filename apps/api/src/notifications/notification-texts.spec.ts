import { clientOf, composeEmail, formatInstant, tokenLabel } from './notification-texts';

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

describe('clientOf', () => {
  it('describes a client in our words, never repeating what it sent', () => {
    expect(clientOf('curl/8.5.0')).toBe('curl 8.5.0');
    expect(clientOf('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0')).toBe('Firefox on Windows');
    expect(clientOf('python-requests/2.31.0')).toBe('Python requests');
    expect(clientOf('Your token leaked! Sign in at https://conduit-security.example/login')).toBe('an unrecognised client');
  });
});

describe('composeEmail', () => {
  it('frames the paragraphs with the greeting and the signature', () => {
    expect(composeEmail({ username: 'ada' }, [`Your API token ${tokenLabel('ci', 'a1B2')} expired.`, 'Create a new one:\nhttps://x.test/app'])).toBe(
      'Hello ada,\n\nYour API token “ci” (…a1B2) expired.\n\nCreate a new one:\nhttps://x.test/app\n\n— Conduit\n',
    );
  });
});
