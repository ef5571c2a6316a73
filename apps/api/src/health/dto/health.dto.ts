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

export class ReadinessResponseDto {
  @ApiProperty({ enum: ['ok', 'unavailable'], example: 'ok' })
  status: 'ok' | 'unavailable';

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    example: { server: ['is shutting down'] },
    description: 'With status "unavailable" (503) only: `database`, `migrations` and/or `server`',
  })
  errors?: Record<string, string[]>;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'object', properties: { status: { type: 'string', enum: ['up', 'down'] } } },
    example: { server: { status: 'up' }, database: { status: 'up' }, migrations: { status: 'up' } },
    description: 'Each check and its status',
  })
  details?: Record<string, { status: string; [key: string]: unknown }>;
}
