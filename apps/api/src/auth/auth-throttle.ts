import { HttpStatus, Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AddressBudget } from '../common/address-budget';
import { ApiError } from '../common/http/errors';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config/config';
import { PgStatements } from '../database/pg-statements';
import { SchedulerService } from '../scheduler/scheduler.service';

export { THROTTLE_SYNC_INTERVAL_MS } from '../common/address-budget';
/** The scheduler job that deletes ended windows from the shared store (once a minute, one instance). */
export const AUTH_FAILURES_PURGE_JOB = 'auth-failures.purge';

/** 429 for an address over the limit: `subject` is what failed (`token`, `credentials`, `password`). */
export const tooManyFailures = (subject: string, retryAfter: number) =>
  new ApiError(
    HttpStatus.TOO_MANY_REQUESTS,
    { [subject]: [`too many failed attempts from this address; retry in ${retryAfter} seconds`] },
    { headers: { 'Retry-After': String(retryAfter) } },
  );

/**
 * Throttles failed authentications per client address (AUTH_FAILURE_LIMIT per
 * AUTH_FAILURE_WINDOW): bad tokens, and wrong passwords (sign-in, and the confirmations of
 * sensitive actions), one budget per address; IPv6 clients are counted per /64.
 *
 * An AddressBudget: counted in memory (a refused request never waits for the database, a flood
 * of malformed tokens costs no database work and is refused even while the database is down),
 * synced once a second to PostgreSQL (`auth_failures`) so that the limit holds across instances.
 * Expired rows are deleted once a minute by a scheduler job (`purgeExpired()`, for every budget
 * kept in that table); only failures are counted, valid credentials are never slowed.
 */
@Injectable()
export class AuthThrottle implements OnModuleInit, OnApplicationShutdown {
  private readonly budget: AddressBudget;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly statements: PgStatements,
    private readonly clock: Clock,
    scheduler: SchedulerService,
  ) {
    this.budget = new AddressBudget(
      { name: 'failed-authentication', prefix: '', limit: config.authFailureLimit, windowMs: config.authFailureWindowSeconds * 1000 },
      statements,
      clock,
    );
    scheduler.every(AUTH_FAILURES_PURGE_JOB, '1m', async () => {
      await this.purgeExpired();
    });
  }

  onModuleInit(): void {
    this.budget.start();
  }

  /** After the HTTP server has closed and before the pool does (TypeORM's module is global: last). */
  async onApplicationShutdown(): Promise<void> {
    await this.budget.stop();
  }

  /**
   * Counts one failure for `ip`. Returns the seconds to wait when the address is over the limit,
   * or null when it may go on (and get its 401). Never touches the database.
   */
  fail(ip: string): number | null {
    return this.budget.take(ip);
  }

  /**
   * The seconds to wait when `ip` is already over the limit, else null; counts nothing. Checked
   * before a password is verified, so that a guesser over the limit costs no argon2 work.
   */
  retryAfter(ip: string): number | null {
    return this.budget.retryAfter(ip);
  }

  /** Writes the counts gathered since the last sync (one statement); resolves when done. */
  sync(): Promise<void> {
    return this.budget.sync();
  }

  /** Deletes the shared counters whose window has ended (run by the scheduler). Returns how many. */
  purgeExpired(): Promise<number> {
    return AddressBudget.purgeExpired(this.statements, this.clock.now().getTime());
  }
}
