import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ID_TOKEN_TYPES, TOKEN_EXCHANGE_GRANT_TYPE } from '@conduit/contracts';
import { Access } from '../access/access.decorator';
import { ClientIpResolver } from '../common/client-ip';
import { isDatabaseUnavailable } from '../database/pg-errors';
import { trimUserAgent } from '../security-log/security-events.service';
import { OAuthErrorResponseDto, TokenExchangeResponseDto } from './dto/trust-policy-response.dto';
import { OAuthError, TokenExchangeService } from './token-exchange.service';

/** The path of the token endpoint: the form parser accepts form bodies here only. */
export const OAUTH_TOKEN_PATH = '/api/oauth/token';

@ApiTags('trust-policies')
@Controller('oauth')
export class OAuthTokenController {
  constructor(
    private readonly exchange: TokenExchangeService,
    private readonly clientIp: ClientIpResolver,
  ) {}

  @Access.public()
  @Post('token')
  @HttpCode(200)
  @ApiOperation({
    summary: 'RFC 8693 token exchange: a CI job trades its OIDC ID token for a short-lived conduit_ API token (Trusted CI)',
    description:
      '`application/x-www-form-urlencoded`; no Authorization header. The minted token has the trust policy\'s permissions, allowlist and lifetime. ' +
      'Every answer carries `Cache-Control: no-store`. Errors are in the OAuth format (`{"error", "error_description"}`): `invalid_request` ' +
      '(a missing or repeated parameter, an Authorization header, another body type), `unsupported_grant_type`, and `invalid_grant` for ' +
      'everything about the ID token or the policy: an unknown client_id and a claim mismatch get the same answer; the exact reason is in ' +
      "the policy owner's security log (`token.exchange_refused`). Refusals count against the address's failed-authentication budget " +
      '(429 with Retry-After beyond it).',
  })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['grant_type', 'subject_token', 'subject_token_type', 'client_id'],
      properties: {
        grant_type: { type: 'string', enum: [TOKEN_EXCHANGE_GRANT_TYPE] },
        subject_token: { type: 'string', description: 'The OIDC ID token (JWT) of the CI job' },
        subject_token_type: { type: 'string', enum: [...ID_TOKEN_TYPES] },
        client_id: { type: 'string', format: 'uuid', description: "The trust policy's id" },
      },
    },
  })
  @ApiOkResponse({ type: TokenExchangeResponseDto })
  @ApiBadRequestResponse({ type: OAuthErrorResponseDto })
  @ApiTooManyRequestsResponse({ type: OAuthErrorResponseDto, description: 'Too many refused exchanges from this address (Retry-After)' })
  async token(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    void reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
    try {
      if (request.headers.authorization !== undefined) {
        throw new OAuthError(400, 'invalid_request', 'send no Authorization header: the subject token is the credential');
      }
      if (!(request.body instanceof URLSearchParams)) {
        throw new OAuthError(400, 'invalid_request', 'the body must be application/x-www-form-urlencoded');
      }
      const origin = { ip: this.clientIp.resolve(request.raw), userAgent: trimUserAgent(request.headers['user-agent']) };
      const answer = await this.exchange.exchange(request.body, origin);
      void reply.status(200).send(answer);
    } catch (error) {
      if (error instanceof OAuthError) {
        void reply.status(error.status).headers(error.headers).send({ error: error.error, error_description: error.description });
      } else if (isDatabaseUnavailable(error)) {
        void reply.status(503).header('Retry-After', '5').send({ error: 'temporarily_unavailable', error_description: 'the database is unavailable; try again shortly' });
      } else {
        throw error;
      }
    }
  }
}
