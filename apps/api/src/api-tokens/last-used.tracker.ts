import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Clock } from '../common/clock';
import { PgStatements } from '../database/pg-statements';

const MAX_TRACKED = 100_000;

const UPDATE_SQL = `UPDATE api_tokens SET last_used_at = $2, last_used_ip = $3
                     WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)`;

/**
 * Records when and from where a token was last used, off the request's critical path: the
 * write is fired and not awaited, and happens at most once per LAST_USED_INTERVAL per token and
 * process (the first use is written at once). Writes still in flight when the server stops are
 * awaited after the HTTP server has closed and before the pool does (TypeORM's module is global,
 * so its shutdown hook runs after this module's).
 */
@Injectable()
export class LastUsedTracker implements OnApplicationShutdown {
  private readonly logger = new Logger(LastUsedTracker.name);
  private readonly lastWrite = new Map<string, number>();
  private readonly intervalMs: number;
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly statements: PgStatements,
    private readonly clock: Clock,
  ) {
    this.intervalMs = config.lastUsedIntervalSeconds * 1000;
  }

  /**
   * `storedAt` (epoch ms): what the database row says now (read with the token). When another
   * instance wrote it within the interval, this one does not write again.
   */
  record(tokenId: string, ip: string, storedAt: number | null): void {
    if (!this.config.lastUsedTracking) return;
    const now = this.clock.now().getTime();
    const written = this.lastWrite.get(tokenId);
    if (written !== undefined && now - written < this.intervalMs) return;
    if (storedAt !== null && now - storedAt < this.intervalMs) {
      this.remember(tokenId, storedAt);
      return;
    }
    this.remember(tokenId, now);
    const write = this.statements
      .query('api_token_last_used', UPDATE_SQL, [tokenId, new Date(now), ip])
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
