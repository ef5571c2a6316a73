import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ApiTokensModule } from '../api-tokens/api-tokens.module';
import { AuthThrottle } from './auth-throttle';
import { ChainedAuthGuard } from './guards/auth.guard';
import { ApiTokenStrategy } from './strategies/api-token.strategy';
import { JwtStrategy } from './strategies/jwt.strategy';

@Module({
  imports: [PassportModule.register({ session: false }), ApiTokensModule],
  providers: [JwtStrategy, ApiTokenStrategy, AuthThrottle, { provide: APP_GUARD, useClass: ChainedAuthGuard }],
})
export class AuthModule {}
