import { Global, Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { OriginPipe } from './origin';
import { SecurityAlerts } from './security-alerts';
import { SecurityEvents } from './security-events.service';
import { SecurityLogController } from './security-log.controller';
import { SecurityLogRetention } from './security-log-retention';
import { SecurityLogRepository } from './security-log.repository';
import { SecurityLogService } from './security-log.service';
import { TokenRefusals } from './token-refusals';

/** The security log: the one events service (global: every feature reports to it), its endpoint and retention. */
@Global()
@Module({
  imports: [NotificationsModule],
  controllers: [SecurityLogController],
  providers: [SecurityEvents, TokenRefusals, SecurityLogService, SecurityLogRepository, SecurityLogRetention, SecurityAlerts, OriginPipe],
  exports: [SecurityEvents, TokenRefusals, OriginPipe],
})
export class SecurityLogModule {}
