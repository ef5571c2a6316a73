import { randomInt } from 'node:crypto';
import { trimUserAgent } from './security-events.service';

/** A string of the API-token shape (conduit_ and 49 base62 characters): redaction goes by the shape. */
const tokenShaped = () =>
  `conduit_${Array.from({ length: 49 }, () => '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'[randomInt(62)]).join('')}`;


describe('trimUserAgent', () => {
  it('drops control characters, trims, keeps at most 200 characters, and turns nothing into null', () => {
    expect(trimUserAgent(' curl/8.5.0\u0007\r\n')).toBe('curl/8.5.0');
    expect(trimUserAgent('a'.repeat(500))).toHaveLength(200);
    expect(trimUserAgent(['first/1', 'second/2'])).toBe('first/1');
    expect(trimUserAgent('\u0000\u001f')).toBeNull();
    expect(trimUserAgent(undefined)).toBeNull();
    expect(trimUserAgent('')).toBeNull();
  });

  it('keeps no credential a client put in its User-Agent, even one cut at 200 characters', () => {
    const token = tokenShaped();
    expect(trimUserAgent(`my-script/1.0 ${token}`)).toBe('my-script/1.0 conduit_[REDACTED]');
    expect(trimUserAgent(`${'x'.repeat(180)} ${token}`)).not.toContain(token.slice(0, 19));
    expect(trimUserAgent('my-script/1.0 (api_key=s3cret)')).toBe('my-script/1.0 (api_key=[REDACTED]');
  });
});
