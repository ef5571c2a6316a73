import { Logger } from '@nestjs/common';
import { addressBlock } from '@conduit/contracts';
import type { Clock } from './clock';
import type { Db } from '../database/db';
import { AuthFailuresRepository } from './auth-failures.repository';

/** How often counts reach the shared store: at most once per address (block) per this interval. */
export const THROTTLE_SYNC_INTERVAL_MS = 1000;
/** Beyond this many addresses in memory, the ones with nothing left to write are dropped first. */
const MAX_TRACKED = 200_000;

interface Counter {
  /** Points counted here and not yet written to the shared store. */
  unsynced: number;
  /** Points being written right now (added back if the write fails). */
  inFlight: number;
  /** The shared store's total for this block as of this process's last write (its own included). */
  shared: number;
  /** When the block's window ends (epoch ms): the shared store's value once it has answered. */
  windowEnd: number;
}


export interface AddressBudgetOptions {
  /** What is counted, for log lines ("failed-authentication", "sign-up"). */
  name: string;
  /** Prepended to the address in the shared store, so that budgets never share a row ('' for failed authentications). */
  prefix: string;
  limit: number;
  windowMs: number;
}

/**
 * A budget per client address (IPv6: per /64): `limit` points per `windowMs`, shared by every
 * instance through PostgreSQL (AuthFailuresRepository, keyed by `prefix` + address).
 *
 * Counting happens in memory: a refused request never waits for the database, so a flood costs
 * no database work at all and is refused even while the database is down. Once per
 * THROTTLE_SYNC_INTERVAL_MS the new counts of every address go to PostgreSQL in one statement,
 * which answers with the totals of all instances: the limit holds across instances, give or take
 * what the others counted during the last interval. Expired rows are deleted by `purgeExpired()`
 * (a scheduler job), expired counters in memory at each sync.
 */
export class AddressBudget {
  private readonly logger: Logger;
  private readonly counters = new Map<string, Counter>();
  private readonly dirty = new Set<string>();
  private timer?: NodeJS.Timeout;
  private syncing?: Promise<void>;
  private readonly store: AuthFailuresRepository;

  constructor(
    private readonly options: AddressBudgetOptions,
    db: Db,
    private readonly clock: Clock,
  ) {
    this.logger = new Logger(`AddressBudget(${options.name})`);
    this.store = new AuthFailuresRepository(db);
  }

  start(): void {
    this.timer = setInterval(() => {
      if (!this.syncing) void this.sync();
    }, THROTTLE_SYNC_INTERVAL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sync();
  }

  /**
   * Counts one point for `ip`. Returns the seconds to wait when the address is over the limit,
   * or null when it may go on. Never touches the database.
   */
  take(ip: string): number | null {
    const key = this.keyOf(ip);
    const now = this.clock.now().getTime();
    let counter = this.counters.get(key);
    if (!counter || counter.windowEnd <= now) {
      if (!counter && this.counters.size >= MAX_TRACKED) this.evict(now);
      counter = { unsynced: 0, inFlight: 0, shared: 0, windowEnd: now + this.options.windowMs };
      this.counters.set(key, counter);
    }
    const total = counter.shared + counter.unsynced + counter.inFlight;
    if (total >= this.options.limit) {
      // Over the limit: answered from memory. One point past the limit is still written, so
      // that the other instances learn of it at their next sync.
      if (total === this.options.limit) this.count(key, counter);
      return secondsLeft(counter, now);
    }
    this.count(key, counter);
    return null;
  }

  /** The seconds to wait when `ip` is already over the limit, else null; counts nothing. */
  retryAfter(ip: string): number | null {
    const counter = this.counters.get(this.keyOf(ip));
    const now = this.clock.now().getTime();
    if (!counter || counter.windowEnd <= now) return null;
    if (counter.shared + counter.unsynced + counter.inFlight < this.options.limit) return null;
    return secondsLeft(counter, now);
  }

  /** Writes the counts gathered since the last sync (one statement); resolves when done. */
  sync(): Promise<void> {
    if (this.syncing) return this.syncing.then(() => this.sync());
    if (this.dirty.size === 0) return Promise.resolve();
    this.syncing = this.write().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  /** Deletes the shared counters of every budget whose window has ended. Returns how many. */
  static async purgeExpired(db: Db, now: number): Promise<number> {
    return new AuthFailuresRepository(db).purgeExpired(now);
  }

  private keyOf(ip: string): string {
    return this.options.prefix + (ip.includes(':') ? (addressBlock(ip) ?? ip) : ip);
  }

  private count(key: string, counter: Counter): void {
    counter.unsynced += 1;
    this.dirty.add(key);
  }

  private async write(): Promise<void> {
    const now = this.clock.now().getTime();
    const keys: string[] = [];
    const points: number[] = [];
    const expires: number[] = [];
    const batch = new Map<string, Counter>();
    for (const key of this.dirty) {
      const counter = this.counters.get(key);
      if (!counter || counter.unsynced === 0) continue;
      keys.push(key);
      points.push(counter.unsynced);
      expires.push(counter.windowEnd);
      counter.inFlight = counter.unsynced;
      counter.unsynced = 0;
      batch.set(key, counter);
    }
    this.dirty.clear();
    this.dropExpired(now);
    if (keys.length === 0) return;
    try {
      const rows = await this.store.addPoints(keys, points, expires, now);
      for (const row of rows) {
        const counter = batch.get(row.key);
        if (!counter) continue;
        counter.shared = row.points;
        counter.windowEnd = Number(row.expire);
        counter.inFlight = 0;
      }
    } catch (error) {
      // Kept for the next sync: a database outage must not hand out fresh budgets.
      for (const [key, counter] of batch) {
        counter.unsynced += counter.inFlight;
        counter.inFlight = 0;
        this.dirty.add(key);
      }
      this.logger.warn(`could not write ${this.options.name} counts: ${(error as Error).message}`);
    }
  }

  private dropExpired(now: number): void {
    for (const [key, counter] of this.counters) {
      if (counter.windowEnd <= now && counter.unsynced === 0 && counter.inFlight === 0) this.counters.delete(key);
    }
  }

  /** Memory stays bounded under a flood from many addresses: drop what is already in the store. */
  private evict(now: number): void {
    this.dropExpired(now);
    if (this.counters.size < MAX_TRACKED) return;
    for (const [key, counter] of this.counters) {
      if (counter.unsynced === 0 && counter.inFlight === 0) this.counters.delete(key);
      if (this.counters.size < MAX_TRACKED * 0.9) break;
    }
  }
}

/** Retry-After for a counter over the limit: the rest of its window, at least a second. */
function secondsLeft(counter: Counter, now: number): number {
  return Math.max(1, Math.ceil((counter.windowEnd - now) / 1000));
}
