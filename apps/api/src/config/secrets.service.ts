import { createSecretKey, KeyObject } from 'node:crypto';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, SECRET_HINT } from './config';
import { loadOrCreateSecrets, SecretName, StoredSecrets } from './secrets-file';

const ENV_NAMES: Record<SecretName, string> = { jwt: 'JWT_SECRET', token_hash: 'TOKEN_HASH_SECRET' };

/**
 * The server's secrets: the JWT signing key and the API-token hashing key.
 *
 * Deployments set JWT_SECRET and TOKEN_HASH_SECRET (required in production with an external
 * database). When one is unset, it is generated once and kept in `DATA_DIR/secrets.json`
 * (mode 0600), not in the database: a dump of the database alone must not be enough to confirm
 * leaked tokens or forge sessions. Keys that older versions stored in the `server_secrets` table
 * are moved into the file and deleted from the table.
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
    const configured: StoredSecrets = { jwt: this.config.jwtSecret, token_hash: this.config.tokenHashSecret };
    const needed = (['jwt', 'token_hash'] as const).filter((name) => !configured[name]);
    const generated = needed.length > 0 ? await this.generated(needed) : {};
    // A configured key always wins over one the file may also hold.
    const jwt = configured.jwt ?? generated.jwt;
    const tokenHash = configured.token_hash ?? generated.token_hash;
    this.jwt = createSecretKey(Buffer.from(jwt!, 'utf8'));
    this.tokenHash = createSecretKey(Buffer.from(tokenHash!, 'utf8'));
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

  private async generated(needed: SecretName[]): Promise<StoredSecrets> {
    const rows: Array<{ name: SecretName; value: string }> = await this.dataSource.query(
      'SELECT name, value FROM server_secrets WHERE name = ANY($1)',
      [needed],
    );
    const legacy = Object.fromEntries(rows.map((r) => [r.name, r.value])) as StoredSecrets;
    const { secrets, file, written, fixedMode } = loadOrCreateSecrets(this.config.dataDir, needed, legacy);
    if (rows.length > 0) {
      // Only once the file holds them: from now on the database does not.
      await this.dataSource.query('DELETE FROM server_secrets WHERE name = ANY($1)', [rows.map((r) => r.name)]);
      this.logger.warn(`moved ${rows.map((r) => ENV_NAMES[r.name]).join(' and ')} from the database to ${file}`);
    }
    if (fixedMode) this.logger.warn(`${file} was readable by other users: its mode is now 0600`);
    const names = needed.map((name) => ENV_NAMES[name]).join(' and ');
    this.logger.warn(
      `${names} ${needed.length > 1 ? 'are' : 'is'} not set: using generated keys ${written ? 'written to' : 'from'} ${file} ` +
        `(readable by this user only). To set them yourself, ${SECRET_HINT}.`,
    );
    return secrets;
  }
}
