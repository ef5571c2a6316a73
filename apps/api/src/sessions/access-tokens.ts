import { Inject, Injectable } from '@nestjs/common';
import * as jwt from 'jsonwebtoken';
import { APP_CONFIG, AppConfig } from '../config/config';
import { SecretsService } from '../config/secrets.service';

export interface AccessTokenClaims {
  sub: string;
  sid: string;
}

/** Short-lived session access tokens (HS256 JWTs). */
@Injectable()
export class AccessTokens {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly secrets: SecretsService,
  ) {}

  sign(userId: string, sessionId: string): string {
    return jwt.sign({ sid: sessionId } satisfies Omit<AccessTokenClaims, 'sub'>, this.secrets.jwtKey, {
      algorithm: 'HS256',
      subject: userId,
      expiresIn: this.config.accessTokenTtlSeconds,
    });
  }
}
