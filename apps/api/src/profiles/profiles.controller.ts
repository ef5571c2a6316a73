import { Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ProfileResponse } from '@conduit/contracts';
import { Access } from '../access/access.decorator';
import { CurrentPrincipal } from '../access/current-principal';
import type { Principal } from '../access/principal';
import { ProfileResponseDto } from './dto/profile.dto';
import { ProfilesService } from './profiles.service';
import { ApiErrors } from '../openapi/openapi';

@ApiTags('profiles')
@Controller('profiles/:username')
export class ProfilesController {
  constructor(private readonly profiles: ProfilesService) {}

  @Access.optional('social:read')
  @Get()
  @ApiOperation({ summary: "A user's profile; `following` tells whether the caller follows them (auth optional)" })
  @ApiErrors(404)
  @ApiOkResponse({ type: ProfileResponseDto })
  get(@Param('username') username: string, @CurrentPrincipal() principal: Principal | undefined): Promise<ProfileResponse> {
    return this.profiles.get(username, principal?.user.id ?? null);
  }

  @Access.permission('social:write')
  @Post('follow')
  @HttpCode(200)
  @ApiOperation({ summary: 'Follow a user (idempotent); 404 for an unknown user, 422 for yourself' })
  @ApiErrors(404, 422)
  @ApiOkResponse({ type: ProfileResponseDto })
  follow(@Param('username') username: string, @CurrentPrincipal() principal: Principal): Promise<ProfileResponse> {
    return this.profiles.follow(username, principal.user.id);
  }

  @Access.permission('social:write')
  @Delete('follow')
  @HttpCode(200)
  @ApiOperation({ summary: 'Unfollow a user (idempotent)' })
  @ApiErrors(404, 422)
  @ApiOkResponse({ type: ProfileResponseDto })
  unfollow(@Param('username') username: string, @CurrentPrincipal() principal: Principal): Promise<ProfileResponse> {
    return this.profiles.unfollow(username, principal.user.id);
  }
}
