import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { API_TOKEN_MAX_OVERLAP_SECONDS, type ApiTokenExpiryPreset, type RotateApiTokenRequest } from '@conduit/contracts';
import { OptionalWrapper, present } from '../../common/http/validators';
import { ExpiresAtField, ExpiresInField } from './api-token-fields';

class RotationBody {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: API_TOKEN_MAX_OVERLAP_SECONDS,
    default: 0,
    example: 3600,
    description: 'How long the old secret keeps working, in seconds (at most 7 days). 0: it stops at once.',
  })
  @present('overlapSeconds')
  @IsInt({ message: `must be a whole number of seconds from 0 to ${API_TOKEN_MAX_OVERLAP_SECONDS}` })
  @Min(0, { message: 'must be at least 0' })
  @Max(API_TOKEN_MAX_OVERLAP_SECONDS, { message: `must be at most ${API_TOKEN_MAX_OVERLAP_SECONDS} (7 days)` })
  overlapSeconds?: number;

  @ExpiresInField("The new token's lifetime. Default: the old token's lifetime again, from now (Never stays Never). Mutually exclusive with expiresAt.")
  expiresIn?: ApiTokenExpiryPreset;

  @ExpiresAtField("The new token's expiry (a future ISO 8601 instant). Mutually exclusive with expiresIn.")
  expiresAt?: string;
}

export class RotateApiTokenDto implements RotateApiTokenRequest {
  @ApiPropertyOptional({ type: RotationBody, example: { overlapSeconds: 3600 }, description: 'Everything is optional; an empty body rotates with no overlap.' })
  @OptionalWrapper(() => RotationBody)
  rotation?: RotationBody;
}
