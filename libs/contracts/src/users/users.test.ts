import { describe, expect, it } from 'vitest';
import { IMAGE_URL_MAX_LENGTH, isImageUrl } from './users.js';

describe('isImageUrl', () => {
  it.each(['https://img.test/a.png', 'http://img.test', 'https://img.test:8443/a.png?x=1#y', 'https://[2001:db8::1]/a.png'])('accepts %j', (value) => {
    expect(isImageUrl(value)).toBe(true);
  });

  it('accepts exactly IMAGE_URL_MAX_LENGTH characters, not one more', () => {
    const base = 'https://img.test/';
    expect(isImageUrl(base + 'a'.repeat(IMAGE_URL_MAX_LENGTH - base.length))).toBe(true);
    expect(isImageUrl(base + 'a'.repeat(IMAGE_URL_MAX_LENGTH - base.length + 1))).toBe(false);
  });

  it.each(['', 'javascript:alert(1)', 'data:image/png;base64,AAAA', 'ftp://img.test/a', '//img.test/a', '/a.png', 'https://', 'file:///etc/passwd',
    ' https://img.test/a', 'https://img.test/a\n', 'https://img.test/a\u0000', 'https://img .test/a', 'img.test/a.png'])('refuses %j', (value) => {
    expect(isImageUrl(value)).toBe(false);
  });
});
