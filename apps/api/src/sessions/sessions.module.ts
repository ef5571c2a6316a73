import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessTokens } from './access-tokens';
import { RefreshCookie } from './refresh-cookie';
import { RefreshTokenEntity } from './refresh-token.entity';
import { SessionEntity } from './session.entity';
import { SessionAuthenticator } from './session-authenticator';
import { SessionsService } from './sessions.service';

@Module({
  imports: [TypeOrmModule.forFeature([SessionEntity, RefreshTokenEntity])],
  providers: [SessionsService, RefreshCookie, AccessTokens, SessionAuthenticator],
  exports: [SessionsService, RefreshCookie, SessionAuthenticator],
})
export class SessionsModule {}
