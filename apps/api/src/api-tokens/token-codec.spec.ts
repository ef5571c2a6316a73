import { createHmac, createSecretKey } from 'node:crypto';
import { RAW_TOKEN_EXAMPLE } from './dto/api-token-response.dto';
import { API_TOKEN_LENGTH, apiTokenHint, generateApiToken, hashApiToken, isWellFormedApiToken } from './token-codec';

describe('API token codec', () => {
  it('generates conduit_-prefixed base62 tokens of fixed length with a valid checksum', () => {
    const tokens = new Set(Array.from({ length: 200 }, generateApiToken));
    expect(tokens.size).toBe(200);
    for (const t of tokens) {
      expect(t).toMatch(/^conduit_[0-9A-Za-z]{49}$/);
      expect(t).toHaveLength(API_TOKEN_LENGTH);
      expect(isWellFormedApiToken(t)).toBe(true);
    }
  });

  it('refuses a token with one character changed (checksum), truncated or extended', () => {
    const t = generateApiToken();
    const i = 20;
    const swapped = t.slice(0, i) + (t[i] === 'a' ? 'b' : 'a') + t.slice(i + 1);
    expect(isWellFormedApiToken(swapped)).toBe(false);
    expect(isWellFormedApiToken(t.slice(0, -1))).toBe(false);
    expect(isWellFormedApiToken(`${t}0`)).toBe(false);
    expect(isWellFormedApiToken(t.replace('conduit_', 'cunduit_'))).toBe(false);
    expect(isWellFormedApiToken(t.slice(0, -6) + '000000')).toBe(t.endsWith('000000'));
  });

  it('hashes with the server key (different keys, different hashes) and hints with the last 4 characters', () => {
    const t = generateApiToken();
    const a = hashApiToken(t, createSecretKey(Buffer.from('a'.repeat(32))));
    const b = hashApiToken(t, createSecretKey(Buffer.from('b'.repeat(32))));
    expect(a).toHaveLength(32);
    expect(a.equals(b)).toBe(false);
    // HMAC-SHA-256 of the whole token, the same for the same key (lookups depend on it).
    const key = createSecretKey(Buffer.from('a'.repeat(32)));
    expect(a.equals(createHmac('sha256', key).update(t).digest())).toBe(true);
    expect(hashApiToken(t, key).equals(a)).toBe(true);
    expect(apiTokenHint(t)).toBe(t.slice(-4));
  });
});

describe('the example token of the API documentation', () => {
  it('has the real shape and length but fails the checksum', () => {
    expect(RAW_TOKEN_EXAMPLE).toHaveLength(API_TOKEN_LENGTH);
    expect(RAW_TOKEN_EXAMPLE).toMatch(/^conduit_[0-9A-Za-z]{49}$/);
    expect(isWellFormedApiToken(RAW_TOKEN_EXAMPLE)).toBe(false);
  });
});
