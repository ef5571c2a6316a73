import { ApiProperty } from '@nestjs/swagger';
import type { ErrorResponse } from '@conduit/contracts';

/** The one error body, for the OpenAPI document: `{"errors": {"<field or subject>": ["<message>"]}}`. */
export class ErrorResponseDto implements ErrorResponse {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    example: { email: ["can't be blank"] },
    description: 'Field or subject → messages',
  })
  errors: Record<string, string[]>;
}
