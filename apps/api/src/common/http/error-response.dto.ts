import { ApiProperty } from '@nestjs/swagger';
import type { ErrorResponse } from '@conduit/contracts';

/** The one error format, for the OpenAPI document: `{"errors": {"<field or subject>": ["<message>"]}}`. */
export class ErrorResponseDto implements ErrorResponse {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    example: { name: ["can't be blank"] },
  })
  errors: Record<string, string[]>;
}
