import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsString, MaxLength } from 'class-validator';
import { LEAK_REPORT_MAX_CREDENTIALS, RevokeCredentialsRequest, RevokeCredentialsResponse } from '@conduit/contracts';
import { RAW_TOKEN_EXAMPLE } from './api-token-response.dto';

const LIST = `must be a list of 1 to ${LEAK_REPORT_MAX_CREDENTIALS} strings`;

export class RevokeCredentialsDto implements RevokeCredentialsRequest {
  @ApiProperty({
    type: [String],
    minItems: 1,
    maxItems: LEAK_REPORT_MAX_CREDENTIALS,
    example: [RAW_TOKEN_EXAMPLE],
    description: 'The leaked values, as found (each at most 1000 characters)',
  })
  @IsDefined({ message: LIST })
  @IsArray({ message: LIST })
  @ArrayMinSize(1, { message: LIST })
  @ArrayMaxSize(LEAK_REPORT_MAX_CREDENTIALS, { message: `must have at most ${LEAK_REPORT_MAX_CREDENTIALS} entries` })
  @IsString({ each: true, message: 'must contain only strings' })
  @MaxLength(1000, { each: true, message: 'has an entry longer than 1000 characters' })
  credentials: string[];
}

export class RevokeCredentialsResponseDto implements RevokeCredentialsResponse {
  @ApiProperty({ example: 1, description: 'How many entries the report had: the same answer whatever they were' })
  received: number;
}
