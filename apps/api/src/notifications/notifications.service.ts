import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { NOTIFICATIONS_PAGE_SIZE, NotificationKind, NotificationListResponse } from '@conduit/contracts';
import { Clock } from '../common/clock';
import { unprocessable } from '../common/http/errors';
import { MailOutbox } from '../mail/mail-outbox';
import type { MailMessage } from '../mail/mailer';
import { toNotification } from './notification.mapper';
import { NotificationsRepository } from './notifications.repository';
import { MarkNotificationsReadDto } from './dto/notification.dto';

/** Who a notification's email goes to, for composing it (time zone for dates). */
export interface MailRecipient {
  email: string;
  username: string;
  timezone: string;
}

export interface NotifyInput {
  kind: NotificationKind;
  /** The API token it is about, if any. */
  tokenId?: string | null;
  /** The sentence shown in the app. */
  message: string;
  /**
   * Makes the call idempotent: a second notify() with the same key (from any instance, at any
   * time) creates nothing and sends nothing. E.g. `token_expiring:<tokenId>:7d`.
   */
  dedupeKey?: string;
  /**
   * What a repeat of the dedupe key does: `skip` (the default) nothing; `replace` puts this
   * message in place of the earlier one and brings it back, unread, to the top, without another
   * email (an alert that aggregates, e.g. the new addresses of a token within an hour).
   */
  onRepeat?: 'skip' | 'replace';
  /** The email that goes with it when SMTP is configured (composed for the recipient). */
  email?: (recipient: MailRecipient) => Omit<MailMessage, 'to'>;
}

/**
 * In-app notifications, and the email that goes with each one when mail is on.
 *
 *   await notifications.notify(userId, { kind: 'token_expiring', tokenId, message, dedupeKey, email: (r) => ({ subject, text }) });
 *
 * The notification and its queued email are written in one transaction (or in the caller's,
 * with `manager`), so a notification never exists without its email nor the other way round.
 */
@Injectable()
export class NotificationsService {
  private readonly logger = new Logger(NotificationsService.name);

  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly outbox: MailOutbox,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Creates the notification unless its dedupe key was used before (see `onRepeat`). True when it was created. */
  async notify(userId: string, input: NotifyInput, manager?: EntityManager): Promise<boolean> {
    const write = async (m: EntityManager) => {
      const recipient = await this.notifications.insertOnce(
        {
          userId,
          kind: input.kind,
          tokenId: input.tokenId ?? null,
          message: input.message,
          dedupeKey: input.dedupeKey ?? null,
          createdAt: this.clock.now(),
        },
        m,
        input.onRepeat === 'replace',
      );
      if (!recipient) return false;
      if (input.email && this.outbox.enabled) {
        await this.outbox.enqueue({ to: recipient.email, ...input.email(recipient) }, m);
      }
      return true;
    };
    const created = manager ? await write(manager) : await this.dataSource.transaction(write);
    if (created) this.logger.debug(`notification ${input.kind} for user ${userId}`);
    return created;
  }

  async list(userId: string): Promise<NotificationListResponse> {
    const { notifications, unreadCount } = await this.notifications.listWithUnreadCount(userId, NOTIFICATIONS_PAGE_SIZE);
    return { notifications: notifications.map(toNotification), unreadCount };
  }

  async markRead(userId: string, dto: MarkNotificationsReadDto): Promise<void> {
    const hasIds = dto.ids !== undefined;
    const hasAll = dto.all !== undefined;
    if (hasIds === hasAll) {
      throw unprocessable({ [hasIds ? 'all' : 'ids']: [hasIds ? 'cannot be combined with ids; send one of them' : 'send ids (a list of notification ids) or all: true'] });
    }
    await this.notifications.markRead(userId, hasAll ? 'all' : [...new Set(dto.ids)], this.clock.now());
  }
}
