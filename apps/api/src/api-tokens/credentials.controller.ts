import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RevokeCredentialsResponse } from '@conduit/contracts';
import { Access } from '../access/access.decorator';
import { ApiErrors } from '../openapi/openapi';
import { ApiTokensService } from './api-tokens.service';
import { RevokeCredentialsDto, RevokeCredentialsResponseDto } from './dto/revoke-credentials.dto';
import { LeakReportThrottle } from './leak-report.throttle';

@ApiTags('credentials')
@Controller('credentials')
export class CredentialsController {
  constructor(private readonly apiTokens: ApiTokensService) {}

  @Access.public()
  @UseGuards(LeakReportThrottle)
  @Post('revoke')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Report leaked API tokens: every valid active one is revoked at once (no authentication)',
    description:
      'For whoever finds a Conduit token where it should not be (a public repository, a log, a paste). No authentication; an ' +
      'Authorization header is ignored. The answer is the same whatever the list holds, so it tells nothing about the tokens. ' +
      'Each revoked token\'s owner sees a `token.revoked` event (`by: leak_report`) and gets an alert. ' +
      'Throttled per client address (LEAK_REPORT_LIMIT per LEAK_REPORT_WINDOW, default 60 an hour).',
  })
  @ApiAcceptedResponse({ type: RevokeCredentialsResponseDto })
  @ApiErrors({
    400: 'The body is not JSON',
    422: '`credentials` missing, not a list of strings, empty or longer than 100',
    429: 'Too many reports from this address; see Retry-After',
  })
  async revoke(@Body() dto: RevokeCredentialsDto): Promise<RevokeCredentialsResponse> {
    await this.apiTokens.revokeReported(dto.credentials);
    return { received: dto.credentials.length };
  }
}
