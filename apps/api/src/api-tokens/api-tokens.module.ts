import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AllowlistCache } from './allowlist-cache';
import { ApiTokenEntity } from './api-token.entity';
import { ApiTokensController } from './api-tokens.controller';
import { ApiTokensRepository } from './api-tokens.repository';
import { ApiTokensService } from './api-tokens.service';
import { LastUsedTracker } from './last-used.tracker';

@Module({
  imports: [TypeOrmModule.forFeature([ApiTokenEntity])],
  controllers: [ApiTokensController],
  providers: [ApiTokensService, ApiTokensRepository, AllowlistCache, LastUsedTracker],
  exports: [AllowlistCache, LastUsedTracker],
})
export class ApiTokensModule {}
