import { CanActivate, ExecutionContext, HttpStatus, Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AddressBudget } from '../common/address-budget';
import { ClientIpResolver } from '../common/client-ip';
import { Clock } from '../common/clock';
import { ApiError } from '../common/http/errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { PgStatements } from '../database/pg-statements';

/**
 * Sign-up attempts per client address (IPv6: per /64): SIGNUP_LIMIT per SIGNUP_WINDOW, every
 * attempt counted (taken emails and invalid bodies too), shared by every instance the way the
 * failed-authentication budget is (an AddressBudget, `signup:` rows in the same table). A guard,
 * so that over the limit the 429 comes before any lookup or password hash.
 */
@Injectable()
export class SignupThrottle implements CanActivate, OnModuleInit, OnApplicationShutdown {
  private readonly budget: AddressBudget;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    statements: PgStatements,
    clock: Clock,
    private readonly clientIp: ClientIpResolver,
  ) {
    this.budget = new AddressBudget(
      { name: 'sign-up', prefix: 'signup:', limit: config.signupLimit, windowMs: config.signupWindowSeconds * 1000 },
      statements,
      clock,
    );
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
      { requests: [`too many sign-ups from this address; retry in ${retryAfter} seconds`] },
      { headers: { 'Retry-After': String(retryAfter) } },
    );
  }
}
