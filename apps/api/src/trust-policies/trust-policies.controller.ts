import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { TestTrustPolicyResponse, TrustPolicyListResponse, TrustPolicyResponse } from '@conduit/contracts';
import { Access } from '../access/access.decorator';
import { CurrentPrincipal } from '../access/current-principal';
import type { Principal } from '../access/principal';
import { Origin } from '../security-log/origin';
import { ApiErrors } from '../openapi/openapi';
import type { EventOrigin } from '../security-log/security-events.service';
import { CreateTrustPolicyDto, TestTrustPolicyDto, UpdateTrustPolicyDto } from './dto/trust-policy.dto';
import { TestTrustPolicyResponseDto, TrustPolicyListResponseDto, TrustPolicyResponseDto } from './dto/trust-policy-response.dto';
import { TrustPoliciesService } from './trust-policies.service';

const ID = { name: 'id', format: 'uuid', description: "The policy's id (the exchange's client_id)" };
const NOT_FOUND = "Unknown id, or another user's policy";
const INVALID = 'Invalid fields, each named: an issuer the server does not trust, conditions that pin no owner, no permission, a lifetime out of range …';

@ApiTags('trust-policies')
@ApiErrors({ 401: 'No, or a refused, session (WWW-Authenticate: Bearer)' })
@Controller('user/trust-policies')
export class TrustPoliciesController {
  constructor(private readonly trustPolicies: TrustPoliciesService) {}

  @Access.sessionOnly()
  @Get()
  @ApiOperation({ summary: 'Your trust policies (Trusted CI), each with its recent exchanges; and the issuers this server trusts' })
  @ApiOkResponse({ type: TrustPolicyListResponseDto })
  list(@CurrentPrincipal() principal: Principal): Promise<TrustPolicyListResponse> {
    return this.trustPolicies.list(principal.user.id);
  }

  @Access.sessionOnly({ recentPassword: {} })
  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create a trust policy: which CI jobs (ID tokens of a trusted issuer, with these claims) may exchange their ID token for a short-lived API token',
  })
  @ApiCreatedResponse({ type: TrustPolicyResponseDto })
  @ApiErrors({ 422: INVALID })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateTrustPolicyDto, @Origin() origin: EventOrigin): Promise<TrustPolicyResponse> {
    return this.trustPolicies.create(principal.user.id, dto, origin);
  }

  @Access.sessionOnly({ recentPassword: {} })
  @Patch(':id')
  @ApiOperation({ summary: 'Change a trust policy; tokens it already minted keep their settings, the next exchange uses the new ones' })
  @ApiParam(ID)
  @ApiOkResponse({ type: TrustPolicyResponseDto })
  @ApiErrors({ 404: NOT_FOUND, 422: INVALID })
  update(
    @CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() dto: UpdateTrustPolicyDto, @Origin() origin: EventOrigin,
  ): Promise<TrustPolicyResponse> {
    return this.trustPolicies.update(principal.user.id, id, dto, origin);
  }

  @Access.sessionOnly({ recentPassword: {} })
  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a trust policy; every live token it minted is revoked at once, on every instance' })
  @ApiParam(ID)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors({ 404: NOT_FOUND })
  async delete(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Origin() origin: EventOrigin): Promise<void> {
    await this.trustPolicies.delete(principal.user.id, id, origin);
  }

  @Access.sessionOnly()
  @Post(':id/test')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Check an ID token against a policy: each check (signature, issuer, audience, expiry, every condition, replay) with what was expected and found',
    description: 'Mints nothing and does not use the ID token up: it can still be exchanged afterwards.',
  })
  @ApiParam(ID)
  @ApiOkResponse({ type: TestTrustPolicyResponseDto })
  @ApiErrors({ 404: NOT_FOUND, 422: 'No idToken' })
  test(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() dto: TestTrustPolicyDto): Promise<TestTrustPolicyResponse> {
    return this.trustPolicies.test(principal.user.id, id, dto.idToken);
  }
}
