import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../access/principal';

const MAX_ENTRIES = 10_000;

/** A token's user as authentication read it, and the token row's user_version it was read with. */
export interface CachedTokenUser {
  readonly userVersion: number;
  readonly user: Readonly<AuthUser>;
}

/**
 * The user behind each token (keyed by the token's stored hash, like AllowlistCache), so that the
 * per-request token lookup reads the token table alone instead of joining users. The token row
 * carries `user_version`, which a trigger on users moves in the transaction that changes any of
 * AuthUser's columns: a request whose row shows another version than the one held here reads
 * the token with its user again (one statement, instead of the lookup, not in addition). So a
 * change of username, email, bio, image or timezone made on any instance shows on the very next
 * request on every instance; a deleted user's tokens are gone with it.
 */
@Injectable()
export class TokenUserCache {
  private readonly cache = new Map<string, CachedTokenUser>();

  /** What this process holds for the token, whatever its version. */
  get(key: string): CachedTokenUser | undefined {
    return this.cache.get(key);
  }

  set(key: string, userVersion: number, user: AuthUser): CachedTokenUser {
    if (!this.cache.has(key) && this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    const entry = { userVersion, user: Object.freeze(user) };
    this.cache.set(key, entry);
    return entry;
  }
}
