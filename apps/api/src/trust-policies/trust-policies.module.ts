import { Module } from '@nestjs/common';
import { ApiTokensModule } from '../api-tokens/api-tokens.module';
import { ThrottleModule } from '../throttle/throttle.module';
import { SchedulerService } from '../scheduler/scheduler.service';
import { Clock } from '../common/clock';
import { IdTokenVerifier } from './id-token-verifier';
import { IssuerKeys } from './issuer-keys';
import { OAuthTokenController } from './oauth-token.controller';
import { TokenExchangeService } from './token-exchange.service';
import { TrustPoliciesController } from './trust-policies.controller';
import { TrustPoliciesRepository } from './trust-policies.repository';
import { TrustPoliciesService } from './trust-policies.service';

/** The scheduler job that forgets exchanged ID tokens once they have expired. */
export const EXCHANGED_ID_TOKENS_PURGE_JOB = 'trust-policies.purge-exchanged-id-tokens';

/** Trusted CI: trust policies and the RFC 8693 token exchange. */
@Module({
  imports: [ApiTokensModule, ThrottleModule],
  controllers: [TrustPoliciesController, OAuthTokenController],
  providers: [TrustPoliciesService, TrustPoliciesRepository, TokenExchangeService, IdTokenVerifier, IssuerKeys],
})
export class TrustPoliciesModule {
  constructor(scheduler: SchedulerService, repository: TrustPoliciesRepository, clock: Clock) {
    scheduler.every(EXCHANGED_ID_TOKENS_PURGE_JOB, '1h', async () => {
      await repository.purgeExchangedIdTokens(clock.now());
    });
  }
}
