import { Global, Inject, Module, OnApplicationShutdown, Optional } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { MailOutbox } from './mail-outbox';
import { MailOutboxRepository } from './mail-outbox.repository';
import { Mailer } from './mailer';
import { SmtpMailer } from './smtp.mailer';

/**
 * The one mailer: the port (Mailer) with its nodemailer adapter when SMTP_URL is set, and the
 * outbox every feature queues mail through (MailOutbox.enqueue).
 */
@Global()
@Module({
  providers: [
    {
      provide: Mailer,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => (config.smtpUrl ? new SmtpMailer(config.smtpUrl, config.mailFrom) : undefined),
    },
    MailOutbox,
    MailOutboxRepository,
  ],
  exports: [MailOutbox],
})
export class MailModule implements OnApplicationShutdown {
  constructor(@Optional() @Inject(Mailer) private readonly mailer?: Mailer) {}

  async onApplicationShutdown(): Promise<void> {
    await this.mailer?.close();
  }
}
