import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsDefined, IsInt, IsNotEmpty, IsObject, IsString, Max, MaxLength, Min, Validate, ValidationArguments, ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import {
  TRUST_POLICY_CLAIM_NAME, TRUST_POLICY_CLAIM_VALUE_MAX_LENGTH, TRUST_POLICY_LIFETIME_DEFAULT_SECONDS, TRUST_POLICY_LIFETIME_MAX_SECONDS,
  TRUST_POLICY_LIFETIME_MIN_SECONDS, TRUST_POLICY_MAX_CONDITIONS, TRUST_POLICY_NAME_MAX_LENGTH, TRUST_POLICY_OWNER_CLAIMS,
  type ApiTokenResource, type CreateTrustPolicyRequest, type PermissionLevel, type TestTrustPolicyRequest, type UpdateTrustPolicyRequest,
} from '@conduit/contracts';
import { AllowedIpsField, PermissionsField } from '../../api-tokens/dto/api-token-fields';
import { MESSAGE_SEPARATOR } from '../../common/http/validation';
import { BLANK_MESSAGE, MUST_BE_STRING, present, RequiredString, tooLong, Wrapper } from '../../common/http/validators';

/** Claim name → exact string value; one message per bad entry, naming it. */
@ValidatorConstraint({ name: 'conditions' })
class ConditionsConstraint implements ValidatorConstraintInterface {
  validate(value: unknown) {
    return conditionProblems(value).length === 0;
  }
  defaultMessage(args: ValidationArguments) {
    return conditionProblems(args.value).join(MESSAGE_SEPARATOR);
  }
}

function conditionProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return []; // reported by IsObject
  const entries = Object.entries(value as Record<string, unknown>);
  const problems: string[] = [];
  if (entries.length > TRUST_POLICY_MAX_CONDITIONS) problems.push(`must have at most ${TRUST_POLICY_MAX_CONDITIONS} claims`);
  for (const [name, expected] of entries) {
    if (!TRUST_POLICY_CLAIM_NAME.test(name)) problems.push(`claim name ${JSON.stringify(name.slice(0, 80))} may contain only letters, digits, '_', '-', '.' and ':' (at most 64)`);
    else if (typeof expected !== 'string') problems.push(`${name} must be a string (compare numbers as their digits, e.g. "424242")`);
    else if (expected === '') problems.push(`${name} can't be blank`);
    else if (expected.length > TRUST_POLICY_CLAIM_VALUE_MAX_LENGTH) problems.push(`${name} is too long (maximum is ${TRUST_POLICY_CLAIM_VALUE_MAX_LENGTH} characters)`);
  }
  return problems;
}

const trimmed = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

function NameField(required: boolean) {
  const doc = { example: 'acme/site deploys', maxLength: TRUST_POLICY_NAME_MAX_LENGTH };
  return applyDecorators(
    required ? ApiProperty(doc) : ApiPropertyOptional(doc),
    ...(required ? [] : [present('name')]),
    trimmed(),
    RequiredString(),
    MaxLength(TRUST_POLICY_NAME_MAX_LENGTH, tooLong(TRUST_POLICY_NAME_MAX_LENGTH)),
  );
}

function IssuerField(required: boolean) {
  const doc = { example: 'https://token.actions.githubusercontent.com', description: "One of the server's TRUSTED_ISSUERS, exactly (the ID tokens' `iss`)." };
  return applyDecorators(
    required ? ApiProperty(doc) : ApiPropertyOptional(doc),
    ...(required ? [] : [present('issuer')]),
    trimmed(),
    RequiredString(),
    MaxLength(500, tooLong(500)),
  );
}

function AudienceField() {
  return applyDecorators(
    ApiPropertyOptional({ example: 'https://conduit.example.com', description: "The single `aud` the ID token must carry. Default on creation: the server's PUBLIC_URL." }),
    present('audience'),
    trimmed(),
    IsString(MUST_BE_STRING),
    IsNotEmpty({ message: BLANK_MESSAGE }),
    MaxLength(500, tooLong(500)),
  );
}

