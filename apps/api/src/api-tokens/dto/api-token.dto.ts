import { ApiProperty } from '@nestjs/swagger';
import { API_TOKEN_STATES, PERMISSION_LEVELS, type ApiToken, type ApiTokenPermissions, type PermissionLevel, type ApiTokenListResponse, type ApiTokenState, type CreateApiTokenResponse, type CurrentApiTokenResponse } from '@conduit/contracts';

/** What a token may do: every resource, always all four keys. */
export class ApiTokenPermissionsDto implements ApiTokenPermissions {
  @ApiProperty({ enum: PERMISSION_LEVELS, example: 'read', description: 'Articles: list, feed, get (read); create, update, delete (write)' })
  articles: PermissionLevel;

  @ApiProperty({ enum: PERMISSION_LEVELS, example: 'none', description: "Comments: list an article's comments (read); create, delete (write)" })
  comments: PermissionLevel;

  @ApiProperty({ enum: PERMISSION_LEVELS, example: 'none', description: 'Social: get a profile (read); follow, unfollow, favorite, unfavorite (write)' })
  social: PermissionLevel;

  @ApiProperty({ enum: PERMISSION_LEVELS, example: 'read', description: 'Account: the current user and own API tokens (read); update the profile (write)' })
  account: PermissionLevel;
}

export class ApiTokenDto implements ApiToken {
  @ApiProperty({ format: 'uuid', example: '3f2b8c1e-5d4a-4e7b-9c2d-1a6f0e8b7c55' })
  id: string;

  @ApiProperty({ example: 'GitHub Actions, staging' })
  name: string;

  @ApiProperty({ example: 'x7Qa', description: 'The last 4 characters of the raw token, to tell tokens apart' })
  hint: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-01T09:30:00.000Z' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-12-31T09:30:00.000Z', description: 'null: never expires' })
  expiresAt: string | null;

  @ApiProperty({
    type: [String],
    example: ['203.0.113.0/24', '2001:db8::/32'],
    description: 'Canonical CIDRs the token may be used from; empty: any address',
  })
  allowedIps: string[];

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-12-02T14:05:12.000Z', description: 'Recorded about once a minute at most' })
  lastUsedAt: string | null;

  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7' })
  lastUsedIp: string | null;

  @ApiProperty({ enum: API_TOKEN_STATES, example: 'active', description: '`active` or `retiring` in the active list' })
  state: ApiTokenState;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    example: null,
    description: 'Rotated tokens: when the old secret stops working (the end of the overlap window); otherwise null',
  })
  retiresAt: string | null;

  @ApiProperty({ type: ApiTokenPermissionsDto, description: 'What the token may do; a session may do everything' })
  permissions: ApiTokenPermissionsDto;
}

export class CreateApiTokenResponseDto implements CreateApiTokenResponse {
  @ApiProperty({ type: ApiTokenDto })
  apiToken: ApiTokenDto;

  @ApiProperty({
    example: 'conduit_4uK9fQ2mZrT7wX1bN8cV3hJ6pL0sD5gY2eR9tA4kM7q1x7Qa',
    description: 'The raw token. It appears in this response only: store it now.',
  })
  token: string;
}

export class ApiTokenListResponseDto implements ApiTokenListResponse {
  @ApiProperty({ type: [ApiTokenDto], description: 'Newest first' })
  apiTokens: ApiTokenDto[];
}

export class CurrentApiTokenResponseDto implements CurrentApiTokenResponse {
  @ApiProperty({ type: ApiTokenDto })
  apiToken: ApiTokenDto;

  @ApiProperty({ example: '203.0.113.7', description: 'The client address as the server sees it' })
  observedIp: string;
}
