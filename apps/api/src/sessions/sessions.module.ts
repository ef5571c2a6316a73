import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessTokens } from './access-tokens';
import { RefreshCookie } from './refresh-cookie';
import { RefreshTokenEntity } from './refresh-token.entity';
import { SessionEntity } from './session.entity';
import { SessionAuthenticator } from './session-authenticator';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

@Module({
  imports: [TypeOrmModule.forFeature([SessionEntity, RefreshTokenEntity])],
  providers: [SessionsService, SessionsRepository, RefreshCookie, AccessTokens, SessionAuthenticator],
  exports: [SessionsService, SessionsRepository, RefreshCookie, SessionAuthenticator],
})
export class SessionsModule {}
