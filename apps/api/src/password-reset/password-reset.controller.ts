import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { PasswordResetRequestedResponse, PasswordResetStatusResponse } from '@conduit/contracts';
import { Access } from '../access/access.decorator';
import { ApiErrors } from '../openapi/openapi';
import { Origin } from '../security-log/origin';
import type { EventOrigin } from '../security-log/security-events.service';
import { CompletePasswordResetDto, PasswordResetRequestDto, PasswordResetRequestedResponseDto, PasswordResetStatusResponseDto } from './dto/password-reset.dto';
import { PasswordResetService } from './password-reset.service';

@ApiTags('users')
@Controller('users/password-reset')
export class PasswordResetController {
  constructor(private readonly resets: PasswordResetService) {}

  @Access.public()
  @Get()
  @ApiOperation({ summary: 'Whether this server can send password reset links (mail configured), and how long a link is valid' })
  @ApiOkResponse({ type: PasswordResetStatusResponseDto })
  status(): PasswordResetStatusResponse {
    return this.resets.status();
  }

  @Access.public()
  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Forgot password: email a reset link',
    description:
      'Always the same 202, in the same time, whether or not the email belongs to an account: the answer never says which. ' +
      'When it does, a link valid once for PASSWORD_RESET_TTL (default 30 minutes) is emailed, at most PASSWORD_RESET_MAIL_LIMIT ' +
      '(default 3) an hour per account (further requests send nothing, silently). Every request spends one unit of the address\'s ' +
      'failed-authentication budget (AUTH_FAILURE_LIMIT per AUTH_FAILURE_WINDOW; IPv6 per /64).',
  })
  @ApiAcceptedResponse({ type: PasswordResetRequestedResponseDto, description: 'Accepted: if the email belongs to an account, a link is on its way' })
  @ApiErrors(429, { 503: 'Mail is not configured on this server (`{"errors": {"mail": [...]}}`), or the database is unavailable' })
  request(@Body() dto: PasswordResetRequestDto, @Origin() origin: EventOrigin): PasswordResetRequestedResponse {
    return this.resets.request(dto.user.email, origin);
  }

  @Access.public()
  @Post('complete')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Set a new password with the token of a reset link',
    description:
      'The link works once. Every session of the account ends (sign in again); API tokens keep working. ' +
      'An unknown, used or expired token is a 422 on `token` and counts as a failed authentication of the address.',
  })
  @ApiNoContentResponse({ description: 'The password is set; every session has ended' })
  @ApiErrors(429, 503, {
    422: 'The link cannot be used: `{"errors": {"token": ["is invalid, used or expired; ask for a new link"]}}`, or the password is not valid',
  })
  async complete(@Body() dto: CompletePasswordResetDto, @Origin() origin: EventOrigin): Promise<void> {
    await this.resets.complete(dto.passwordReset.token, dto.passwordReset.password, origin);
  }
}
