import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { NotificationListResponse } from '@conduit/contracts';
import { Access } from '../access/access.decorator';
import { CurrentPrincipal } from '../access/current-principal';
import type { Principal } from '../access/principal';
import { ApiErrors } from '../openapi/openapi';
import { MarkNotificationsReadDto, NotificationListResponseDto } from './dto/notification.dto';
import { NotificationsService } from './notifications.service';

/** The signed-in user's notifications: a session, or an API token with account:read (account:write to mark them read). */
@ApiTags('notifications')
@ApiErrors({ 401: 'No or a bad credential', 503: 'The database is unavailable' })
@Controller('user/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Access.permission('account:read')
  @Get()
  @ApiOperation({ summary: 'Notifications (token expiry reminders, policy revocations, …), newest first, with the unread count' })
  @ApiOkResponse({ type: NotificationListResponseDto })
  list(@CurrentPrincipal() principal: Principal): Promise<NotificationListResponse> {
    return this.notifications.list(principal.user.id);
  }

  @Access.permission('account:write')
  @Post('read')
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark notifications read: `{"ids": [...]}` or `{"all": true}`' })
  @ApiNoContentResponse({ description: 'Marked (ids that are not yours are ignored)' })
  @ApiErrors({ 422: 'Neither or both of ids and all, or a bad id' })
  async markRead(@CurrentPrincipal() principal: Principal, @Body() dto: MarkNotificationsReadDto): Promise<void> {
    await this.notifications.markRead(principal.user.id, dto);
  }
}
