import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsIn, IsISO8601, IsString, MaxLength, Validate, ValidationArguments, ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import {
  API_TOKEN_EXPIRY_PRESETS, API_TOKEN_MAX_ALLOWED_IPS, API_TOKEN_NAME_MAX_LENGTH, API_TOKEN_RESOURCE_DESCRIPTIONS, API_TOKEN_RESOURCES,
  parseAllowlist, PERMISSION_LEVELS, permissionsProblems,
} from '@conduit/contracts';
import { MESSAGE_SEPARATOR } from '../../common/http/validation';
import { present, RequiredString, tooLong } from '../../common/http/validators';

/**
 * The fields of a token's settings, validated the same way wherever they are sent (creation,
 * edit, rotation): one definition per field.
 */

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

const EXPIRES_AT_MESSAGE = 'must be an ISO 8601 date-time, e.g. 2027-01-31T23:59:59Z';

/** The token's name; required on creation, optional on an edit. */
export function TokenNameField(options: { required: boolean }) {
  const rules = [
    Transform(({ value }) => (typeof value === 'string' ? value.trim() : value)),
    RequiredString(),
    MaxLength(API_TOKEN_NAME_MAX_LENGTH, tooLong(API_TOKEN_NAME_MAX_LENGTH)),
  ];
  const doc = { example: 'GitHub Actions, staging', maxLength: API_TOKEN_NAME_MAX_LENGTH };
  return options.required
    ? applyDecorators(ApiProperty(doc), ...rules)
    : applyDecorators(ApiPropertyOptional(doc), present('name'), ...rules);
}

export function ExpiresInField(description: string) {
  return applyDecorators(
    ApiPropertyOptional({ enum: API_TOKEN_EXPIRY_PRESETS, example: '30d', description }),
    present('expiresIn'),
    IsIn(API_TOKEN_EXPIRY_PRESETS, { message: `must be one of ${API_TOKEN_EXPIRY_PRESETS.join(', ')}` }),
  );
}

export function ExpiresAtField(description: string) {
  return applyDecorators(
    ApiPropertyOptional({ example: '2027-01-31T23:59:59Z', format: 'date-time', description }),
    present('expiresAt'),
    IsString({ message: EXPIRES_AT_MESSAGE }),
    IsISO8601({ strict: true, strictSeparator: true }, { message: EXPIRES_AT_MESSAGE }),
  );
}

export function AllowedIpsField() {
  return applyDecorators(
    ApiPropertyOptional({
      type: [String],
      example: ['203.0.113.0/24', '2001:db8::/32'],
      description: `IPs or CIDRs allowed to use the token (at most ${API_TOKEN_MAX_ALLOWED_IPS}); empty: any address. Blank entries are ignored, duplicates merged.`,
    }),
    present('allowedIps'),
    IsArray({ message: 'must be a list of IP addresses or CIDRs' }),
    ArrayMaxSize(API_TOKEN_MAX_ALLOWED_IPS * 10, { message: `must have at most ${API_TOKEN_MAX_ALLOWED_IPS} entries` }),
    IsString({ each: true, message: 'must contain only strings' }),
    MaxLength(100, { each: true, message: 'has an entry that is too long to be an IP address or CIDR' }),
    Validate(AllowlistConstraint),
  );
}

/** Access level per resource. `leftOut` says what sending no permissions at all means here. */
export function PermissionsField(leftOut: string) {
  return applyDecorators(
    ApiPropertyOptional({
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
        `${leftOut} Presets: read-only (every resource read), read-write (every resource write).`,
    }),
    present('permissions'),
    Validate(PermissionsConstraint),
  );
}
