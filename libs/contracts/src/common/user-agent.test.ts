import { describe, expect, it } from 'vitest';
import { describeClient, describeUserAgent } from './user-agent.js';

describe('describeUserAgent', () => {
  it.each([
    ['curl/8.5.0', 'curl 8.5.0'],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36', 'Chrome on Linux'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0', 'Firefox on Windows'],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      'Safari on iOS',
    ],
    ['python-requests/2.31.0', 'Python (requests)'],
    ['Go-http-client/1.1', 'Go 1.1'],
    ['node', 'Node.js'],
    ['GitHub-Actions', 'GitHub Actions'],
    ['my-deploy-script/3.2 (+https://example.com)', 'my-deploy-script 3.2'],
    ['', 'Unknown client'],
  ])('%s → %s', (ua, expected) => {
    expect(describeUserAgent(ua)).toBe(expected);
  });

  it('shortens a client name too long to read at a glance', () => {
    expect(describeUserAgent(`x${'y'.repeat(80)}`)).toHaveLength(40);
  });

  it('describes for an email only what it recognises, repeating nothing but a numeric version', () => {
    expect(describeClient('curl/8.5.0')).toBe('curl 8.5.0');
    expect(describeClient('curl/evil.example.com')).toBe('curl');
    expect(describeClient('python-requests/2.31.0')).toBe('Python (requests)');
    expect(describeClient('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36')).toBe('Chrome on Linux');
    expect(describeClient('Visit https://evil.example/login to keep your token')).toBeNull();
    expect(describeClient('evil.example.com/login')).toBeNull();
    expect(describeClient('')).toBeNull();
    expect(describeClient(null)).toBeNull();
  });
});
