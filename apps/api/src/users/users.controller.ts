import { Body, Controller, Delete, Get, HttpCode, Post, Put, Req, Res, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UserResponse } from '@conduit/contracts';
import { Access } from '../access/access.decorator';
import { CurrentPrincipal } from '../access/current-principal';
import type { Principal, SessionPrincipal } from '../access/principal';
import { Origin } from '../security-log/origin';
import type { EventOrigin } from '../security-log/security-events.service';
import { RefreshCookie } from '../sessions/refresh-cookie';
import { SessionsService } from '../sessions/sessions.service';
import { ApiErrors } from '../openapi/openapi';
import { NoStore } from '../common/http/no-store';
import { DeleteUserDto, LoginUserDto, NewUserDto, ReauthenticateDto, UpdateUserDto, UserResponseDto } from './dto/user.dto';
import { SignupThrottle } from './signup-throttle';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller()
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly cookie: RefreshCookie,
  ) {}

  @Access.public()
  @UseGuards(SignupThrottle)
  @NoStore()
  @Post('users')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Register; starts a session (access token in the body, refresh token in a cookie)',
    description: 'Throttled per client address (IPv6: per /64), every attempt counted: SIGNUP_LIMIT per SIGNUP_WINDOW (default 100 an hour); beyond it 429 with Retry-After.',
  })
  @ApiCreatedResponse({ type: UserResponseDto })
  @ApiErrors(409, 429, 503)
  async register(@Body() dto: NewUserDto, @Origin() origin: EventOrigin, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<UserResponse> {
    const { response, session } = await this.users.register(dto, origin);
    this.cookie.set(req, reply, session);
    return response;
  }

  @Access.public()
  @NoStore()
  @Post('users/login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in; starts a session' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiErrors(401, 429, 503)
  async login(@Body() dto: LoginUserDto, @Origin() origin: EventOrigin, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<UserResponse> {
    const { response, session } = await this.users.login(dto, origin);
    this.cookie.set(req, reply, session);
    return response;
  }

  @Access.public()
  @NoStore()
  @Post('users/refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'Renew the access token with the refresh cookie (which rotates; a reused one ends the session)' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiErrors(401, 503)
  async refresh(@Origin() origin: EventOrigin, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<UserResponse> {
    try {
      const { response, session } = await this.users.refresh(this.cookie.read(req), origin);
      this.cookie.set(req, reply, session);
      return response;
    } catch (error) {
      this.cookie.clear(req, reply);
      throw error;
    }
  }

  @Access.optional(null)
  @Post('users/logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out: ends the session of the refresh cookie (and of the access token, if sent)' })
  @ApiNoContentResponse({ description: 'Signed out; the refresh cookie is cleared' })
  async logout(
    @CurrentPrincipal() principal: Principal | undefined,
    @Origin() origin: EventOrigin,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const raw = this.cookie.read(req);
    if (raw) await this.sessions.endByRefresh(raw, origin);
    if (principal?.kind === 'session') await this.sessions.end(principal.sessionId, origin);
    this.cookie.clear(req, reply);
  }

  @Access.permission('account:read')
  @NoStore()
  @Get('user')
  @ApiOperation({ summary: 'The current user (`token` is null when called with an API token)' })
  @ApiOkResponse({ type: UserResponseDto })
  current(@CurrentPrincipal() principal: Principal): UserResponse {
    return this.users.current(principal);
  }

  @Access.sessionOnly()
  @Post('user/reauthenticate')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Confirm the password of this session (session only)',
    description:
      'Allows the sensitive actions (changing the email or password, creating an API token, editing a token\'s ' +
      'allowlist or permissions) for the next REAUTH_WINDOW (default 10 minutes), as a fresh sign-in does.',
  })
  @ApiNoContentResponse({ description: 'Confirmed' })
  @ApiErrors({ 422: 'Wrong or missing password: `{"errors": {"password": ["is incorrect"]}}`' })
  async reauthenticate(@CurrentPrincipal() principal: SessionPrincipal, @Body() dto: ReauthenticateDto, @Origin() origin: EventOrigin): Promise<void> {
    await this.users.reauthenticate(principal, dto.password, origin);
  }

  @Access.permission('account:write', {
    sessionOnlyFields: ['user.email', 'user.password'],
    recentPassword: { fields: [{ path: 'user.email', unlessEqualTo: 'email' }, { path: 'user.password' }], orField: 'user.currentPassword' },
  })
  @NoStore()
  @Put('user')
  @ApiOperation({ summary: 'Update the current user; email and password changes need a session. A password change ends the other sessions.' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiErrors(403, 409)
  update(@CurrentPrincipal() principal: Principal, @Body() dto: UpdateUserDto, @Origin() origin: EventOrigin): Promise<UserResponse> {
    return this.users.update(principal, dto, origin);
  }

  @Access.sessionOnly()
  @Delete('user')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete the account and everything it owns; confirm with the current password' })
  @ApiNoContentResponse({ description: 'Deleted; the refresh cookie is cleared' })
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: DeleteUserDto,
    @Origin() origin: EventOrigin,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    await this.users.delete(principal, dto.user.password, origin);
    this.cookie.clear(req, reply);
  }
}
