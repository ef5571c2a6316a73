import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type {
  ApiTokenListResponse, ApiTokenResponse, CreateApiTokenResponse, CurrentApiTokenResponse, RotateApiTokenResponse,
} from '@conduit/contracts';
import { Origin } from '../security-log/origin';
import type { EventOrigin } from '../security-log/security-events.service';
import { Access } from '../access/access.decorator';
import { CurrentPrincipal } from '../access/current-principal';
import type { Principal, TokenPrincipal } from '../access/principal';
import { NoStore } from '../common/http/no-store';
import { ApiErrors } from '../openapi/openapi';
import { ApiTokensService } from './api-tokens.service';
import {
  ApiTokenListResponseDto, ApiTokenResponseDto, CreateApiTokenResponseDto, CurrentApiTokenResponseDto, RotateApiTokenResponseDto,
} from './dto/api-token-response.dto';
import { CreateApiTokenDto } from './dto/create-api-token.dto';
import { ListApiTokensQueryDto } from './dto/list-api-tokens-query.dto';
import { RotateApiTokenDto } from './dto/rotate-api-token.dto';
import { UpdateApiTokenDto } from './dto/update-api-token.dto';

const ID = { name: 'id', format: 'uuid', description: "The token's id" };
const NOT_FOUND = "Unknown id, or another user's token";
const API_TOKEN_ONLY = 'Called with a session rather than an API token';

@ApiTags('api-tokens')
@ApiErrors({ 401: 'No, or a refused, session or token (WWW-Authenticate: Bearer)' })
@Controller('user/api-tokens')
export class ApiTokensController {
  constructor(private readonly apiTokens: ApiTokensService) {}

  @Access.sessionOnly({ recentPassword: {} })
  @NoStore()
  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an API token (session only, with a recent password). The raw token is in this response only.' })
  @ApiCreatedResponse({ type: CreateApiTokenResponseDto })
  @ApiErrors(422)
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateApiTokenDto, @Origin() origin: EventOrigin): Promise<CreateApiTokenResponse> {
    return this.apiTokens.create(principal.user.id, dto, origin);
  }

  @Access.permission('account:read')
  @Get()
  @ApiOperation({
    summary: 'Your tokens: the active ones (retiring included, marked), or with state=inactive those that ended in the last 90 days and why',
  })
  @ApiOkResponse({ type: ApiTokenListResponseDto })
  @ApiErrors(422)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListApiTokensQueryDto): Promise<ApiTokenListResponse> {
    return this.apiTokens.list(principal.user.id, query.state);
  }

  @Access.self()
  @Get('current')
  @ApiOperation({ summary: 'The API token of this request, and the client address the server sees (API token only)' })
  @ApiOkResponse({ type: CurrentApiTokenResponseDto })
  @ApiErrors({ 403: API_TOKEN_ONLY })
  current(@CurrentPrincipal() principal: TokenPrincipal): Promise<CurrentApiTokenResponse> {
    return this.apiTokens.current(principal);
  }

  @Access.self()
  @NoStore()
  @Post('current/rotate')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Rotate the API token of this request (API token only): a new secret with the same settings; the old one works until replaced.retiresAt',
    description:
      'Lets a CI job renew its own secret without a more powerful credential, never its life: the new token expires when the old one does unless ' +
      'an earlier expiresIn/expiresAt is given (a later one, or never for a token that expires, is a 422). The owner is alerted (in the app, and by email ' +
      'when SMTP is set). Revoking the old token, in any way, also revokes the new one. Responses to the old secret carry Conduit-Token-Expires-At: ' +
      '<retiresAt> until then; afterwards it is refused with 401 "has been rotated".',
  })
  @ApiCreatedResponse({ type: RotateApiTokenResponseDto })
  @ApiErrors(422, { 403: API_TOKEN_ONLY, 409: 'The token has already been rotated (it is retiring)' })
  rotateCurrent(@CurrentPrincipal() principal: TokenPrincipal, @Body() dto: RotateApiTokenDto, @Origin() origin: EventOrigin): Promise<RotateApiTokenResponse> {
    return this.apiTokens.rotateCurrent(principal, dto, origin);
  }

  @Access.sessionOnly({ recentPassword: { fields: [{ path: 'apiToken.allowedIps' }, { path: 'apiToken.permissions' }] } })
  @Patch(':id')
  @ApiOperation({
    summary: 'Edit the name, allowlist and/or permissions of a token (session only); the next request on every instance sees the change',
    description: 'Expiry and secret cannot be edited: rotate the token instead. A rename alone needs no recent password.',
  })
  @ApiParam(ID)
  @ApiOkResponse({ type: ApiTokenResponseDto })
  @ApiErrors(422, { 404: NOT_FOUND, 409: 'The token has been revoked, has expired or has been rotated (or changed by a concurrent request)' })
  update(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() dto: UpdateApiTokenDto, @Origin() origin: EventOrigin): Promise<ApiTokenResponse> {
    return this.apiTokens.update(principal.user.id, id, dto, origin);
  }

  @Access.sessionOnly({ recentPassword: {} })
  @NoStore()
  @Post(':id/rotate')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Rotate a token (session only, with a recent password): a new secret with the same name, permissions and allowlist; the old one works until replaced.retiresAt',
    description:
      "The new token's expiry is the old one's lifetime again from now unless expiresIn or expiresAt is given; Never stays Never. The raw token is in this response only. " +
      'A session whose password was proved longer ago than REAUTH_WINDOW gets 403 `errors.reauthentication` (POST /api/user/reauthenticate, then retry).',
  })
  @ApiParam(ID)
  @ApiCreatedResponse({ type: RotateApiTokenResponseDto })
  @ApiErrors(422, { 404: NOT_FOUND, 409: 'The token has been revoked, has expired, has been rotated, or is already retiring' })
  rotate(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() dto: RotateApiTokenDto, @Origin() origin: EventOrigin): Promise<RotateApiTokenResponse> {
    return this.apiTokens.rotate(principal.user.id, id, dto, origin);
  }

  @Access.self('id')
  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revoke a token: immediately and permanently. A token may revoke itself; a session any of its tokens.',
    description:
      'The tokens it rotated itself into (POST …/current/rotate, followed forward) are revoked with it; a replacement its owner made with a ' +
      "session is not. The security log's token.revoked lists them in detail.revokedWith.",
  })
  @ApiParam(ID)
  @ApiNoContentResponse({ description: 'Revoked (also when it already was)' })
  @ApiErrors({ 403: 'An API token revoking another token', 404: NOT_FOUND })
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Origin() origin: EventOrigin): Promise<void> {
    // Authorization already held a token to itself; what is left is recording who revoked.
    await this.apiTokens.revoke(principal.user.id, id, principal.kind === 'api-token' ? 'token' : 'session', origin);
  }
}
