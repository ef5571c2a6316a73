import { describe, expect, it } from 'vitest';
import { isUsableState, tokenEndsAt, tokenState } from './api-tokens.js';

const now = Date.parse('2026-06-01T12:00:00Z');
const at = (deltaMs: number) => new Date(now + deltaMs);

describe('tokenState', () => {
  it('is active without expiry, revocation or rotation, and before its expiry', () => {
    expect(tokenState({}, now)).toBe('active');
    expect(tokenState({ expiresAt: null, revokedAt: null, retiresAt: null }, now)).toBe('active');
    expect(tokenState({ expiresAt: at(1) }, now)).toBe('active');
  });

  it('is expired from the instant of its expiry on', () => {
    expect(tokenState({ expiresAt: at(0) }, now)).toBe('expired');
    expect(tokenState({ expiresAt: at(-1) }, now)).toBe('expired');
  });

  it('is retiring before the end of its overlap and retired from that instant on', () => {
    expect(tokenState({ retiresAt: at(1) }, now)).toBe('retiring');
    expect(tokenState({ retiresAt: at(0) }, now)).toBe('retired');
    expect(tokenState({ retiresAt: at(-1), expiresAt: at(86_400_000) }, now)).toBe('retired');
  });

  it('takes whichever of expiry and retirement came first', () => {
    expect(tokenState({ retiresAt: at(-1), expiresAt: at(-2) }, now)).toBe('expired');
    expect(tokenState({ retiresAt: at(-2), expiresAt: at(-1) }, now)).toBe('retired');
    expect(tokenState({ retiresAt: at(60_000), expiresAt: at(-1) }, now)).toBe('expired');
  });

  it('is revoked whatever else is set', () => {
    expect(tokenState({ revokedAt: at(-1) }, now)).toBe('revoked');
    expect(tokenState({ revokedAt: at(-1), retiresAt: at(60_000) }, now)).toBe('revoked');
    expect(tokenState({ revokedAt: at(-1), expiresAt: at(-5) }, now)).toBe('revoked');
  });

  it('reads Dates, ISO 8601 strings and epoch milliseconds alike', () => {
    const iso = at(1).toISOString();
    expect(tokenState({ retiresAt: iso }, new Date(now).toISOString())).toBe('retiring');
    expect(tokenState({ retiresAt: now + 1 }, now)).toBe('retiring');
    expect(tokenState({ expiresAt: now }, new Date(now))).toBe('expired');
  });
});

describe('isUsableState and tokenEndsAt', () => {
  it('only active and retiring tokens authenticate', () => {
    expect(['active', 'retiring', 'retired', 'expired', 'revoked'].filter((s) => isUsableState(s as never))).toEqual(['active', 'retiring']);
  });

  it('a token ends at the earlier of its expiry and its retirement; never without either', () => {
    expect(tokenEndsAt({})).toBeNull();
    expect(tokenEndsAt({ expiresAt: at(10) })).toEqual(at(10));
    expect(tokenEndsAt({ expiresAt: at(10), retiresAt: at(5) })).toEqual(at(5));
    expect(tokenEndsAt({ expiresAt: at(5), retiresAt: at(10) })).toEqual(at(5));
    expect(tokenEndsAt({ retiresAt: at(5) })).toEqual(at(5));
  });
});
