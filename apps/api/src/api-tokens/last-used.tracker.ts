import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Clock } from '../common/clock';
import { SecurityEvents } from '../security-log/security-events.service';
import { ApiTokensRepository } from './api-tokens.repository';

const MAX_TRACKED = 100_000;
/** Addresses remembered per token in this process (the stored list keeps 5). */
const MAX_IPS_PER_TOKEN = 16;

/**
 * Records when and from where a token was last used, off the request's critical path: the
 * write is fired and not awaited, and happens at most once per LAST_USED_INTERVAL per token and
 * process (the first use, and a use from a new address, are written at once). The same write
 * keeps the token's last 5 distinct addresses with the time each was last seen.
 *
 * It also notices, from what authentication read (the stored last use and recent addresses)
 * plus what this process has seen, a token's first use and its use from an address not among
 * its recent ones, and reports them to the security log. A request from a known address costs
 * two map lookups.
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
    const known = ips?.has(ip) === true;
    if (!ips) {
      if (this.seen.size >= MAX_TRACKED) this.seen.clear();
      ips = new Map();
      this.seen.set(tokenId, ips);
    } else if (!known && ips.size >= MAX_IPS_PER_TOKEN) {
      ips.delete(ips.keys().next().value as string);
    }
    ips.set(ip, now);
    if (!known && userId !== undefined) {
      const first = storedAt === null && ips.size === 1 && recentIps === '[]';
      if (first || !recentIps.includes(`"${ip}"`)) {
        this.events.record({
          userId,
          type: first ? 'token.first_used' : 'token.new_ip',
          at: new Date(now),
          origin: { ip, userAgent: userAgent ?? null },
          token: { id: tokenId },
        });
      }
    }
    if (!this.config.lastUsedTracking) return;
    const written = this.lastWrite.get(tokenId);
    if (known || userId === undefined) {
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

  private remember(tokenId: string, at: number): void {
    if (this.lastWrite.size >= MAX_TRACKED) {
      const cutoff = this.clock.now().getTime() - this.intervalMs;
      for (const [id, t] of this.lastWrite) if (t < cutoff) this.lastWrite.delete(id);
      if (this.lastWrite.size >= MAX_TRACKED) this.lastWrite.clear();
    }
    this.lastWrite.set(tokenId, at);
  }
}
