import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsDefined, IsIn, IsISO8601, IsNotEmpty, IsString, MaxLength, Validate, ValidateIf,
  ValidationArguments, ValidatorConstraint, ValidatorConstraintInterface,
} from 'class-validator';
import {
  API_TOKEN_EXPIRY_PRESETS, API_TOKEN_MAX_ALLOWED_IPS, API_TOKEN_NAME_MAX_LENGTH, API_TOKEN_RESOURCE_DESCRIPTIONS, API_TOKEN_RESOURCES,
  ApiTokenExpiryPreset, ApiTokenResource, CreateApiTokenRequest, parseAllowlist, PERMISSION_LEVELS, PermissionLevel, permissionsProblems,
} from '@conduit/contracts';
import { MESSAGE_SEPARATOR } from '../../common/http/validation';
import { BLANK, Wrapper } from '../../users/dto/user.dto';

/** The shared parser decides; one message per bad entry, quoting it. */
@ValidatorConstraint({ name: 'allowlist' })
class AllowlistConstraint implements ValidatorConstraintInterface {
  validate(value: unknown) {
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) return true; // reported by the type checks
    const parsed = parseAllowlist(value);
    return parsed.errors.length === 0 && parsed.cidrs.length <= API_TOKEN_MAX_ALLOWED_IPS;
  }
  defaultMessage(args: ValidationArguments) {
    const parsed = parseAllowlist(args.value as string[]);
    if (parsed.errors.length > 0) return parsed.errors.map((e) => e.message).join(MESSAGE_SEPARATOR);
    return `must have at most ${API_TOKEN_MAX_ALLOWED_IPS} entries (got ${parsed.cidrs.length})`;
  }
}

/** The shared check decides; one message per unknown resource or level, naming it. */
@ValidatorConstraint({ name: 'permissions' })
class PermissionsConstraint implements ValidatorConstraintInterface {
  validate(value: unknown) {
    return permissionsProblems(value).length === 0;
  }
  defaultMessage(args: ValidationArguments) {
    return permissionsProblems(args.value).join(MESSAGE_SEPARATOR);
  }
}

const present = (field: string) => ValidateIf((o: Record<string, unknown>) => o[field] !== undefined);

class CreateApiTokenBody {
  @ApiProperty({ example: 'GitHub Actions, staging', maxLength: API_TOKEN_NAME_MAX_LENGTH })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsDefined({ message: BLANK }) @IsString({ message: 'must be a string' }) @IsNotEmpty({ message: BLANK })
  @MaxLength(API_TOKEN_NAME_MAX_LENGTH, { message: `is too long (maximum is ${API_TOKEN_NAME_MAX_LENGTH} characters)` })
  name: string;

  @ApiPropertyOptional({ enum: API_TOKEN_EXPIRY_PRESETS, default: '30d', description: 'A preset lifetime. Mutually exclusive with expiresAt.' })
  @present('expiresIn')
  @IsIn(API_TOKEN_EXPIRY_PRESETS, { message: `must be one of ${API_TOKEN_EXPIRY_PRESETS.join(', ')}` })
  expiresIn?: ApiTokenExpiryPreset;

  @ApiPropertyOptional({ example: '2027-01-31T23:59:59Z', description: 'A custom future instant (ISO 8601). Mutually exclusive with expiresIn.' })
  @present('expiresAt')
  @IsString({ message: 'must be an ISO 8601 date-time, e.g. 2027-01-31T23:59:59Z' })
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'must be an ISO 8601 date-time, e.g. 2027-01-31T23:59:59Z' })
  expiresAt?: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['203.0.113.0/24', '2001:db8::/32'],
    description: `IPs or CIDRs allowed to use the token (at most ${API_TOKEN_MAX_ALLOWED_IPS}); empty: any address. Blank entries are ignored, duplicates merged.`,
  })
  @present('allowedIps')
  @IsArray({ message: 'must be a list of IP addresses or CIDRs' })
  @ArrayMaxSize(API_TOKEN_MAX_ALLOWED_IPS * 10, { message: `must have at most ${API_TOKEN_MAX_ALLOWED_IPS} entries` })
  @IsString({ each: true, message: 'must contain only strings' })
  @MaxLength(100, { each: true, message: 'has an entry that is too long to be an IP address or CIDR' })
  @Validate(AllowlistConstraint)
  allowedIps?: string[];

  @ApiPropertyOptional({
    type: 'object',
    properties: Object.fromEntries(
      API_TOKEN_RESOURCES.map((r) => [
        r,
        { type: 'string', enum: [...PERMISSION_LEVELS], description: `read: ${API_TOKEN_RESOURCE_DESCRIPTIONS[r].read}; write: ${API_TOKEN_RESOURCE_DESCRIPTIONS[r].write}` },
      ]),
    ),
    additionalProperties: false,
    example: { articles: 'read', comments: 'none', social: 'none', account: 'read' },
    description:
      'Access level per resource (none, read, write; write includes read). A resource left out is none. ' +
      'Left out entirely: write on everything. Presets: read-only (every resource read), read-write (every resource write).',
  })
  @present('permissions')
  @Validate(PermissionsConstraint)
  permissions?: Partial<Record<ApiTokenResource, PermissionLevel>>;
}

export class CreateApiTokenDto implements CreateApiTokenRequest {
  @ApiProperty({ type: CreateApiTokenBody })
  @Wrapper(() => CreateApiTokenBody)
  apiToken: CreateApiTokenBody;
}
