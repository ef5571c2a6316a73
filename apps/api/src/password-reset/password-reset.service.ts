import { createHmac, randomUUID } from 'node:crypto';
import { HttpStatus, Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import * as argon2 from 'argon2';
import {
  PASSWORD_RESET_PATH, PASSWORD_RESET_TOKEN_INVALID, type PasswordResetRequestedResponse, type PasswordResetStatusResponse,
} from '@conduit/contracts';
import { AuthThrottle, tooManyFailures } from '../throttle/auth-throttle';
import { Clock } from '../common/clock';
import { ApiError, unprocessable } from '../common/http/errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { SecretsService } from '../config/secrets.service';
import { MailOutbox } from '../mail/mail-outbox';
import { Db } from '../database/db';
import { EventOrigin, SecurityEvents } from '../security-log/security-events.service';
import { SessionsRepository } from '../sessions/sessions.repository';
import { UsersRepository } from '../users/users.repository';
import { PasswordResetsRepository } from './password-resets.repository';

/** The outbox kind whose secret part is a reset link's token, rendered from the reset's id at send time. */
const SECRET_KIND = 'password-reset';
const HOUR_MS = 3_600_000;
/** Links of an account older than this are deleted when it asks for a new one. */
const KEEP_MS = 24 * HOUR_MS;
/** Requests looked up at the same time in one process; beyond this a request is dropped (and logged). */
const MAX_PENDING = 200;

/**
 * Forgot password. A request is answered (202) before the email is even looked up, so the answer
 * and its timing are the same whether or not an account has that email; the lookup, the link and
 * the mail happen in the background. A link's token is HMAC(key, reset id): the outbox keeps only
 * a reference to it and renders it when the mail is sent, and the database keeps only
 * HMAC(key, token), as for API tokens. A link is valid once, for PASSWORD_RESET_TTL; using it sets
 * the password, ends every session of the account and voids its other links. API tokens stay.
 *
 * Throttled per client address with the failed-authentication budget (AuthThrottle: every request
 * and every unusable link counts; IPv6 per /64), and per account: at most
 * PASSWORD_RESET_MAIL_LIMIT mails an hour, beyond which requests silently send nothing.
 */
@Injectable()
export class PasswordResetService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(PasswordResetService.name);
  private readonly pending = new Set<Promise<void>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Db,
    private readonly resets: PasswordResetsRepository,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly outbox: MailOutbox,
    private readonly secrets: SecretsService,
    private readonly clock: Clock,
    private readonly events: SecurityEvents,
    private readonly throttle: AuthThrottle,
  ) {}

  onModuleInit(): void {
    this.outbox.renderSecrets(SECRET_KIND, (resetId) => this.tokenOf(resetId));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.settled();
  }

  status(): PasswordResetStatusResponse {
    return { passwordReset: { available: this.outbox.enabled, linkValiditySeconds: this.config.passwordResetTtlSeconds } };
  }

  /** `POST /api/users/password-reset`: counts against the address, then answers; the rest happens in the background. */
  request(email: string, origin: EventOrigin): PasswordResetRequestedResponse {
    this.spend('email', origin);
    const answer = { passwordReset: { requested: true as const, linkValiditySeconds: this.config.passwordResetTtlSeconds } };
    if (!this.outbox.enabled) {
      throw new ApiError(HttpStatus.SERVICE_UNAVAILABLE, { mail: ['is not configured on this server: ask its operator to reset your password'] });
    }
    if (this.pending.size >= MAX_PENDING) {
      this.logger.warn('too many password reset requests at once: one was dropped');
      return answer;
    }
    const work = this.sendLink(email, origin)
      .catch((error: Error) => this.logger.error(`password reset request failed: ${error.message}`))
      .finally(() => this.pending.delete(work));
    this.pending.add(work);
    return answer;
  }

  /** Resolves when the requests accepted so far have been handled (shutdown, tests). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    await this.outbox.settled();
  }

  /** `POST /api/users/password-reset/complete`: the new password, once per link; every session ends. */
  async complete(token: string, password: string, origin: EventOrigin): Promise<void> {
    const retryAfter = origin.ip ? this.throttle.retryAfter(origin.ip) : null;
    if (retryAfter !== null) throw tooManyFailures('token', retryAfter);
    const tokenHash = this.hashOf(token);
    const now = this.clock.now();
    const found = await this.resets.findUsable(tokenHash, now);
    if (!found) this.refuse(origin);
    const passwordHash = await argon2.hash(password, { type: argon2.argon2id });
    const userId = await this.db.transaction(async (tx) => {
      const owner = await this.resets.use(tx, found, now);
      if (!owner) return null; // used by a concurrent request in the meantime
      await this.users.setPasswordHash(tx, owner, passwordHash, now);
      await this.resets.voidAllOf(tx, owner, now);
      await this.sessions.revokeAllAfterPasswordReset(tx, owner, now);
      return owner;
    });
    if (!userId) this.refuse(origin);
    this.events.record({ userId, type: 'account.password_reset', at: now, origin });
  }

  private async sendLink(email: string, origin: EventOrigin): Promise<void> {
    const user = await this.users.findContactByEmail(email);
    if (!user) return;
    const now = this.clock.now();
    const id = randomUUID();
    // The account's row is locked while its recent links are counted: concurrent requests (on
    // any instance) cannot both slip under the limit.
    const emailed = await this.db.transaction(async (tx) => {
      await this.users.lock(tx, user.id);
      const recent = await this.resets.countSince(tx, user.id, new Date(now.getTime() - HOUR_MS));
      if (recent >= this.config.passwordResetMailLimit) return false;
      await this.resets.deleteOlderThan(tx, user.id, new Date(now.getTime() - KEEP_MS));
      await this.resets.insert(tx, {
        id, userId: user.id, tokenHash: this.hashOf(this.tokenOf(id)), createdAt: now,
        expiresAt: new Date(now.getTime() + this.config.passwordResetTtlSeconds * 1000),
      });
      return true;
    });
    if (!emailed) {
      this.events.record({ userId: user.id, type: 'account.password_reset_requested', at: now, origin, detail: { emailed: false } });
      return;
    }
    await this.outbox.enqueueUrgent({ to: user.email, subject: 'Reset your Conduit password', text: this.mailText(user.username, id, origin) });
    this.events.record({ userId: user.id, type: 'account.password_reset_requested', at: now, origin, detail: { emailed: true } });
  }

  private mailText(username: string, resetId: string, origin: EventOrigin): string {
    const minutes = Math.round(this.config.passwordResetTtlSeconds / 60);
    const link = `${this.config.publicUrl}${PASSWORD_RESET_PATH}#token=${MailOutbox.secretPart(SECRET_KIND, resetId)}`;
    return [
      `Someone asked to reset the password of the Conduit account “${username}”${origin.ip ? ` from ${origin.ip}` : ''}.`,
      '',
      `To choose a new password, open this link within ${minutes} minutes. It works once:`,
      link,
      '',
      'A new password signs you out everywhere: every session ends. Your API tokens keep working;',
      `revoke any you no longer trust in Settings → API tokens (${this.config.publicUrl}/app/settings/api-tokens).`,
      '',
      'If you did not ask for this, ignore this email: your password stays as it is.',
    ].join('\n');
  }

  /** One unit of the address's failed-authentication budget; 429 when it is spent. */
  private spend(subject: string, origin: EventOrigin): void {
    const retryAfter = origin.ip ? this.throttle.fail(origin.ip) : null;
    if (retryAfter !== null) throw tooManyFailures(subject, retryAfter);
  }

  private refuse(origin: EventOrigin): never {
    this.spend('token', origin);
    throw unprocessable({ token: [PASSWORD_RESET_TOKEN_INVALID] });
  }

  /** The link's token: derived from the reset's id with the server key, so it is never stored. */
  private tokenOf(resetId: string): string {
    return createHmac('sha256', this.secrets.tokenHashKey).update(`password-reset:${resetId}`).digest('base64url');
  }

  private hashOf(token: string): Buffer {
    return createHmac('sha256', this.secrets.tokenHashKey).update(`password-reset-token:${token}`).digest();
  }
}
