import { ApiProperty } from '@nestjs/swagger';
import { ValidateBy } from 'class-validator';
import type { UpdateApiTokenRequest } from '@conduit/contracts';
import { Wrapper } from '../../users/dto/user.dto';
import { AllowedIpsField, present, TokenNameField } from './api-token-fields';

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

  @present('expiresIn') @NotEditable()
  expiresIn?: unknown;

  @present('expiresAt') @NotEditable()
  expiresAt?: unknown;
}

export class UpdateApiTokenDto implements UpdateApiTokenRequest {
  @ApiProperty({
    type: UpdateApiTokenBody,
    description: 'Only the fields sent change. Expiry and secret cannot be edited: rotate the token instead.',
    example: { name: 'GitHub Actions, production', allowedIps: ['203.0.113.0/24'] },
  })
  @Wrapper(() => UpdateApiTokenBody)
  apiToken: UpdateApiTokenBody;
}
