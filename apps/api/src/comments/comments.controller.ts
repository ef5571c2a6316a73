import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MultipleCommentsResponse, SingleCommentResponse } from '@conduit/contracts';
import { Access } from '../access/access.decorator';
import { CurrentPrincipal } from '../access/current-principal';
import type { Principal } from '../access/principal';
import { CommentsService } from './comments.service';
import { MultipleCommentsResponseDto, NewCommentDto, SingleCommentResponseDto } from './dto/comment.dto';
import { ApiErrors } from '../openapi/openapi';

@ApiTags('comments')
@Controller('articles/:slug/comments')
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

  @Access.permission('comments:write')
  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Comment on an article' })
  @ApiErrors(404)
  @ApiCreatedResponse({ type: SingleCommentResponseDto })
  add(@Param('slug') slug: string, @Body() dto: NewCommentDto, @CurrentPrincipal() principal: Principal): Promise<SingleCommentResponse> {
    return this.comments.add(slug, principal.user.id, dto);
  }

  @Access.optional('comments:read')
  @Get()
  @ApiOperation({ summary: "An article's comments, oldest first (auth optional)" })
  @ApiErrors(404)
  @ApiOkResponse({ type: MultipleCommentsResponseDto })
  list(@Param('slug') slug: string, @CurrentPrincipal() principal: Principal | undefined): Promise<MultipleCommentsResponse> {
    return this.comments.list(slug, principal?.user.id ?? null);
  }

  @Access.permission('comments:write')
  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: "Delete your comment (403 for someone else's)" })
  @ApiErrors(403, 404)
  @ApiNoContentResponse()
  async delete(@Param('slug') slug: string, @Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<void> {
    await this.comments.delete(slug, id, principal.user.id);
  }
}
