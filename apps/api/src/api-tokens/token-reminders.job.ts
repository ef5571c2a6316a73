import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { describeDuration } from '@conduit/contracts';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config/config';
import { composeEmail, formatInstant, tokenLabel } from '../notifications/notification-texts';
import type { MailRecipient } from '../notifications/notifications.service';
import { NotificationsService } from '../notifications/notifications.service';
import { SchedulerService } from '../scheduler/scheduler.service';
import { SecurityEvents } from '../security-log/security-events.service';
import { ApiTokensService } from './api-tokens.service';
import { TokenPolicyService } from './token-policy';
import { ApiTokensRepository, ExpiryThreshold, ReminderCandidate } from './api-tokens.repository';

/** Notification dedupe keys: one notification per token and threshold, ever. */
export const reminderKeys = {
  expiry: (tokenId: string, threshold: ExpiryThreshold) => `${threshold === 'expired' ? 'token_expired' : 'token_expiring'}:${tokenId}:${threshold}`,
  /** Per last use: a token used again after a warning gets a new warning when it idles again. */
  inactive: (tokenId: string, since: Date) => `token_inactive:${tokenId}:${since.getTime()}`,
  revoked: (tokenId: string) => `token_revoked:${tokenId}`,
};

export const TOKEN_REMINDERS_JOB = 'api-tokens.reminders';

const quoteName = (t: Pick<ReminderCandidate, 'name' | 'hint'>) => tokenLabel(t.name, t.hint);

/**
 * Every minute (once across instances, through the scheduler): the security log's `token.revoked`
 * (`by: "rotation"`) for each rotated token whose overlap has ended; a notification, and an email
 * when SMTP is set, 7 days and 1 day before a token expires and when it has; with
 * TOKEN_INACTIVITY_REVOKE, a warning 7 days before a token is revoked for inactivity, then the
 * revocation (reason `inactivity`) with its notification. Each is once per token and threshold:
 * the notification's dedupe key makes a repeat a no-op, whichever instance runs it.
 */
@Injectable()
export class TokenRemindersJob implements OnModuleInit {
  private readonly logger = new Logger(TokenRemindersJob.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly scheduler: SchedulerService,
    private readonly reminders: ApiTokensRepository,
    private readonly notifications: NotificationsService,
    private readonly policy: TokenPolicyService,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly apiTokens: ApiTokensService,
    private readonly events: SecurityEvents,
  ) {}

  onModuleInit(): void {
    this.scheduler.every(TOKEN_REMINDERS_JOB, '1m', () => this.run());
  }

  async run(): Promise<void> {
    const now = this.clock.now();
    // A rotation's overlap that ended: the old token's end, at the moment it ended.
    for (const t of await this.reminders.claimEndedOverlaps(now)) {
      this.events.record({
        userId: t.userId, type: 'token.revoked', at: t.retiresAt, token: t, detail: { by: 'rotation', replacedById: t.replacedById },
      });
    }
    for (const threshold of ['expired', '1d', '7d'] as const) {
      for (const token of await this.reminders.dueForExpiry(threshold, now)) await this.remindExpiry(token, threshold);
    }
    const inactivity = this.policy.inactivityRevokeSeconds;
    if (inactivity !== null) {
      for (const id of await this.reminders.inactiveIds(inactivity, now)) await this.revokeInactive(id, inactivity, now);
      for (const token of await this.reminders.dueForInactivityWarning(inactivity, now)) await this.warnInactive(token, inactivity);
    }
  }

  private link(): string {
    return `${this.config.publicUrl}/app/settings/api-tokens`;
  }

  private async remindExpiry(token: ReminderCandidate, threshold: ExpiryThreshold): Promise<void> {
    const when = formatInstant(token.at, token.timezone);
    const expired = threshold === 'expired';
    const inWords = threshold === '7d' ? 'in 7 days' : 'in 1 day';
    const message = expired
      ? `Your API token ${quoteName(token)} expired on ${when}. Requests with it are refused; create a new token to replace it.`
      : `Your API token ${quoteName(token)} expires ${inWords}, on ${when}. Create or rotate a token before then and update wherever it is used.`;
    await this.notifications.notify(token.userId, {
      kind: expired ? 'token_expired' : 'token_expiring',
      tokenId: token.id,
      message,
      dedupeKey: reminderKeys.expiry(token.id, threshold),
      email: (r) => ({
        subject: expired ? `Your Conduit API token “${token.name}” has expired` : `Your Conduit API token “${token.name}” expires ${inWords}`,
        text: this.mailText(r, [
          expired
            ? `Your API token ${quoteName(token)} expired on ${formatInstant(token.at, r.timezone)}.`
            : `Your API token ${quoteName(token)} expires on ${formatInstant(token.at, r.timezone)}, ${inWords}.`,
          expired
            ? 'Requests that use it are now refused. Create a new token and put it wherever the old one was used:'
            : 'Create a new token (or rotate this one) before then and put it wherever this one is used:',
        ]),
      }),
    });
  }

  private async warnInactive(token: ReminderCandidate, inactivity: number): Promise<void> {
    const idle = describeDuration(inactivity);
    await this.notifications.notify(token.userId, {
      kind: 'token_inactive',
      tokenId: token.id,
      message: `Your API token ${quoteName(token)} has not been used for a while and will be revoked on ${formatInstant(token.at, token.timezone)} (tokens unused for ${idle} are revoked). Use it before then to keep it.`,
      dedupeKey: reminderKeys.inactive(token.id, token.since),
      email: (r) => ({
        subject: `Your Conduit API token “${token.name}” will be revoked for inactivity`,
        text: this.mailText(r, [
          `Your API token ${quoteName(token)} will be revoked on ${formatInstant(token.at, r.timezone)}: on this server, tokens unused for ${idle} are revoked.`,
          'If it is still needed, use it before then. Your tokens:',
        ]),
      }),
    });
  }

  /** The revocation and its notification in one transaction: neither without the other. */
  private async revokeInactive(id: string, inactivity: number, now: Date): Promise<void> {
    const idle = describeDuration(inactivity);
    const revoked = await this.dataSource.transaction(async (manager) => {
      const token = await this.reminders.revokeIfInactive(manager, id, inactivity, now);
      if (!token) return null;
      // What it had rotated itself into goes with it (the same step as every revocation).
      const went = (await this.apiTokens.revokeWithLineage([token], [token.id], 'inactivity', now, { manager })).get(token.id) ?? [];
      const withIt = went.length === 0 ? '' : ` With it went the tokens it had rotated itself into: ${went.map((t) => quoteName({ ...token, ...t })).join(', ')}.`;
      await this.notifications.notify(
        token.userId,
        {
          kind: 'token_revoked',
          tokenId: token.id,
          message: `Your API token ${quoteName(token)} was revoked on ${formatInstant(now, token.timezone)} because it had not been used for ${idle}.${withIt}`,
          dedupeKey: reminderKeys.revoked(token.id),
          email: (r) => ({
            subject: `Your Conduit API token “${token.name}” was revoked for inactivity`,
            text: this.mailText(r, [
              `Your API token ${quoteName(token)} was revoked on ${formatInstant(now, r.timezone)} because it had not been used for ${idle}.${withIt}`,
              'Requests that use it are now refused. If it is still needed, create a new token:',
            ]),
          }),
        },
        manager,
      );
      return token;
    });
    if (revoked) this.logger.log(`API token ${revoked.id} revoked for inactivity (unused for ${idle})`);
  }

  private mailText(r: MailRecipient, paragraphs: string[]): string {
    return composeEmail(r, [paragraphs[0], `${paragraphs[1]}\n${this.link()}`]);
  }
}
