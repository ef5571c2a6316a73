import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsEmail, IsOptional, IsString, Matches, MaxLength, MinLength, Validate, ValidateBy, ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import {
  BIO_MAX_LENGTH, DeleteUserRequest, ReauthenticateRequest, EMAIL_MAX_LENGTH, IMAGE_URL_MAX_LENGTH, LoginUserRequest, NewUserRequest,
  isImageUrl, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, UpdateUserRequest, User, USERNAME_MAX_LENGTH, UserResponse,
} from '@conduit/contracts';
import { MUST_BE_STRING, OptionalString, present, RequiredString, tooLong, Wrapper } from '../../common/http/validators';

const USERNAME_PATTERN = /^[A-Za-z0-9_.-]+$/;

export function isValidTimeZone(value: unknown): boolean {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** The length rules of a new password (sign-up, a change, a reset). */
export function NewPasswordLength(): PropertyDecorator {
  return (target: object, key: string | symbol) => {
    MinLength(PASSWORD_MIN_LENGTH, { message: `is too short (minimum is ${PASSWORD_MIN_LENGTH} characters)` })(target, key);
    MaxLength(PASSWORD_MAX_LENGTH, tooLong(PASSWORD_MAX_LENGTH))(target, key);
  };
}

@ValidatorConstraint({ name: 'timeZone' })
class TimeZoneConstraint implements ValidatorConstraintInterface {
  validate(value: unknown) {
    return isValidTimeZone(value);
  }
  defaultMessage() {
    return 'must be an IANA time zone name, e.g. Europe/Paris';
  }
}

/** An absolute http(s) URL (the contract's rule) or '' (clears it); other validators report a wrong type or length. */
function IsImageUrl(): PropertyDecorator {
  return ValidateBy({
    name: 'isImageUrl',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || value === '' || value.length > IMAGE_URL_MAX_LENGTH || isImageUrl(value),
      defaultMessage: () => 'must be an http(s) URL, e.g. https://example.com/me.png',
    },
  });
}

class NewUserBody {
  @ApiProperty({ example: 'jake' })
  @RequiredString()
  @MaxLength(USERNAME_MAX_LENGTH, tooLong(USERNAME_MAX_LENGTH))
  @Matches(USERNAME_PATTERN, { message: "may contain only letters, digits, '_', '-' and '.'" })
  username: string;

  @ApiProperty({ example: 'jake@jake.jake' })
  @RequiredString()
  @MaxLength(EMAIL_MAX_LENGTH, { message: 'is too long' }) @IsEmail({}, { message: 'is invalid' })
  email: string;

  @ApiProperty({ example: 'jakejakejake', minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @RequiredString()
  @NewPasswordLength()
  password: string;
}

export class NewUserDto implements NewUserRequest {
  @ApiProperty({ type: NewUserBody })
  @Wrapper(() => NewUserBody)
  user: NewUserBody;
}

class LoginBody {
  @ApiProperty() @RequiredString()
  @MaxLength(EMAIL_MAX_LENGTH, { message: 'is too long' })
  email: string;

  @ApiProperty() @RequiredString()
  @MaxLength(1024, { message: 'is too long' })
  password: string;
}

export class LoginUserDto implements LoginUserRequest {
  @ApiProperty({ type: LoginBody })
  @Wrapper(() => LoginBody)
  user: LoginBody;
}

class UpdateUserBody {
  @ApiPropertyOptional() @OptionalString('email')
  @MaxLength(EMAIL_MAX_LENGTH, { message: 'is too long' }) @IsEmail({}, { message: 'is invalid' })
  email?: string;

  @ApiPropertyOptional() @OptionalString('username')
  @MaxLength(USERNAME_MAX_LENGTH, tooLong(USERNAME_MAX_LENGTH))
  @Matches(USERNAME_PATTERN, { message: "may contain only letters, digits, '_', '-' and '.'" })
  username?: string;

  @ApiPropertyOptional() @OptionalString('password')
  @NewPasswordLength()
  password?: string;

  @ApiPropertyOptional({ description: 'Required by the web app with `password`; checked when given.' })
  @OptionalString('currentPassword') @MaxLength(1024, { message: 'is too long' })
  currentPassword?: string;

  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsString(MUST_BE_STRING)
  @MaxLength(BIO_MAX_LENGTH, tooLong(BIO_MAX_LENGTH))
  bio?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    maxLength: IMAGE_URL_MAX_LENGTH,
    format: 'uri',
    example: 'https://example.com/me.png',
    description: 'An absolute http(s) URL; an empty string or null removes the image.',
  })
  @IsOptional() @IsString(MUST_BE_STRING)
  @MaxLength(IMAGE_URL_MAX_LENGTH, tooLong(IMAGE_URL_MAX_LENGTH))
  @IsImageUrl()
  image?: string | null;

  @ApiPropertyOptional({ example: 'Europe/Paris' }) @present('timezone') @Validate(TimeZoneConstraint)
  timezone?: string;
}

export class UpdateUserDto implements UpdateUserRequest {
  @ApiProperty({ type: UpdateUserBody })
  @Wrapper(() => UpdateUserBody)
  user: UpdateUserBody;
}

class DeleteUserBody {
  @ApiProperty() @RequiredString()
  @MaxLength(1024, { message: 'is too long' })
  password: string;
}

export class DeleteUserDto implements DeleteUserRequest {
  @ApiProperty({ type: DeleteUserBody })
  @Wrapper(() => DeleteUserBody)
  user: DeleteUserBody;
}

export class ReauthenticateDto implements ReauthenticateRequest {
  @ApiProperty({ example: 'jakejakejake', description: 'The current password' })
  @RequiredString()
  @MaxLength(1024, { message: 'is too long' })
  password: string;
}

export class UserDto implements User {
  @ApiProperty({ example: 'jake@jake.jake' })
  email: string;

  @ApiProperty({ example: 'jake' })
  username: string;

  @ApiProperty({ type: String, nullable: true, example: 'I work at statefarm' })
  bio: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'https://api.realworld.io/images/smiley-cyrus.jpg' })
  image: string | null;

  @ApiProperty({ example: 'Europe/Paris', description: 'IANA time zone name used to show dates' })
  timezone: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
    description: 'A short-lived session access token (JWT); null when the request was authenticated with an API token',
  })
  token: string | null;
}

export class UserResponseDto implements UserResponse {
  @ApiProperty({ type: UserDto })
  user: UserDto;
}
