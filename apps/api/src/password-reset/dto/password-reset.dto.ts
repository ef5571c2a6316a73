import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, MaxLength } from 'class-validator';
import {
  CompletePasswordResetRequest, EMAIL_MAX_LENGTH, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, PasswordResetRequest, PasswordResetRequestedResponse,
  PasswordResetStatusResponse,
} from '@conduit/contracts';
import { RequiredString, Wrapper } from '../../common/http/validators';
import { NewPasswordLength } from '../../users/dto/user.dto';

class PasswordResetRequestBody {
  @ApiProperty({ example: 'jake@jake.jake' })
  @RequiredString()
  @MaxLength(EMAIL_MAX_LENGTH, { message: 'is too long' }) @IsEmail({}, { message: 'is invalid' })
  email: string;
}

export class PasswordResetRequestDto implements PasswordResetRequest {
  @ApiProperty({ type: PasswordResetRequestBody })
  @Wrapper(() => PasswordResetRequestBody)
  user: PasswordResetRequestBody;
}

class CompletePasswordResetBody {
  @ApiProperty({ description: 'The token of the link (after `#token=`)', example: 'Zk3q0d2b8m4xJt1nQhV7sW9yR5cE6uA0pL2oK8iH3gF' })
  @RequiredString()
  @MaxLength(200, { message: 'is too long' })
  token: string;

  @ApiProperty({ example: 'a new long password', minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @RequiredString()
  @NewPasswordLength()
  password: string;
}

export class CompletePasswordResetDto implements CompletePasswordResetRequest {
  @ApiProperty({ type: CompletePasswordResetBody })
  @Wrapper(() => CompletePasswordResetBody)
  passwordReset: CompletePasswordResetBody;
}

class PasswordResetStatusDto {
  @ApiProperty({ example: true, description: 'False when the operator has not configured mail (SMTP_URL): no link can be sent' })
  available: boolean;

  @ApiProperty({ example: 1800, description: 'How long a link stays valid (PASSWORD_RESET_TTL), in seconds' })
  linkValiditySeconds: number;
}

export class PasswordResetStatusResponseDto implements PasswordResetStatusResponse {
  @ApiProperty({ type: PasswordResetStatusDto })
  passwordReset: PasswordResetStatusDto;
}

class PasswordResetRequestedDto {
  @ApiProperty({ enum: [true], example: true })
  requested: true;

  @ApiProperty({ example: 1800, description: 'How long the link, if one is sent, stays valid (PASSWORD_RESET_TTL), in seconds' })
  linkValiditySeconds: number;
}

export class PasswordResetRequestedResponseDto implements PasswordResetRequestedResponse {
  @ApiProperty({ type: PasswordResetRequestedDto })
  passwordReset: PasswordResetRequestedDto;
}
