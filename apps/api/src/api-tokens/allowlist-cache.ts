import { Injectable } from '@nestjs/common';
import { IpAllowlist } from '@conduit/contracts';

const MAX_ENTRIES = 10_000;

/**
 * Compiled allowlists by token id. A token's allowlist never changes after creation, so a
 * compiled copy can be kept; whether the token is still valid is read from the database on
 * every request, so this cache cannot keep a revoked token alive.
 */
@Injectable()
export class AllowlistCache {
  private readonly cache = new Map<string, IpAllowlist>();

  get(tokenId: string, cidrs: readonly string[]): IpAllowlist {
    let list = this.cache.get(tokenId);
    if (!list) {
      if (this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
      list = new IpAllowlist(cidrs);
      this.cache.set(tokenId, list);
    }
    return list;
  }
}
