import { describe, expect, it } from 'vitest';
import { allowedExpiryPresets, describeDuration } from './token-policy.js';

describe('allowedExpiryPresets', () => {
  const now = new Date('2026-12-01T10:00:00Z');
  it('offers every preset, Never included, without a limit', () => {
    expect(allowedExpiryPresets(null, now)).toEqual(['7d', '30d', '60d', '90d', '1y', 'never']);
  });
  it('offers the presets within the limit and never Never', () => {
    expect(allowedExpiryPresets(90 * 86400, now)).toEqual(['7d', '30d', '60d', '90d']);
    expect(allowedExpiryPresets(89 * 86400, now)).toEqual(['7d', '30d', '60d']);
    expect(allowedExpiryPresets(366 * 86400, now)).toEqual(['7d', '30d', '60d', '90d', '1y']);
    expect(allowedExpiryPresets(3600, now)).toEqual([]);
  });
});

describe('describeDuration', () => {
  it('says a duration in words, two units at most', () => {
    expect(describeDuration(90 * 86400)).toBe('90 days');
    expect(describeDuration(86400)).toBe('1 day');
    expect(describeDuration(86400 + 6 * 3600 + 60)).toBe('1 day 6 hours');
    expect(describeDuration(90)).toBe('1 minute 30 seconds');
    expect(describeDuration(0)).toBe('0 seconds');
  });
});
