import { CanActivate, ExecutionContext, HttpStatus, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AddressBudget, AddressBudgetOptions } from '../common/address-budget';
import { ClientIpResolver } from '../common/client-ip';
import { Clock } from '../common/clock';
import { ApiError } from '../common/http/errors';
import { Db } from '../database/db';

/**
 * A guard that spends one point of an AddressBudget per request from the client's address (IPv6:
 * per /64) and answers 429 with Retry-After once the address is over the budget: before the
 * handler, so that a refused request costs no lookup, no hash and no database work. Each throttled
 * endpoint is a subclass naming its budget (`signup:`, `leak:` rows in the shared `auth_failures`
 * table, which the failed-authentication budget uses too); the scheduler's purge job clears them all.
 */
export abstract class AddressThrottleGuard implements CanActivate, OnModuleInit, OnApplicationShutdown {
  private readonly budget: AddressBudget;

  protected constructor(
    options: AddressBudgetOptions,
    /** The 429's message, e.g. "too many sign-ups from this address". */
    private readonly refusal: string,
    db: Db,
    clock: Clock,
    private readonly clientIp: ClientIpResolver,
  ) {
    this.budget = new AddressBudget(options, db, clock);
  }

  onModuleInit(): void {
    this.budget.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.budget.stop();
  }

  /** Writes the counts gathered so far to the shared store (tests). */
  sync(): Promise<void> {
    return this.budget.sync();
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const retryAfter = this.budget.take(this.clientIp.resolve(request.raw));
    if (retryAfter === null) return true;
    throw new ApiError(
      HttpStatus.TOO_MANY_REQUESTS,
      { requests: [`${this.refusal}; retry in ${retryAfter} seconds`] },
      { headers: { 'Retry-After': String(retryAfter) } },
    );
  }
}
