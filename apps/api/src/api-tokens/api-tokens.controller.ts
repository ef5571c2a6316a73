import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ApiTokenListResponse, CreateApiTokenResponse, CurrentApiTokenResponse } from '@conduit/contracts';
import { Origin } from '../security-log/origin';
import type { EventOrigin } from '../security-log/security-events.service';
import { Access } from '../auth/decorators/access.decorator';
import { CurrentPrincipal } from '../auth/decorators/auth.decorators';
import type { Principal, TokenPrincipal } from '../auth/principal';
import { ApiTokensService } from './api-tokens.service';
import { CreateApiTokenDto } from './dto/create-api-token.dto';

@ApiTags('api-tokens')
@Controller('user/api-tokens')
export class ApiTokensController {
  constructor(private readonly apiTokens: ApiTokensService) {}

  @Access.sessionOnly()
  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an API token (session only). The raw token is in this response only.' })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateApiTokenDto, @Origin() origin: EventOrigin): Promise<CreateApiTokenResponse> {
    return this.apiTokens.create(principal.user.id, dto, origin);
  }

  @Access.permission('account:read')
  @Get()
  @ApiOperation({ summary: 'Active tokens (neither revoked nor expired), newest first' })
  list(@CurrentPrincipal() principal: Principal): Promise<ApiTokenListResponse> {
    return this.apiTokens.list(principal.user.id);
  }

  @Access.self()
  @Get('current')
  @ApiOperation({ summary: 'The API token of this request, and the client address the server sees (API token only)' })
  current(@CurrentPrincipal() principal: TokenPrincipal): Promise<CurrentApiTokenResponse> {
    return this.apiTokens.current(principal);
  }

  @Access.self('id')
  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a token: immediately and permanently. A token may revoke itself; a session any of its tokens.' })
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Origin() origin: EventOrigin): Promise<void> {
    // Authorization already held a token to itself; what is left is recording who revoked.
    await this.apiTokens.revoke(principal.user.id, id, principal.kind === 'api-token' ? 'token' : 'session', origin);
  }
}
