import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SessionsModule } from '../sessions/sessions.module';
import { ThrottleModule } from '../throttle/throttle.module';
import { SignupThrottle } from './signup-throttle';
import { UserEntity } from './user.entity';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([UserEntity]), SessionsModule, ThrottleModule],
  controllers: [UsersController],
  providers: [UsersService, UsersRepository, SignupThrottle],
  exports: [UsersRepository],
})
export class UsersModule {}
