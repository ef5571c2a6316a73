import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { SecurityLogResponse } from '@conduit/contracts';
import { Access } from '../access/access.decorator';
import { CurrentPrincipal } from '../access/current-principal';
import type { Principal } from '../access/principal';
import { ApiErrors } from '../openapi/openapi';
import { SecurityLogQueryDto, SecurityLogResponseDto } from './dto/security-log.dto';
import { SecurityLogService } from './security-log.service';

@ApiTags('security-log')
@Controller('user/security-log')
export class SecurityLogController {
  constructor(private readonly securityLog: SecurityLogService) {}

  @Access.sessionOnly()
  @Get()
  @ApiOperation({
    summary: 'The security log of the account (session only), newest first',
    description:
      'Sign-ins and sign-outs, password and email changes, token creation, changes, revocation, first use, use from a new address, ' +
      'and refusals of a known token (aggregated per token, reason and address per minute). Keyset pagination: pass `nextCursor` as `before`. ' +
      'Events are kept for SECURITY_LOG_RETENTION (default 90 days).',
  })
  @ApiOkResponse({ type: SecurityLogResponseDto })
  @ApiErrors({
    401: 'No valid credentials',
    403: 'Called with an API token (session only)',
    422: 'A bad parameter, named: `{"errors":{"limit":["must be a whole number from 1 to 100"]}}`',
  })
  list(@CurrentPrincipal() principal: Principal, @Query() query: SecurityLogQueryDto): Promise<SecurityLogResponse> {
    return this.securityLog.list(principal.user.id, query);
  }
}
