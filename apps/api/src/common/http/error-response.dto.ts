import { ApiProperty } from '@nestjs/swagger';
import type { ErrorResponse } from '@conduit/contracts';

/** The one error format, for the OpenAPI document. */
export class ErrorResponseDto implements ErrorResponse {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    example: { field: ['is invalid'] },
  })
  errors: Record<string, string[]>;
}
