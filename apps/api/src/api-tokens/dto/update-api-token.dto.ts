import { ApiProperty } from '@nestjs/swagger';
import { ValidateBy } from 'class-validator';
import type { ApiTokenResource, PermissionLevel, UpdateApiTokenRequest } from '@conduit/contracts';
import { present, Wrapper } from '../../common/http/validators';
import { AllowedIpsField, PermissionsField, TokenNameField } from './api-token-fields';

/** Expiry and secret are fixed for a token's life: say so instead of "should not exist". */
const NotEditable = () =>
  ValidateBy({
    name: 'notEditable',
    validator: { validate: () => false, defaultMessage: () => 'cannot be edited; rotate the token to get a new expiry or secret' },
  });

class UpdateApiTokenBody {
  @TokenNameField({ required: false })
  name?: string;

  @AllowedIpsField()
  allowedIps?: string[];

  @PermissionsField('Left out entirely: unchanged. Sent: replaces the whole set (resources not named become none).')
  permissions?: Partial<Record<ApiTokenResource, PermissionLevel>>;

  @present('expiresIn') @NotEditable()
  expiresIn?: unknown;

  @present('expiresAt') @NotEditable()
  expiresAt?: unknown;
}

export class UpdateApiTokenDto implements UpdateApiTokenRequest {
  @ApiProperty({
    type: UpdateApiTokenBody,
    description: 'Only the fields sent change. Expiry and secret cannot be edited: rotate the token instead.',
    example: { name: 'GitHub Actions, production', allowedIps: ['203.0.113.0/24'], permissions: { articles: 'write', account: 'read' } },
  })
  @Wrapper(() => UpdateApiTokenBody)
  apiToken: UpdateApiTokenBody;
}
