import { createHmac, KeyObject, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { API_TOKEN_HINT_LENGTH, API_TOKEN_PREFIX } from '@conduit/contracts';

/**
 * API token strings: `conduit_` + 43 base62 characters (256 random bits) + a 6-character base62
 * CRC32 of everything before it. The checksum lets a typo, a truncated paste or a look-alike be
 * refused without a database query, and lets secret scanners recognise real tokens.
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const RANDOM_LENGTH = 43; // ceil(256 / log2(62))
const CHECKSUM_LENGTH = 6; // 62^6 > 2^32
export const API_TOKEN_LENGTH = API_TOKEN_PREFIX.length + RANDOM_LENGTH + CHECKSUM_LENGTH;
const SHAPE = new RegExp(`^${API_TOKEN_PREFIX}[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`);

function base62(value: bigint, width: number): string {
  let out = '';
  let v = value;
  while (v > 0n) {
    out = ALPHABET[Number(v % 62n)] + out;
    v /= 62n;
  }
  return out.padStart(width, '0');
}

/** Base62 of the CRC32 (< 2^32, so plain numbers do; this runs on every token request). */
function checksum(body: string): string {
  let v = crc32(body);
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = ALPHABET[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out;
}

export function generateApiToken(): string {
  const body = API_TOKEN_PREFIX + base62(BigInt(`0x${randomBytes(32).toString('hex')}`), RANDOM_LENGTH);
  return body + checksum(body);
}

/** Shape and checksum only; says nothing about whether the token exists. */
export function isWellFormedApiToken(raw: string): boolean {
  if (raw.length !== API_TOKEN_LENGTH || !SHAPE.test(raw)) return false;
  const body = raw.slice(0, -CHECKSUM_LENGTH);
  return checksum(body) === raw.slice(-CHECKSUM_LENGTH);
}

export function looksLikeApiToken(raw: string): boolean {
  return raw.startsWith(API_TOKEN_PREFIX);
}

/** A `conduit_` string that cannot be a token: wrong length, alphabet or checksum. */
export function isMalformedApiToken(raw: string): boolean {
  return looksLikeApiToken(raw) && !isWellFormedApiToken(raw);
}

/** The only form in which a token is stored or looked up: HMAC-SHA-256 under a server secret. */
export function hashApiToken(raw: string, key: KeyObject): Buffer {
  return createHmac('sha256', key).update(raw).digest();
}

export function apiTokenHint(raw: string): string {
  return raw.slice(-API_TOKEN_HINT_LENGTH);
}
