import { ApiProperty } from '@nestjs/swagger';
import {
  API_TOKEN_REVOCATION_REASONS, API_TOKEN_STATES, PERMISSION_LEVELS, type ApiToken, type ApiTokenPermissions, type PermissionLevel, type ApiTokenInactiveReason, type ApiTokenListResponse,
  type ApiTokenResponse, type ApiTokenState, type CreateApiTokenResponse, type CurrentApiTokenResponse,
  type RecentIp, type RotateApiTokenResponse,
} from '@conduit/contracts';

/**
 * What a raw token looks like (`conduit_` + 49 base62 characters), with a checksum that fails
 * (it spells EXAMPL): the API refuses it without a lookup and secret scanners never flag the docs.
 */
export const RAW_TOKEN_EXAMPLE = 'conduit_4Xq9sT0bLmR2vWc8yZ1aE5nH7kJ3pD6fG0uI2oY8tR4EXAMPL';

/** What a token may do: all four resources, always. */
export class ApiTokenPermissionsDto implements ApiTokenPermissions {
  @ApiProperty({ enum: PERMISSION_LEVELS, example: 'read', description: 'List, feed and get articles (read); create, update, delete them (write)' })
  articles: PermissionLevel;
  @ApiProperty({ enum: PERMISSION_LEVELS, example: 'read', description: "List an article's comments (read); create, delete comments (write)" })
  comments: PermissionLevel;
  @ApiProperty({ enum: PERMISSION_LEVELS, example: 'none', description: 'Get a profile (read); follow, unfollow, favorite, unfavorite (write)' })
  social: PermissionLevel;
  @ApiProperty({ enum: PERMISSION_LEVELS, example: 'read', description: 'The current user and own API tokens (read); update username, bio, image, time zone (write)' })
  account: PermissionLevel;
}

/** One of a token's last 5 distinct client addresses. */
export class RecentIpDto implements RecentIp {
  @ApiProperty({ example: '203.0.113.7' }) ip: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-01T08:00:01.002Z', description: 'When the token was last used from it' }) lastSeenAt: string;
}

export class ApiTokenDto implements ApiToken {
  @ApiProperty({ format: 'uuid', example: '6b1f0c2e-8d4a-4f7e-9a35-2c0d1e9b7a41' }) id: string;
  @ApiProperty({ example: 'GitHub Actions, staging' }) name: string;
  @ApiProperty({ description: 'The last 4 characters of the raw token', example: '9V7m' }) hint: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-30T09:12:44.318Z' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Null: never expires', example: '2026-12-30T09:12:44.318Z' })
  expiresAt: string | null;
  @ApiProperty({ type: [String], description: 'Canonical CIDRs; empty: any source address', example: ['203.0.113.0/24'] })
  allowedIps: string[];
  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: '2026-12-01T08:00:01.002Z' }) lastUsedAt: string | null;
  @ApiProperty({ nullable: true, type: String, example: '203.0.113.7' }) lastUsedIp: string | null;
  @ApiProperty({ type: () => ApiTokenPermissionsDto, description: 'Access level per resource (none, read, write; write includes read)' })
  permissions: ApiTokenPermissionsDto;
  @ApiProperty({ type: [RecentIpDto], description: 'The last 5 distinct client addresses, most recently seen first' })
  recentIps: RecentIpDto[];
  @ApiProperty({ enum: API_TOKEN_STATES, example: 'active', description: 'active or retiring in the active list; retired, expired or revoked in the inactive one' })
  state: ApiTokenState;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Rotated tokens: when the old secret stops working', example: null })
  retiresAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Inactive tokens: when they stopped working', example: null })
  endedAt: string | null;
  @ApiProperty({
    enum: ['expired', ...API_TOKEN_REVOCATION_REASONS],
    nullable: true,
    description: 'Inactive tokens: expired; or revoked by the signed-in owner (session), by the token itself (token), retired by a rotation (rotation), by the inactivity policy (inactivity), or after a leak report (leak_report)',
    example: null,
  })
  endReason: ApiTokenInactiveReason | null;
}

export class ApiTokenResponseDto implements ApiTokenResponse {
  @ApiProperty({ type: ApiTokenDto }) apiToken: ApiTokenDto;
}

export class ApiTokenListResponseDto implements ApiTokenListResponse {
  @ApiProperty({ type: [ApiTokenDto] }) apiTokens: ApiTokenDto[];
}

export class CreateApiTokenResponseDto implements CreateApiTokenResponse {
  @ApiProperty({ type: ApiTokenDto }) apiToken: ApiTokenDto;
  @ApiProperty({ description: 'The raw token. It appears in this response only.', example: RAW_TOKEN_EXAMPLE }) token: string;
}

export class CurrentApiTokenResponseDto implements CurrentApiTokenResponse {
  @ApiProperty({ type: ApiTokenDto }) apiToken: ApiTokenDto;
  @ApiProperty({ description: 'The client address as the server sees it', example: '203.0.113.7' }) observedIp: string;
}

class ReplacedTokenDto {
  @ApiProperty({ format: 'uuid', description: 'The old token', example: '6b1f0c2e-8d4a-4f7e-9a35-2c0d1e9b7a41' }) id: string;
  @ApiProperty({ format: 'date-time', description: 'When the old secret stops working (now + overlap)', example: '2026-12-01T10:00:00.000Z' })
  retiresAt: string;
}

export class RotateApiTokenResponseDto implements RotateApiTokenResponse {
  @ApiProperty({ description: 'The new raw token. It appears in this response only.', example: RAW_TOKEN_EXAMPLE }) token: string;
  @ApiProperty({ type: ApiTokenDto, description: "The new token: the old one's name and allowlist" }) apiToken: ApiTokenDto;
  @ApiProperty({ type: ReplacedTokenDto }) replaced: ReplacedTokenDto;
}
