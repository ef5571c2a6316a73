import { describeClient } from '@conduit/contracts';
import type { MailRecipient } from './notifications.service';

/**
 * The words every notification and email share, in one place: how an instant is written (in the
 * recipient's time zone), how a client is described, and the frame of every email.
 */

/** "Tuesday 8 December 2026 at 09:00 (Europe/Paris)": an instant in the recipient's time zone (UTC when it is unknown). */
export function formatInstant(at: Date, timeZone: string): string {
  let zone = timeZone;
  let text: string;
  try {
    text = new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeStyle: 'short', timeZone: zone }).format(at);
  } catch {
    zone = 'UTC';
    text = new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeStyle: 'short', timeZone: zone }).format(at);
  }
  return `${text.replace(/,/g, '')} (${zone})`;
}

/**
 * The client that sent a request, in our words ("curl 8.5.0", "Chrome on Linux"): never the
 * User-Agent itself, which whoever sends the request chooses (a link in it would reach the
 * owner's inbox looking like ours).
 */
export function clientOf(userAgent: string): string {
  // Without the describer's own parentheses ("Python (requests)"), as the texts put it in theirs.
  return describeClient(userAgent)?.replace(/ \((.+)\)$/, ' $1') ?? 'an unrecognised client';
}

/** A token as the texts name it: “deploy bot” (…a1b2). */
export function tokenLabel(name: string | null | undefined, hint: string | null | undefined): string {
  return `“${name ?? 'unnamed'}” (…${hint ?? ''})`;
}

/**
 * Every email's frame: the greeting, the paragraphs (a paragraph may hold several lines, e.g. a
 * sentence and its link), the signature.
 */
export function composeEmail(recipient: Pick<MailRecipient, 'username'>, paragraphs: string[]): string {
  return [`Hello ${recipient.username},`, ...paragraphs, '— Conduit', ''].join('\n\n').replace(/\n\n$/, '\n');
}
