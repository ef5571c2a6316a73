import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Matches, MaxLength, ValidateIf } from 'class-validator';
import {
  SECURITY_EVENT_TYPES, SECURITY_LOG_DEFAULT_LIMIT, SECURITY_LOG_MAX_LIMIT, SecurityEvent, SecurityEventBase, SecurityEventType, SecurityLogResponse,
} from '@conduit/contracts';

const present = (field: string) => ValidateIf((o: Record<string, unknown>) => o[field] !== undefined);
const LIMIT_MESSAGE = `must be a whole number from 1 to ${SECURITY_LOG_MAX_LIMIT}`;

/** Query string of GET /api/user/security-log (strings, as they arrive). */
export class SecurityLogQueryDto {
  @ApiPropertyOptional({ description: `Events per page, 1 to ${SECURITY_LOG_MAX_LIMIT}`, default: SECURITY_LOG_DEFAULT_LIMIT, example: '50' })
  @present('limit') @IsString({ message: LIMIT_MESSAGE }) @Matches(/^(100|[1-9][0-9]?)$/, { message: LIMIT_MESSAGE })
  limit?: string;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page', example: 'MTc2NDcwMDAwMDAwMDo0Mg' })
  @present('before') @IsString({ message: 'must be the nextCursor of a previous page' })
  @MaxLength(100, { message: 'must be the nextCursor of a previous page' })
  before?: string;

  @ApiPropertyOptional({ description: 'Only the events of this token', format: 'uuid' })
  @present('tokenId') @IsString({ message: 'must be a token id' }) @IsUUID('all', { message: 'must be a token id' })
  tokenId?: string;

  @ApiPropertyOptional({ description: 'Only events of this type', enum: SECURITY_EVENT_TYPES })
  @present('type') @IsString({ message: `must be one of ${SECURITY_EVENT_TYPES.join(', ')}` })
  @IsIn(SECURITY_EVENT_TYPES, { message: `must be one of ${SECURITY_EVENT_TYPES.join(', ')}` })
  type?: SecurityEventType;
}

/** The OpenAPI shape of a SecurityEvent (whose `detail` the contract types per `type`). */
export class SecurityEventDto implements SecurityEventBase {
  @ApiProperty({ example: '42' }) id: string;
  @ApiProperty({ enum: SECURITY_EVENT_TYPES, example: 'token.refused' }) type: SecurityEventType;
  @ApiProperty({ format: 'date-time', example: '2026-12-01T10:15:30.123Z' }) createdAt: string;
  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7', description: 'The client address (as the server resolves it)' })
  ip: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'curl/8.5.0', description: 'At most 200 characters; API tokens, JWTs and secret parameters in it are replaced by [REDACTED]' }) userAgent: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) tokenId: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'GitHub Actions, staging', description: 'The token name when the event happened' })
  tokenName: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'x7Qa' }) tokenHint: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { reason: 'ip_not_allowed', count: 12, lastAt: '2026-12-01T10:16:10.000Z' },
    description:
      'Depends on `type` (the contract\'s SecurityEventDetails): `token.created`, `token.first_used`, `token.new_ip`, ' +
      '`session.signed_out`, `session.reuse_detected`, `account.password_changed`, `account.password_reset`: `{}`; ' +
      '`token.updated`: `{changed: [name | allowedIps | permissions]}`; ' +
      '`token.rotated`: `{by: session | token, replacedById, retiresAt, newHint, expiresAt (null: never)}`; ' +
      '`token.revoked`: `{by: session | token | rotation | inactivity | leak_report | policy_deleted}`, plus `revokedWith: [{id, name, hint}]` ' +
      'when tokens it had rotated itself into went with it (each also gets a `token.revoked` with `revokedWithId`), `reporter: ' +
      'github_secret_scanning`, `url`, `source` (where GitHub found it), `replacedById` (`by: rotation`, when the overlap ended), ' +
      '`policyId`, `policyName` (`by: policy_deleted`); ' +
      '`token.refused`: `{reason: ip_not_allowed | expired | revoked | rotated | insufficient_permission, count, lastAt}` (one event per token, reason and address per minute); ' +
      '`token.exchanged`: `{policyId, policyName, repository, ref, run}`; `token.exchange_refused`: `{policyId, policyName, reason}`; ' +
      '`trust_policy.created`: `{policyId, policyName, issuer}`; `trust_policy.updated`: `{policyId, policyName, changed}`; ' +
      '`trust_policy.deleted`: `{policyId, policyName, revokedTokens}`; `session.signed_in`: `{via: password | registration}`; ' +
      '`account.email_changed`: `{from, to}`; `account.password_reset_requested`: `{emailed}`',
  })
  detail: SecurityEvent['detail'];
}

export class SecurityLogResponseDto implements Omit<SecurityLogResponse, 'events'> {
  @ApiProperty({ type: [SecurityEventDto] }) events: SecurityEventDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `before` for the next page; null on the last page', example: 'MTc2NDcwMDAwMDAwMDo0Mg' })
  nextCursor: string | null;
}
