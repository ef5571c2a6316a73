/** One email. Plain text only: short, accessible, nothing to render or sanitise. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * The mailer port: delivers one message now or throws. Features do not call it directly: they
 * queue mail with MailOutbox.enqueue(), which retries through the scheduler.
 */
export abstract class Mailer {
  abstract send(message: MailMessage): Promise<void>;
  abstract close(): Promise<void>;
}
