import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MultipleArticlesResponse, SingleArticleResponse } from '@conduit/contracts';
import { Access } from '../access/access.decorator';
import { CurrentPrincipal } from '../access/current-principal';
import type { Principal } from '../access/principal';
import { ArticlesService } from './articles.service';
import {
  FeedQueryDto, ListArticlesQueryDto, MultipleArticlesResponseDto, NewArticleDto, SingleArticleResponseDto, UpdateArticleDto,
} from './dto/article.dto';
import { ApiErrors } from '../openapi/openapi';

@ApiTags('articles')
@Controller('articles')
export class ArticlesController {
  constructor(private readonly articles: ArticlesService) {}

  @Access.optional('articles:read')
  @Get()
  @ApiOperation({ summary: 'Articles, newest first, filtered by tag, author and/or favoriting user (auth optional)' })
  @ApiOkResponse({ type: MultipleArticlesResponseDto })
  list(@Query() query: ListArticlesQueryDto, @CurrentPrincipal() principal: Principal | undefined): Promise<MultipleArticlesResponse> {
    return this.articles.list(query, principal?.user.id ?? null);
  }

  @Access.permission('articles:read')
  @Get('feed')
  @ApiOperation({ summary: 'Articles by the users the caller follows, newest first' })
  @ApiOkResponse({ type: MultipleArticlesResponseDto })
  feed(@Query() query: FeedQueryDto, @CurrentPrincipal() principal: Principal): Promise<MultipleArticlesResponse> {
    return this.articles.feed(query, principal.user.id);
  }

  @Access.permission('articles:write')
  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Write an article; its slug comes from the title (made unique with a suffix when taken)' })
  @ApiCreatedResponse({ type: SingleArticleResponseDto })
  create(@Body() dto: NewArticleDto, @CurrentPrincipal() principal: Principal): Promise<SingleArticleResponse> {
    return this.articles.create(principal.user.id, dto);
  }

  @Access.optional('articles:read')
  @Get(':slug')
  @ApiOperation({ summary: 'One article, with its body (auth optional)' })
  @ApiErrors(404)
  @ApiOkResponse({ type: SingleArticleResponseDto })
  get(@Param('slug') slug: string, @CurrentPrincipal() principal: Principal | undefined): Promise<SingleArticleResponse> {
    return this.articles.get(slug, principal?.user.id ?? null);
  }

  @Access.permission('articles:write')
  @Put(':slug')
  @ApiOperation({ summary: "Update your article (403 for someone else's); a new title gives a new slug" })
  @ApiErrors(403, 404)
  @ApiOkResponse({ type: SingleArticleResponseDto })
  update(@Param('slug') slug: string, @Body() dto: UpdateArticleDto, @CurrentPrincipal() principal: Principal): Promise<SingleArticleResponse> {
    return this.articles.update(slug, principal.user.id, dto);
  }

  @Access.permission('articles:write')
  @Delete(':slug')
  @HttpCode(204)
  @ApiOperation({ summary: "Delete your article with its comments and favorites (403 for someone else's)" })
  @ApiErrors(403, 404)
  @ApiNoContentResponse()
  async delete(@Param('slug') slug: string, @CurrentPrincipal() principal: Principal): Promise<void> {
    await this.articles.delete(slug, principal.user.id);
  }
}
