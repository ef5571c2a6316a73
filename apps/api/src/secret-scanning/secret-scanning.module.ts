import { Module } from '@nestjs/common';
import { ApiTokensModule } from '../api-tokens/api-tokens.module';
import { GitHubScanningKeys } from './github-scanning-keys';
import { SecretScanningController } from './secret-scanning.controller';
import { SecretScanningService } from './secret-scanning.service';

/** GitHub's secret scanning partner program: signed alerts revoke the tokens they name. */
@Module({
  imports: [ApiTokensModule],
  controllers: [SecretScanningController],
  providers: [GitHubScanningKeys, SecretScanningService],
})
export class SecretScanningModule {}