function ConditionsField(required: boolean) {
  const doc = {
    type: 'object' as const,
    additionalProperties: { type: 'string' },
    example: { repository_owner_id: '424242', repository: 'acme/site', ref: 'refs/heads/main' },
    description:
      `Claim name → the exact string value it must have (at most ${TRUST_POLICY_MAX_CONDITIONS}). At least one of ${TRUST_POLICY_OWNER_CLAIMS.join(', ')} ` +
      'is required. Prefer numeric ids (names get recycled); numeric claims are compared as their decimal digits.',
  };
  return applyDecorators(
    required ? ApiProperty(doc) : ApiPropertyOptional(doc),
    ...(required ? [] : [present('conditions')]),
    IsDefined({ message: BLANK_MESSAGE }),
    IsObject({ message: 'must be an object of claim names to strings' }),
    Validate(ConditionsConstraint),
  );
}

function LifetimeField() {
  return applyDecorators(
    ApiPropertyOptional({
      minimum: TRUST_POLICY_LIFETIME_MIN_SECONDS, maximum: TRUST_POLICY_LIFETIME_MAX_SECONDS, default: TRUST_POLICY_LIFETIME_DEFAULT_SECONDS,
      description: 'Lifetime of each minted token, in seconds (never beyond TOKEN_MAX_LIFETIME).',
    }),
    present('tokenLifetimeSeconds'),
    IsInt({ message: 'must be a whole number of seconds' }),
    Min(TRUST_POLICY_LIFETIME_MIN_SECONDS, { message: `must be between ${TRUST_POLICY_LIFETIME_MIN_SECONDS} and ${TRUST_POLICY_LIFETIME_MAX_SECONDS} seconds` }),
    Max(TRUST_POLICY_LIFETIME_MAX_SECONDS, { message: `must be between ${TRUST_POLICY_LIFETIME_MIN_SECONDS} and ${TRUST_POLICY_LIFETIME_MAX_SECONDS} seconds` }),
  );
}

class CreateTrustPolicyBody {
  @NameField(true)
  name: string;

  @IssuerField(true)
  issuer: string;

  @AudienceField()
  audience?: string;

  @ConditionsField(true)
  conditions: Record<string, string>;

  @PermissionsField('Required on creation: at least one resource must be read or write.')
  permissions: Partial<Record<ApiTokenResource, PermissionLevel>>;

  @AllowedIpsField()
  allowedIps?: string[];

  @LifetimeField()
  tokenLifetimeSeconds?: number;
}

export class CreateTrustPolicyDto implements CreateTrustPolicyRequest {
  @ApiProperty({ type: CreateTrustPolicyBody })
  @Wrapper(() => CreateTrustPolicyBody)
  trustPolicy: CreateTrustPolicyBody;
}

class UpdateTrustPolicyBody {
  @NameField(false)
  name?: string;

  @IssuerField(false)
  issuer?: string;

  @AudienceField()
  audience?: string;

  @ConditionsField(false)
  conditions?: Record<string, string>;

  @PermissionsField('Left out: unchanged. Sent: replaces the whole set.')
  permissions?: Partial<Record<ApiTokenResource, PermissionLevel>>;

  @AllowedIpsField()
  allowedIps?: string[];

  @LifetimeField()
  tokenLifetimeSeconds?: number;
}

export class UpdateTrustPolicyDto implements UpdateTrustPolicyRequest {
  @ApiProperty({ type: UpdateTrustPolicyBody })
  @Wrapper(() => UpdateTrustPolicyBody)
  trustPolicy: UpdateTrustPolicyBody;
}

export class TestTrustPolicyDto implements TestTrustPolicyRequest {
  @ApiProperty({ description: 'An OIDC ID token (a JWT) from the CI job; it is checked, not used up.' })
  @RequiredString()
  @MaxLength(16 * 1024, { message: 'is too long' })
  idToken: string;
}
