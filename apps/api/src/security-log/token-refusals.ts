import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { TokenRefusalReason } from '@conduit/contracts';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config/config';
import { SecurityEvents } from './security-events.service';

interface Window {
  userId: string;
  tokenId: string;
  reason: TokenRefusalReason;
  ip: string;
  userAgent: string | undefined;
  firstAt: number;
  lastAt: number;
  count: number;
}

const MAX_WINDOWS = 50_000;
const TICK_MS = 1000;

/**
 * Refusals of a known token (revoked, expired, from a disallowed address…), counted in memory:
 * one `token.refused` event per token, reason and address per window (SECURITY_LOG_REFUSAL_WINDOW,
 * default a minute) carrying the count, written when the window ends. A flood of refused
 * requests costs a map lookup each, not a write each.
 */
@Injectable()
export class TokenRefusals implements OnModuleInit, OnModuleDestroy {
  private readonly windows = new Map<string, Window>();
  private readonly windowMs: number;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: SecurityEvents,
    private readonly clock: Clock,
  ) {
    this.windowMs = config.securityLogRefusalWindowSeconds * 1000;
  }

  onModuleInit(): void {
    if (!this.config.securityLog) return;
    this.timer = setInterval(() => this.closeWindows(this.clock.now().getTime()), TICK_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.closeWindows(Number.POSITIVE_INFINITY);
    await this.events.flush();
  }

  count(userId: string, tokenId: string, reason: TokenRefusalReason, ip: string, userAgent: string | undefined): void {
    if (!this.config.securityLog) return;
    const key = `${tokenId} ${reason} ${ip}`;
    const now = this.clock.now().getTime();
    const open = this.windows.get(key);
    if (open) {
      open.count += 1;
      open.lastAt = now;
      return;
    }
    if (this.windows.size >= MAX_WINDOWS) this.closeWindows(Number.POSITIVE_INFINITY);
    this.windows.set(key, { userId, tokenId, reason, ip, userAgent, firstAt: now, lastAt: now, count: 1 });
  }

  /** Ends every window (tests, shutdown) and writes the events. */
  async flush(): Promise<void> {
    this.closeWindows(Number.POSITIVE_INFINITY);
    await this.events.flush();
  }

  private closeWindows(now: number): void {
    for (const [key, w] of this.windows) {
      if (now - w.firstAt < this.windowMs) continue;
      this.windows.delete(key);
      this.events.record({
        userId: w.userId,
        type: 'token.refused',
        at: new Date(w.firstAt),
        origin: { ip: w.ip, userAgent: w.userAgent ?? null },
        token: { id: w.tokenId },
        detail: { reason: w.reason, count: w.count, lastAt: new Date(w.lastAt).toISOString() },
      });
    }
  }
}
