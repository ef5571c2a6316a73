import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { NotificationKind } from '@conduit/contracts';
import { APP_CONFIG, AppConfig } from '../config/config';
import { clientOf, composeEmail, formatInstant, tokenLabel } from '../notifications/notification-texts';
import type { MailRecipient } from '../notifications/notifications.service';
import { NotificationsService } from '../notifications/notifications.service';
import { RecordedSecurityEvent, SecurityEvents } from './security-events.service';
import { SecurityLogRepository } from './security-log.repository';

const HOUR_MS = 3_600_000;
/** Addresses a new-address alert lists by name; the rest are counted (all are in the security log). */
const LISTED_ADDRESSES = 10;

interface Alert {
  kind: NotificationKind;
  dedupeKey: string;
  /** What happened and from where; instants written by `when` (the recipient's time zone in an email, UTC in the app). */
  what: string | ((when: (at: Date) => string) => string);
  /** What to do about it. */
  todo: string;
  subject: string;
  /** A later alert with the same key replaces this one (it aggregates) instead of being dropped. */
  aggregates?: boolean;
}

/**
 * Alerts (an in-app notification, and an email when SMTP is configured) for the security events
 * that call for the owner's attention: a token used from new addresses (one alert per token and
 * clock hour, listing the addresses: a flood of addresses is one alert, and one email); refused from an address
 * its allowlist does not include (at most one alert per token per hour); a revoked or rotated-away
 * token presented again (the same); a token revoked after a leak report or for inactivity, or that
 * took the tokens it had rotated itself into with it; a token that rotated itself. They
 * follow the security log: each batch of written events is looked at once it is written, off
 * every request's path. The hourly limit is a dedupe key per token and clock hour, so it holds
 * across instances. Clients are described in our words ("curl 8.5.0"), never by the User-Agent
 * they sent, and instants in the recipient's time zone (notification-texts.ts).
 */
@Injectable()
export class SecurityAlerts implements OnModuleInit {
  private readonly logger = new Logger(SecurityAlerts.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: SecurityEvents,
    private readonly notifications: NotificationsService,
    private readonly log: SecurityLogRepository,
  ) {}

  onModuleInit(): void {
    this.events.subscribe((batch) => this.handle(batch));
  }

  private async handle(batch: RecordedSecurityEvent[]): Promise<void> {
    // New addresses aggregate per token and hour: of a batch, only the last such event of each is
    // looked at (the alert reads every address of the hour from the log, this batch's included).
    const lastNewIp = new Map<string, string>();
    for (const e of batch) if (e.type === 'token.new_ip' && e.tokenId) lastNewIp.set(`${e.tokenId}:${hourOf(e.createdAt)}`, e.id);
    for (const event of batch) {
      if (event.type === 'token.new_ip' && lastNewIp.get(`${event.tokenId}:${hourOf(event.createdAt)}`) !== event.id) continue;
      try {
        const alert = event.type === 'token.new_ip' ? await this.newAddressAlert(event) : this.alertFor(event);
        if (!alert) continue;
        const link = `${this.config.publicUrl}/app/settings/security-log?tokenId=${event.tokenId}`;
        await this.notifications.notify(event.userId, {
          kind: alert.kind,
          tokenId: event.tokenId,
          message: `${describe(alert, (at) => formatInstant(at, 'UTC'))} ${alert.todo}`,
          dedupeKey: alert.dedupeKey,
          onRepeat: alert.aggregates ? 'replace' : 'skip',
          email: (recipient: MailRecipient) => ({
            subject: alert.subject,
            text: composeEmail(recipient, [
              `${describe(alert, (at) => formatInstant(at, recipient.timezone))}\nWhen: ${formatInstant(event.createdAt, recipient.timezone)}`,
              alert.todo,
              `The token's activity: ${link}\nYour API tokens: ${this.config.publicUrl}/app/settings/api-tokens`,
            ]),
          }),
        });
      } catch (error) {
        this.logger.warn(`could not send the alert of event ${event.id}: ${(error as Error).message}`);
      }
    }
  }

  /**
   * The token's new addresses within the event's clock hour, from the log: the first one of the
   * hour creates the alert (and its email), each later one rewrites it with the whole list.
   */
  private async newAddressAlert(e: RecordedSecurityEvent): Promise<Alert | null> {
    if (!e.tokenId) return null;
    const hour = hourOf(e.createdAt);
    const { addresses, total } = await this.log.newAddressesSince(e.userId, e.tokenId, new Date(hour * HOUR_MS), LISTED_ADDRESSES);
    if (total === 0) addresses.push({ ip: e.ip ?? 'an unknown address', userAgent: e.userAgent });
    const listed = addresses.map((a) => (a.userAgent ? `${a.ip} (${clientOf(a.userAgent)})` : a.ip));
    const more = total > listed.length ? `, and ${total - listed.length} more (every one is in its activity)` : '';
    const token = `Your API token ${tokenLabel(e.tokenName, e.tokenHint)}`;
    return {
      kind: 'token_new_ip',
      dedupeKey: `token_new_ip:${e.tokenId}:${hour}`,
      aggregates: true,
      subject: `API token “${e.tokenName}” used from a new address`,
      what:
        listed.length <= 1
          ? `${token} was used from ${listed[0]}, an address it had not been used from recently.`
          : `${token} was used from ${Math.max(total, listed.length)} addresses it had not been used from recently, within the hour: ${listed.join(', ')}${more}.`,
      todo: 'If this was not you or one of your jobs, revoke the token now and create a new one.',
    };
  }

