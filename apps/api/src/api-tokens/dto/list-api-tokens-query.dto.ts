import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { API_TOKEN_LIST_STATES, INACTIVE_TOKEN_DAYS, type ApiTokenListState } from '@conduit/contracts';

export class ListApiTokensQueryDto {
  @ApiPropertyOptional({
    enum: API_TOKEN_LIST_STATES,
    default: 'active',
    description: `active: every usable token (retiring ones included), newest first. inactive: tokens that were revoked, expired or retired in the last ${INACTIVE_TOKEN_DAYS} days, most recently ended first, with when and why.`,
  })
  @IsOptional()
  @IsIn(API_TOKEN_LIST_STATES, { message: `must be one of ${API_TOKEN_LIST_STATES.join(', ')}` })
  state?: ApiTokenListState;
}
