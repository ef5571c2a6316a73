import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsUUID } from 'class-validator';
import {
  MARK_READ_MAX_IDS, NOTIFICATION_KINDS, NOTIFICATIONS_PAGE_SIZE, type Notification, type NotificationKind,
  type NotificationListResponse,
} from '@conduit/contracts';
import { present } from '../../common/http/validators';

export class NotificationDto implements Notification {
  @ApiProperty({ format: 'uuid', example: '0b6f3c1e-8a58-4d3e-9a59-0f6f1d2b7c11' })
  id: string;

  @ApiProperty({ enum: NOTIFICATION_KINDS, example: 'token_expiring' })
  kind: NotificationKind;

  @ApiProperty({ format: 'date-time', example: '2026-12-01T09:00:00.000Z' })
  createdAt: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: null, description: 'When it was marked read; null while unread' })
  readAt: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, example: '5d1f0b9e-3c7a-4f0e-8d7e-2a1b3c4d5e6f', description: 'The API token it is about; null otherwise' })
  tokenId: string | null;

  @ApiProperty({ example: 'Your API token "GitHub Actions, staging" (…x7Qa) expires in 7 days, on 8 December 2026 at 09:00 (Europe/Paris).' })
  message: string;
}

export class NotificationListResponseDto implements NotificationListResponse {
  @ApiProperty({ type: [NotificationDto], description: `The newest first, at most ${NOTIFICATIONS_PAGE_SIZE}` })
  notifications: NotificationDto[];

  @ApiProperty({ example: 2, description: 'Unread notifications in all (not only those listed)' })
  unreadCount: number;
}

/** `{"ids": [...]}` or `{"all": true}`; the service refuses both or neither. */
export class MarkNotificationsReadDto {
  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: MARK_READ_MAX_IDS,
    example: ['0b6f3c1e-8a58-4d3e-9a59-0f6f1d2b7c11'],
    description: 'Notifications to mark read; ids that are not yours or unknown are ignored. Mutually exclusive with all.',
  })
  @present('ids')
  @IsArray({ message: 'must be a list of notification ids' })
  @ArrayMinSize(1, { message: 'must list at least one notification id' })
  @ArrayMaxSize(MARK_READ_MAX_IDS, { message: `must list at most ${MARK_READ_MAX_IDS} ids; send {"all": true} to mark every notification read` })
  @IsUUID('all', { each: true, message: 'must contain only notification ids (UUIDs)' })
  ids?: string[];

  @ApiPropertyOptional({ enum: [true], example: true, description: 'Mark every notification read. Mutually exclusive with ids.' })
  @present('all')
  @IsIn([true], { message: 'must be true (or leave it out and send ids)' })
  all?: true;
}
