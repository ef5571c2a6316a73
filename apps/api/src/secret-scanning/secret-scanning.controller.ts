import { Controller, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { GITHUB_KEY_IDENTIFIER_HEADER, GITHUB_KEY_SIGNATURE_HEADER, type GitHubSecretScanningFeedback } from '@conduit/contracts';
import { Access } from '../access/access.decorator';
import { ApiError, unauthorized, unprocessable } from '../common/http/errors';
import { MAX_JSON_DEPTH, nestsDeeperThan, tooDeep } from '../common/http/json-body';
import { ApiErrors } from '../openapi/openapi';
import { GitHubScanningKeys } from './github-scanning-keys';
import { ALERT_SCHEMA, GitHubSecretScanningFeedbackDto, GitHubSecretScanningMatchDto } from './secret-scanning.dto';
import { SecretScanningService } from './secret-scanning.service';

const NOT_SIGNED = 'must be GitHub\'s signature of the body (Github-Public-Key-Identifier and Github-Public-Key-Signature)';

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return typeof value === 'string' && value.length > 0 && value.length <= 1000 ? value : undefined;
}

@ApiTags('credentials')
@Controller('secret-scanning')
export class SecretScanningController {
  constructor(
    private readonly keys: GitHubScanningKeys,
    private readonly scanning: SecretScanningService,
  ) {}

  @Access.public()
  @RouteConfig({ rawBody: true })
  @Post('github')
  @HttpCode(200)
  @ApiOperation({
    summary: 'GitHub secret scanning: revoke the Conduit tokens GitHub found in public',
    description:
      'Called by GitHub (the secret scanning partner program), not by people. The body is signed: `Github-Public-Key-Signature` is the ' +
      'base64 DER ECDSA P-256 SHA-256 signature of the exact body bytes by the key `Github-Public-Key-Identifier` names, one of those ' +
      'published at GITHUB_SECRET_SCANNING_KEYS_URL. A missing, unknown or wrong signature is a 401 and nothing is revoked. Every ' +
      'reported string that is a token of this instance is revoked at once, like a leak report (`token.revoked`, `by: leak_report`, ' +
      'with `reporter: github_secret_scanning` and the `url` it was found at), and its owner gets an alert saying where it was found. ' +
      'The answer is GitHub\'s feedback format: one label per reported string, in order.',
  })
  @ApiHeader({ name: GITHUB_KEY_IDENTIFIER_HEADER, required: true, description: 'The identifier of the GitHub key that signed the body' })
  @ApiHeader({ name: GITHUB_KEY_SIGNATURE_HEADER, required: true, description: 'base64 of the DER ECDSA P-256 SHA-256 signature of the body' })
  @ApiBody({ type: [GitHubSecretScanningMatchDto] })
  @ApiOkResponse({ type: [GitHubSecretScanningFeedbackDto] })
  @ApiErrors(422, { 401: 'The signature is missing, made by an unknown key, or not of this body' })
  async github(@Req() request: FastifyRequest): Promise<GitHubSecretScanningFeedback[]> {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const identifier = header(request, GITHUB_KEY_IDENTIFIER_HEADER);
    const signature = header(request, GITHUB_KEY_SIGNATURE_HEADER);
    if (!identifier || !signature || !(await this.keys.verify(identifier, signature, body))) throw unauthorized('signature', NOT_SIGNED);

    if (nestsDeeperThan(body, MAX_JSON_DEPTH)) throw tooDeep();
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new ApiError(HttpStatus.BAD_REQUEST, { body: ['is not valid JSON'] });
    }
    const alert = ALERT_SCHEMA.safeParse(parsed);
    if (!alert.success) throw unprocessable({ body: ['must be a list of {"token", "type", "url", "source"} with string values'] });
    return this.scanning.report(alert.data);
  }
}
