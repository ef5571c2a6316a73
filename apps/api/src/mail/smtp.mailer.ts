import { Logger } from '@nestjs/common';
import nodemailer, { Transporter } from 'nodemailer';
import type { MailMessage } from './mailer';
import { Mailer } from './mailer';

/** The mailer adapter: nodemailer over SMTP (SMTP_URL), pooled connections, bounded waits. */
export class SmtpMailer extends Mailer {
  private readonly logger = new Logger(SmtpMailer.name);
  private readonly transport: Transporter;

  constructor(smtpUrl: string, private readonly from: string) {
    super();
    const url = new URL(smtpUrl);
    this.transport = nodemailer.createTransport({
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
      secure: url.protocol === 'smtps:',
      auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
      pool: true,
      maxConnections: 2,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    this.logger.log(`mail is on: SMTP ${url.hostname}:${url.port || '(default port)'}`);
  }

  async send(message: MailMessage): Promise<void> {
    await this.transport.sendMail({ from: this.from, to: message.to, subject: message.subject, text: message.text });
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
