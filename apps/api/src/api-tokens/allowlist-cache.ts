import { Injectable } from '@nestjs/common';
import { IpAllowlist } from '@conduit/contracts';

const MAX_ENTRIES = 10_000;

interface Entry {
  source: readonly string[];
  list: IpAllowlist;
}

/**
 * Compiled allowlists by token id, so that a request does not re-parse up to 100 CIDRs. The
 * entry is used only while it was compiled from exactly the CIDRs the database returned with the
 * token on this request; whether the token is still valid is read from the database every time,
 * so this cache can never keep a revoked token alive.
 */
@Injectable()
export class AllowlistCache {
  private readonly cache = new Map<string, Entry>();

  get(tokenId: string, cidrs: readonly string[]): IpAllowlist {
    const entry = this.cache.get(tokenId);
    if (entry && sameList(entry.source, cidrs)) return entry.list;
    if (!entry && this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    const list = new IpAllowlist(cidrs);
    this.cache.set(tokenId, { source: [...cidrs], list });
    return list;
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
