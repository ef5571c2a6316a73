import { Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { SingleArticleResponse } from '@conduit/contracts';
import { ArticlesService } from '../articles/articles.service';
import { SingleArticleResponseDto } from '../articles/dto/article.dto';
import { Access } from '../access/access.decorator';
import { CurrentPrincipal } from '../access/current-principal';
import type { Principal } from '../access/principal';
import { ApiErrors } from '../openapi/openapi';

@ApiTags('favorites')
@Controller('articles/:slug/favorite')
export class FavoritesController {
  constructor(private readonly articles: ArticlesService) {}

  @Access.permission('social:write')
  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Favorite an article (idempotent)' })
  @ApiErrors(404)
  @ApiOkResponse({ type: SingleArticleResponseDto })
  favorite(@Param('slug') slug: string, @CurrentPrincipal() principal: Principal): Promise<SingleArticleResponse> {
    return this.articles.favorite(slug, principal.user.id);
  }

  @Access.permission('social:write')
  @Delete()
  @HttpCode(200)
  @ApiOperation({ summary: 'Unfavorite an article (idempotent)' })
  @ApiErrors(404)
  @ApiOkResponse({ type: SingleArticleResponseDto })
  unfavorite(@Param('slug') slug: string, @CurrentPrincipal() principal: Principal): Promise<SingleArticleResponse> {
    return this.articles.unfavorite(slug, principal.user.id);
  }
}
