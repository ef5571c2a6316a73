import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ApiTokensModule } from '../api-tokens/api-tokens.module';
import { SessionsModule } from '../sessions/sessions.module';
import { AuthThrottle } from './auth-throttle';
import { AuthenticationGuard } from './guards/authentication.guard';
import { AuthorizationGuard } from './guards/authorization.guard';
import { ApiTokenStrategy } from './strategies/api-token.strategy';
import { JwtStrategy } from './strategies/jwt.strategy';

@Module({
  imports: [PassportModule.register({ session: false }), ApiTokensModule, SessionsModule],
  providers: [
    JwtStrategy,
    ApiTokenStrategy,
    AuthThrottle,
    // Global guards run in this order: authentication (who), then authorization (what).
    { provide: APP_GUARD, useClass: AuthenticationGuard },
    { provide: APP_GUARD, useClass: AuthorizationGuard },
  ],
  // Wrong passwords (sign-in, confirmations) count against the same per-address budget.
  exports: [AuthThrottle],
})
export class AuthModule {}
