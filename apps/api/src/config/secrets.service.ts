import { randomBytes, createSecretKey, KeyObject } from 'node:crypto';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from './config';

type SecretName = 'jwt' | 'token_hash';

/**
 * The server's secrets: the JWT signing key and the API-token hashing key.
 *
 * Deployments set JWT_SECRET and TOKEN_HASH_SECRET. When one is unset, a random one is generated
 * once and stored in the database (`server_secrets`), so that restarts and every instance on the
 * same database agree on it.
 */
@Injectable()
export class SecretsService implements OnModuleInit {
  private readonly logger = new Logger(SecretsService.name);
  private jwt?: KeyObject;
  private tokenHash?: KeyObject;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    this.jwt = createSecretKey(Buffer.from(await this.resolve('jwt', this.config.jwtSecret, 'JWT_SECRET'), 'utf8'));
    this.tokenHash = createSecretKey(
      Buffer.from(await this.resolve('token_hash', this.config.tokenHashSecret, 'TOKEN_HASH_SECRET'), 'utf8'),
    );
  }

  /** HS256 key; a KeyObject spares jsonwebtoken a failed public-key parse on every call. */
  get jwtKey(): KeyObject {
    if (!this.jwt) throw new Error('secrets not loaded');
    return this.jwt;
  }

  get tokenHashKey(): KeyObject {
    if (!this.tokenHash) throw new Error('secrets not loaded');
    return this.tokenHash;
  }

  private async resolve(name: SecretName, configured: string | undefined, envName: string): Promise<string> {
    if (configured) return configured;
    const generated = randomBytes(48).toString('base64url');
    await this.dataSource.query(
      'INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING',
      [name, generated],
    );
    const rows: Array<{ value: string }> = await this.dataSource.query(
      'SELECT value FROM server_secrets WHERE name = $1',
      [name],
    );
    this.logger.warn(
      `${envName} is not set: using a generated secret stored in the database. Set ${envName} in production.`,
    );
    return rows[0].value;
  }
}