  private alertFor(e: RecordedSecurityEvent): Alert | null {
    if (!e.tokenId) return null;
    const token = `Your API token ${tokenLabel(e.tokenName, e.tokenHint)}`;
    const from = e.ip ? `from ${e.ip}` : 'from an unknown address';
    const agent = e.userAgent ? ` (${clientOf(e.userAgent)})` : '';
    const hour = hourOf(e.createdAt);
    switch (e.type) {
      case 'token.refused': {
        const count = typeof e.detail.count === 'number' && e.detail.count > 1 ? ` ${e.detail.count} times` : '';
        if (e.detail.reason === 'ip_not_allowed') {
          return {
            kind: 'token_refused_ip',
            dedupeKey: `token_refused_ip:${e.tokenId}:${hour}`,
            subject: `API token “${e.tokenName}” refused from a disallowed address`,
            what: `${token} was refused${count} ${from}${agent}: its allowlist does not include that address.`,
            todo: 'If the address is yours, add it to a new token\'s allowlist; if not, someone else has the token: revoke it now.',
          };
        }
        if (e.detail.reason === 'revoked' || e.detail.reason === 'rotated') {
          const state = e.detail.reason === 'revoked' ? 'revoked' : 'rotated away';
          return {
            kind: 'token_reused',
            dedupeKey: `token_reused:${e.tokenId}:${hour}`,
            subject: `A ${state} API token, “${e.tokenName}”, was presented again`,
            what: `${token}, which was ${state}, was presented again${count} ${from}${agent} and refused.`,
            todo:
              'Nothing got through. If a job of yours still uses it, give that job a current token; if not, someone else has a copy of it: check where it could have leaked.',
          };
        }
        return null;
      }
      case 'token.revoked': {
        // A token revoked along with another gets its alert in that other's.
        if (typeof e.detail.revokedWithId === 'string') return null;
        const went = Array.isArray(e.detail.revokedWith) ? (e.detail.revokedWith as Array<{ name?: string; hint?: string }>) : [];
        const withIt =
          went.length === 0
            ? ''
            : ` With it went ${went.length === 1 ? 'the token' : `the ${went.length} tokens`} it had rotated itself into: ` +
              `${went.map((t) => tokenLabel(t.name, t.hint)).join(', ')}.`;
        if (e.detail.by !== 'leak_report' && e.detail.by !== 'inactivity') {
          // The owner revoking a token is not news to them, unless more went with it than they named.
          if (went.length === 0) return null;
          return {
            kind: 'token_revoked',
            dedupeKey: `token_revoked:${e.tokenId}`,
            subject: `API token “${e.tokenName}” was revoked, with the tokens it had rotated itself into`,
            what: `${token} was revoked ${e.detail.by === 'token' ? 'by a request made with it' : 'from your account'}.${withIt}`,
            todo: 'Anything using those tokens now gets 401. If a job of yours rotated them, give it a new token.',
          };
        }
        const foundAt = typeof e.detail.url === 'string' ? ` at ${e.detail.url}` : '';
        const why =
          e.detail.by !== 'leak_report'
            ? 'was revoked because it had not been used for a long time'
            : e.detail.reporter === 'github_secret_scanning'
              ? `was revoked because GitHub secret scanning found it in public${foundAt}`
              : 'was revoked because someone reported finding it in public (a repository, a log or a paste)';
        return {
          kind: 'token_revoked',
          // The key the inactivity policy uses too: one alert per revoked token, whoever sends it.
          dedupeKey: `token_revoked:${e.tokenId}`,
          subject: `API token “${e.tokenName}” was revoked`,
          what: `${token} ${why}.${withIt}`,
          todo:
            e.detail.by === 'leak_report'
              ? 'Anything using it now gets 401. Create a new token, keep it out of code and logs (use your CI\'s secret store), and check its activity for uses you do not recognise.'
              : 'If a job still needs it, create a new token for that job.',
        };
      }
      case 'token.rotated': {
        if (e.detail.by !== 'token') return null;
        return {
          kind: 'token_self_rotated',
          dedupeKey: `token_self_rotated:${e.id}`,
          subject: `API token “${e.tokenName}” rotated itself`,
          what: (when) => {
            const expiresAt = typeof e.detail.expiresAt === 'string' ? `expires on ${when(new Date(e.detail.expiresAt))}` : 'never expires';
            const retiresAt = typeof e.detail.retiresAt === 'string' ? when(new Date(e.detail.retiresAt)) : 'once its overlap ends';
            return `${token} rotated itself ${from}${agent}: the new token ends in …${String(e.detail.newHint ?? '')} and ${expiresAt}; the old secret stops working ${typeof e.detail.retiresAt === 'string' ? 'on ' : ''}${retiresAt}.`;
          },
          todo: 'If this was not one of your jobs, someone has the token: revoke the old token now, and the new one goes with it.',
        };
      }
      default:
        return null;
    }
  }
}

function describe(alert: Alert, when: (at: Date) => string): string {
  return typeof alert.what === 'string' ? alert.what : alert.what(when);
}

/** The clock hour an instant falls in (hours since the epoch): alerts that are at most hourly are keyed by it. */
function hourOf(at: Date): number {
  return Math.floor(at.getTime() / HOUR_MS);
}
