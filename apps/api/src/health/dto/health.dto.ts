import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ClientIpResponse } from '@conduit/contracts';

export class HealthResponseDto {
  @ApiProperty({ enum: ['ok', 'unavailable'], example: 'ok' })
  status: 'ok' | 'unavailable';

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    example: { database: ['is unavailable'] },
    description: 'With status "unavailable" (503) only',
  })
  errors?: Record<string, string[]>;
}

export class ClientIpResponseDto implements ClientIpResponse {
  @ApiProperty({ example: '203.0.113.7' })
  ip: string;
}
