import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Metrics } from '../metrics/metrics';
import { SchedulerService } from '../scheduler/scheduler.service';
import type { MailMessage } from './mailer';
import { Mailer } from './mailer';
import { MailOutboxRepository, type OutboxRow } from './mail-outbox.repository';

export const MAIL_OUTBOX_JOB = 'mail.outbox';
const BATCH = 50;
/** A claimed message belongs to its instance this long (a crash mid-send frees it after that). */
const CLAIM_SECONDS = 600;
/** Sent and given-up messages are kept this long, then deleted. */
const KEEP_DAYS = 30;

/** `{{secret:<kind>:<ref>}}` in a stored body: filled in by the kind's renderer only when the message is sent. */
const SECRET_PART = /\{\{secret:([a-z][a-z0-9-]{0,49}):([A-Za-z0-9-]{1,100})\}\}/g;

/** Turns a reference kept in the outbox into the secret text of the sent message (a throw fails this attempt). */
export type SecretRenderer = (ref: string) => string;

/**
 * Email, durably: `enqueue()` stores the message (MailOutboxRepository; inside the caller's transaction
 * when given one) and returns; the scheduler job `mail.outbox` (every 30 s, one instance at a
 * time per batch thanks to SKIP LOCKED) sends it. A failure is retried after MAIL_RETRY_DELAY,
 * doubling each time, up to MAIL_MAX_ATTEMPTS, then given up with a log line. Without SMTP_URL
 * mail is off: `enqueue()` does nothing and returns false.
 *
 * Secrets (a password reset link) are never stored in the outbox: the body holds a reference
 * (`MailOutbox.secretPart(kind, ref)`) that the kind's renderer, registered with
 * `renderSecrets()`, turns into the secret at the moment of sending (e.g. an HMAC of the
 * reference with a server key). `enqueueUrgent()` also sends the message right away (in the
 * background) instead of at the next run of the job, which still retries it if that fails.
 */
@Injectable()
export class MailOutbox implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(MailOutbox.name);
  private readonly renderers = new Map<string, SecretRenderer>();
  private readonly urgent = new Set<Promise<unknown>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: MailOutboxRepository,
    private readonly scheduler: SchedulerService,
    @Optional() private readonly mailer?: Mailer,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  /** Whether email is configured (SMTP_URL). */
  get enabled(): boolean {
    return this.mailer !== undefined;
  }

  /** A reference to a secret, for a message body: rendered when the message is sent, never stored. */
  static secretPart(kind: string, ref: string): string {
    return `{{secret:${kind}:${ref}}}`;
  }

  /** Registers how the secret parts of `kind` are rendered at send time. */
  renderSecrets(kind: string, renderer: SecretRenderer): void {
    this.renderers.set(kind, renderer);
  }

  onModuleInit(): void {
    this.metrics?.gauge({
      name: 'conduit_mail_outbox_depth',
      help: 'Emails waiting to be sent (queued or being retried), read when scraped',
      collect: async (gauge) => {
        if (!this.enabled) return gauge.set(0);
        const waiting = await this.store.countWaiting().catch(() => undefined);
        if (waiting !== undefined) gauge.set(waiting); // the database unreachable: the last value stays (and counts as a query error)
      },
    });
    if (this.enabled) this.scheduler.every(MAIL_OUTBOX_JOB, '30s', () => this.deliverDue().then(() => undefined));
  }

  /** Queues a message; with `manager`, as part of that transaction. False when mail is off. */
  async enqueue(message: MailMessage, manager?: EntityManager): Promise<boolean> {
    if (!this.enabled) return false;
    await this.store.insert(message, manager);
    return true;
  }

  /**
   * Queues a message and sends it at once in the background (a person is waiting for it); if that
   * fails, the job retries it as any other. False when mail is off.
   */
  async enqueueUrgent(message: MailMessage): Promise<boolean> {
    if (!this.enabled) return false;
    const ids = await this.store.insertReturningId(message);
    const sending = this.deliverDue(ids)
      .catch((error: Error) => this.logger.warn(`could not send mail ${ids[0]} now (the job will retry): ${error.message}`))
      .finally(() => this.urgent.delete(sending));
    this.urgent.add(sending);
    return true;
  }

  /** Resolves when the messages being sent by enqueueUrgent() are done (shutdown, tests). */
  async settled(): Promise<void> {
    await Promise.all([...this.urgent]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.settled();
  }

  /**
   * Sends what is due (the job's work; tests call it through the scheduler), or only the messages
   * `ids`. Returns how many were sent.
   */
  async deliverDue(ids?: string[]): Promise<number> {
    const mailer = this.mailer;
    if (!mailer) return 0;
    const claimed = await this.store.claimDue(BATCH, CLAIM_SECONDS, ids ?? null);
    let sent = 0;
    for (const row of claimed) {
      try {
        await mailer.send({ to: row.recipient, subject: row.subject, text: this.renderSecretParts(row.text_body) });
        await this.store.markSent(row.id);
        sent += 1;
      } catch (error) {
        await this.failed(row, error instanceof Error ? error.message : String(error));
      }
    }
    await this.store.purgeDoneOlderThan(KEEP_DAYS);
    return sent;
  }

  private renderSecretParts(text: string): string {
    return text.replace(SECRET_PART, (part, kind: string, ref: string) => {
      const render = this.renderers.get(kind);
      if (!render) throw new Error(`no renderer for the secret parts of ${kind} mail`);
      return render(ref);
    });
  }

  private async failed(row: OutboxRow, reason: string): Promise<void> {
    this.metrics?.mailSendFailures.labels(String(row.attempts >= this.config.mailMaxAttempts)).inc();
    if (row.attempts >= this.config.mailMaxAttempts) {
      await this.store.markGivenUp(row.id, reason);
      this.logger.error(`mail ${row.id} given up after ${row.attempts} attempts: ${reason}`);
      return;
    }
    const delay = this.config.mailRetryDelaySeconds * 2 ** (row.attempts - 1);
    await this.store.retryLater(row.id, delay, reason);
    this.logger.warn(`mail ${row.id} not sent (attempt ${row.attempts} of ${this.config.mailMaxAttempts}), retrying in ${delay}s: ${reason}`);
  }
}
