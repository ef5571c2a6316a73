import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module';
import { ThrottleModule } from '../throttle/throttle.module';
import { UsersModule } from '../users/users.module';
import { PasswordResetController } from './password-reset.controller';
import { PasswordResetService } from './password-reset.service';
import { PasswordResetsRepository } from './password-resets.repository';

/** Forgot password: reset links by email (through the mail outbox), used once to set a new password. */
@Module({
  imports: [ThrottleModule, UsersModule, SessionsModule],
  controllers: [PasswordResetController],
  providers: [PasswordResetService, PasswordResetsRepository],
})
export class PasswordResetModule {}
