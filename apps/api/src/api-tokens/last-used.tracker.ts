import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Clock } from '../common/clock';
import { SecurityEvents } from '../security-log/security-events.service';
import { ApiTokensRepository } from './api-tokens.repository';

const MAX_TRACKED = 100_000;
/** Addresses remembered per token in this process (the stored list keeps 5). */
const MAX_IPS_PER_TOKEN = 16;
/** Long enough for the write of a new address to land (it is fired at once). */
const NEW_ADDRESS_SETTLE_MS = 10_000;

/**
 * Records when and from where a token was last used, off the request's critical path: the
 * write is fired and not awaited, and happens at most once per LAST_USED_INTERVAL per token and
 * process (the first use, and a use from a new address, are written at once). The same write
 * keeps the token's last 5 distinct addresses with the time each was last seen.
 *
 * It also notices, from what authentication read (the stored last use and the last 5 addresses),
 * a token's first use and its use from an address not among its last 5, and reports them to the
 * security log (once: requests that read the row before the new address was written do not
 * report it again). A request from a known address costs a substring search and a map lookup.
 *
 * Writes still in flight when the server stops are awaited after the HTTP server has closed and
 * before the pool does (TypeORM's module is global, so its shutdown hook runs after this module's).
 */
@Injectable()
export class LastUsedTracker implements OnApplicationShutdown {
  private readonly logger = new Logger(LastUsedTracker.name);
  private readonly lastWrite = new Map<string, number>();
  /** Per token: the addresses seen by this process and when each was last seen (epoch ms). */
  private readonly seen = new Map<string, Map<string, number>>();
  /** "token address" → when this process announced the address as new to the token. */
  private readonly announced = new Map<string, number>();
  private readonly intervalMs: number;
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tokens: ApiTokensRepository,
    private readonly clock: Clock,
    private readonly events: SecurityEvents,
  ) {
    this.intervalMs = config.lastUsedIntervalSeconds * 1000;
  }

  /**
   * `storedAt` (epoch ms): what the database row says now (read with the token). When another
   * instance wrote it within the interval, this one does not write again. `recentIps`: the
   * row's recent addresses as JSON text.
   */
  record(tokenId: string, ip: string, storedAt: number | null, recentIps = '[]', userId?: string, userAgent?: string): void {
    const now = this.clock.now().getTime();
    let ips = this.seen.get(tokenId);
    const seenHere = ips?.has(ip) === true;
    if (!ips) {
      if (this.seen.size >= MAX_TRACKED) this.seen.clear();
      ips = new Map();
      this.seen.set(tokenId, ips);
    } else if (!seenHere && ips.size >= MAX_IPS_PER_TOKEN) {
      ips.delete(ips.keys().next().value as string);
    }
    ips.set(ip, now);
    // The last 5 in the database decide what is new: an address that fell out of them is new
    // again when it comes back, whatever this process remembers.
    const stored = recentIps.includes(`"${ip}"`);
    const isNew = !stored && userId !== undefined && this.announce(tokenId, ip, now);
    if (isNew) {
      const first = storedAt === null && ips.size === 1 && recentIps === '[]';
      this.events.record({
        userId,
        type: first ? 'token.first_used' : 'token.new_ip',
        at: new Date(now),
        origin: { ip, userAgent: userAgent ?? null },
        token: { id: tokenId },
      });
    }
    if (!this.config.lastUsedTracking) return;
    const written = this.lastWrite.get(tokenId);
    if (!isNew) {
      if (written !== undefined && now - written < this.intervalMs) return;
      if (storedAt !== null && now - storedAt < this.intervalMs) {
        this.remember(tokenId, storedAt);
        return;
      }
    }
    this.remember(tokenId, now);
    const addresses = [...ips.keys()];
    const times = addresses.map((a) => new Date(ips.get(a) as number).toISOString());
    const write = this.tokens
      .recordUse(tokenId, new Date(now), ip, addresses, times)
      .catch((error: Error) => {
        this.lastWrite.delete(tokenId); // try again on the next request
        this.logger.warn(`could not record last use of token ${tokenId}: ${error.message}`);
      })
      .finally(() => this.pending.delete(write));
    this.pending.add(write);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  /** Resolves when the writes already fired have finished (shutdown, tests). */
  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  /**
   * True when (token, address) was not announced as new in the last NEW_ADDRESS_SETTLE_MS: the
   * requests that read the row before the write of a new address landed do not announce it again.
   */
  private announce(tokenId: string, ip: string, now: number): boolean {
    const key = `${tokenId} ${ip}`;
    const at = this.announced.get(key);
    if (at !== undefined && now - at < NEW_ADDRESS_SETTLE_MS) return false;
    if (this.announced.size >= MAX_TRACKED) {
      for (const [k, t] of this.announced) if (now - t >= NEW_ADDRESS_SETTLE_MS) this.announced.delete(k);
      if (this.announced.size >= MAX_TRACKED) this.announced.clear();
    }
    this.announced.set(key, now);
    return true;
  }

  private remember(tokenId: string, at: number): void {
    if (this.lastWrite.size >= MAX_TRACKED) {
      const cutoff = this.clock.now().getTime() - this.intervalMs;
      for (const [id, t] of this.lastWrite) if (t < cutoff) this.lastWrite.delete(id);
      if (this.lastWrite.size >= MAX_TRACKED) this.lastWrite.clear();
    }
    this.lastWrite.set(tokenId, at);
  }
}
