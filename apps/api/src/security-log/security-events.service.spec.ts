import { trimUserAgent } from './security-events.service';

describe('trimUserAgent', () => {
  it('drops control characters, trims, keeps at most 200 characters, and turns nothing into null', () => {
    expect(trimUserAgent(' curl/8.5.0\u0007\r\n')).toBe('curl/8.5.0');
    expect(trimUserAgent('a'.repeat(500))).toHaveLength(200);
    expect(trimUserAgent(['first/1', 'second/2'])).toBe('first/1');
    expect(trimUserAgent('\u0000\u001f')).toBeNull();
    expect(trimUserAgent(undefined)).toBeNull();
    expect(trimUserAgent('')).toBeNull();
  });
});
