import { Injectable } from '@nestjs/common';
import { IpAllowlist } from '@conduit/contracts';

const MAX_ENTRIES = 10_000;

/**
 * Compiled allowlists by token id, so that a request neither transfers nor re-parses up to 100
 * CIDRs. A token's allowlist is fixed when it is created (there is no way to change it: a new
 * list means a new token), so an entry never goes stale; whether the token is still valid is
 * read from the database on every request, so this cache cannot keep a revoked token alive.
 * The entry's size is checked against the count read with the token as a safety net.
 */
@Injectable()
export class AllowlistCache {
  private readonly cache = new Map<string, IpAllowlist>();

  /** The compiled list, or undefined when it must be loaded (first use in this process). */
  get(tokenId: string, expectedSize: number): IpAllowlist | undefined {
    const list = this.cache.get(tokenId);
    return list && list.size === expectedSize ? list : undefined;
  }

  set(tokenId: string, cidrs: readonly string[]): IpAllowlist {
    if (!this.cache.has(tokenId) && this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    const list = new IpAllowlist(cidrs);
    this.cache.set(tokenId, list);
    return list;
  }
}
