import { Module } from '@nestjs/common';
import { ThrottleModule } from '../throttle/throttle.module';
import { PasswordResetController } from './password-reset.controller';
import { PasswordResetService } from './password-reset.service';

/** Forgot password: reset links by email (through the mail outbox), used once to set a new password. */
@Module({
  imports: [ThrottleModule],
  controllers: [PasswordResetController],
  providers: [PasswordResetService],
})
export class PasswordResetModule {}
