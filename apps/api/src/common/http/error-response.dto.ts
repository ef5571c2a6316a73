import { ApiProperty } from '@nestjs/swagger';
import type { ErrorResponse } from '@conduit/contracts';

/** The one error body, for the OpenAPI document: `{"errors": {"<field or subject>": ["<message>"]}}`. */
export class ErrorResponseDto implements ErrorResponse {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    example: { ids: ['must be a list of notification ids'] },
  })
  errors: Record<string, string[]>;
}
