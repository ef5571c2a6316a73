import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { SessionsModule } from '../sessions/sessions.module';
import { SignupThrottle } from './signup-throttle';
import { UserEntity } from './user.entity';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([UserEntity]), SessionsModule, AuthModule],
  controllers: [UsersController],
  providers: [UsersService, UsersRepository, SignupThrottle],
  exports: [UsersRepository],
})
export class UsersModule {}
