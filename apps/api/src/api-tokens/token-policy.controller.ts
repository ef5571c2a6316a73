import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { API_TOKEN_EXPIRY_PRESETS, type ApiTokenExpiryPreset, type TokenPolicy, type TokenPolicyResponse } from '@conduit/contracts';
import { Access } from '../access/access.decorator';
import { Clock } from '../common/clock';
import { ApiErrors } from '../openapi/openapi';
import { TokenPolicyService } from './token-policy';

class TokenPolicyDto implements TokenPolicy {
  @ApiProperty({ type: Number, nullable: true, example: 7776000, description: 'TOKEN_MAX_LIFETIME in seconds; null: no limit (Never allowed)' })
  maxLifetimeSeconds: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 7776000, description: 'TOKEN_INACTIVITY_REVOKE in seconds; null: tokens are never revoked for inactivity' })
  inactivityRevokeSeconds: number | null;

  @ApiProperty({ enum: API_TOKEN_EXPIRY_PRESETS, isArray: true, example: ['7d', '30d', '60d', '90d'], description: 'The expiry presets the limit allows' })
  allowedExpiryPresets: ApiTokenExpiryPreset[];
}

class TokenPolicyResponseDto implements TokenPolicyResponse {
  @ApiProperty({ type: TokenPolicyDto })
  tokenPolicy: TokenPolicyDto;
}

@ApiTags('api-tokens')
@Controller('token-policy')
export class TokenPolicyController {
  constructor(private readonly policy: TokenPolicyService, private readonly clock: Clock) {}

  @Access.permission('account:read')
  @Get()
  @ApiOperation({ summary: "The server's API token policy: maximum lifetime and inactivity revocation" })
  @ApiOkResponse({ type: TokenPolicyResponseDto })
  @ApiErrors({ 401: 'No or a bad credential' })
  get(): TokenPolicyResponse {
    return { tokenPolicy: this.policy.describe(this.clock.now()) };
  }
}
