import { ApiProperty } from '@nestjs/swagger';
import type { ApiTokenExpiryPreset, ApiTokenResource, CreateApiTokenRequest, PermissionLevel } from '@conduit/contracts';
import { Wrapper } from '../../common/http/validators';
import { AllowedIpsField, ExpiresAtField, ExpiresInField, PermissionsField, TokenNameField } from './api-token-fields';

class CreateApiTokenBody {
  @TokenNameField({ required: true })
  name: string;

  @ExpiresInField('A preset lifetime; default 30d. Mutually exclusive with expiresAt.')
  expiresIn?: ApiTokenExpiryPreset;

  @ExpiresAtField('A custom future instant (ISO 8601). Mutually exclusive with expiresIn.')
  expiresAt?: string;

  @AllowedIpsField()
  allowedIps?: string[];

  @PermissionsField('Left out entirely: write on everything.')
  permissions?: Partial<Record<ApiTokenResource, PermissionLevel>>;
}

export class CreateApiTokenDto implements CreateApiTokenRequest {
  @ApiProperty({ type: CreateApiTokenBody })
  @Wrapper(() => CreateApiTokenBody)
  apiToken: CreateApiTokenBody;
}
