import { ApiProperty } from '@nestjs/swagger';
import {
  ACCESS_TOKEN_TYPE, type OAuthErrorCode, type OAuthErrorResponse, type TestTrustPolicyResponse, type TokenExchangeResponse, type TrustPolicy,
  type TrustPolicyCheck, type TrustPolicyExchange, type TrustPolicyListResponse, type TrustPolicyResponse,
} from '@conduit/contracts';
import { ApiTokenPermissionsDto } from '../../api-tokens/dto/api-token-response.dto';

export class TrustPolicyExchangeDto implements TrustPolicyExchange {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ format: 'uuid', description: 'The minted API token' }) tokenId: string;
  @ApiProperty({ nullable: true, type: String, example: 'acme/site', description: 'GitHub `repository`, GitLab `project_path`' }) repository: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'refs/heads/main' }) ref: string | null;
  @ApiProperty({ nullable: true, type: String, example: '9876543210', description: 'GitHub `run_id`, GitLab `pipeline_id`' }) run: string | null;
  @ApiProperty({ nullable: true, type: String, example: '203.0.113.7', description: 'Where the exchange came from' }) ip: string | null;
}

export class TrustPolicyDto implements TrustPolicy {
  @ApiProperty({ format: 'uuid', description: 'Also the `client_id` of the exchange' }) id: string;
  @ApiProperty({ example: 'acme/site deploys' }) name: string;
  @ApiProperty({ example: 'https://token.actions.githubusercontent.com' }) issuer: string;
  @ApiProperty({ example: 'https://conduit.example.com' }) audience: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { repository_owner_id: '424242', repository: 'acme/site', ref: 'refs/heads/main' } })
  conditions: Record<string, string>;
  @ApiProperty({ type: () => ApiTokenPermissionsDto }) permissions: ApiTokenPermissionsDto;
  @ApiProperty({ type: [String], example: [] }) allowedIps: string[];
  @ApiProperty({ example: 900 }) tokenLifetimeSeconds: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastExchangedAt: string | null;
  @ApiProperty({ type: [TrustPolicyExchangeDto], description: 'The last 10 exchanges, newest first' }) recentExchanges: TrustPolicyExchangeDto[];
}

export class TrustPolicyResponseDto implements TrustPolicyResponse {
  @ApiProperty({ type: TrustPolicyDto }) trustPolicy: TrustPolicyDto;
}

export class TrustPolicyListResponseDto implements TrustPolicyListResponse {
  @ApiProperty({ type: [TrustPolicyDto] }) trustPolicies: TrustPolicyDto[];
  @ApiProperty({ type: [String], description: "The server's TRUSTED_ISSUERS" }) trustedIssuers: string[];
  @ApiProperty({ description: "The default audience (the server's PUBLIC_URL)" }) defaultAudience: string;
}

export class TrustPolicyCheckDto implements TrustPolicyCheck {
  @ApiProperty({ example: 'claim ref', description: 'signature, issuer, audience, expiry, replay, or `claim <name>` per condition' }) check: string;
  @ApiProperty() passed: boolean;
  @ApiProperty({ nullable: true, type: String, example: 'refs/heads/main' }) expected: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'refs/heads/dev' }) actual: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'expected refs/heads/main, got refs/heads/dev' }) message: string | null;
}

export class TestTrustPolicyResponseDto implements TestTrustPolicyResponse {
  @ApiProperty() wouldExchange: boolean;
  @ApiProperty({ type: [TrustPolicyCheckDto] }) checks: TrustPolicyCheckDto[];
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: "The ID token's claims when its signature is valid" })
  claims: Record<string, unknown> | null;
}

export class TokenExchangeResponseDto implements TokenExchangeResponse {
  @ApiProperty({ example: 'conduit_4Xq9sT0bLmR2vWc8yZ1aE5nH7kJ3pD6fG0uI2oY8tR4eW1q3Zx9V7m' }) access_token: string;
  @ApiProperty({ enum: [ACCESS_TOKEN_TYPE] }) issued_token_type: typeof ACCESS_TOKEN_TYPE;
  @ApiProperty({ enum: ['Bearer'] }) token_type: 'Bearer';
  @ApiProperty({ example: 900 }) expires_in: number;
}

export class OAuthErrorResponseDto implements OAuthErrorResponse {
  @ApiProperty({ enum: ['invalid_request', 'unsupported_grant_type', 'invalid_grant'] }) error: OAuthErrorCode;
  @ApiProperty({ example: 'the subject token is not accepted for this client_id' }) error_description: string;
}
