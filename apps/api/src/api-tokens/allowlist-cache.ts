import { Injectable } from '@nestjs/common';
import { IpAllowlist } from '@conduit/contracts';

const MAX_ENTRIES = 10_000;

/** A compiled allowlist and the token version it was compiled from. */
export interface CachedAllowlist {
  readonly version: number;
  readonly list: IpAllowlist;
}

/**
 * Compiled allowlists by token (keyed by its stored hash, which is what a request presents), so
 * that a request neither transfers nor re-parses up to 100 CIDRs. An edit of a token increments
 * its `version`; the authentication query is told the version this process holds and returns the
 * allowlist only when the stored one differs. So an edit on any instance applies to the very
 * next request on every instance, without a query of its own.
 */
@Injectable()
export class AllowlistCache {
  private readonly cache = new Map<string, CachedAllowlist>();

  /** What this process holds for the token, whatever its version. */
  get(key: string): CachedAllowlist | undefined {
    return this.cache.get(key);
  }

  set(key: string, version: number, cidrs: readonly string[]): CachedAllowlist {
    if (!this.cache.has(key) && this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    const entry = { version, list: new IpAllowlist(cidrs) };
    this.cache.set(key, entry);
    return entry;
  }
}
