import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { TagsResponse } from '@conduit/contracts';
import { ArticlesService } from '../articles/articles.service';
import { Access } from '../access/access.decorator';
import { ApiErrors } from '../openapi/openapi';

class TagsResponseDto implements TagsResponse {
  @ApiProperty({ type: [String], example: ['reactjs', 'angularjs'] })
  tags: string[];
}

@ApiTags('tags')
@Controller('tags')
export class TagsController {
  constructor(private readonly articles: ArticlesService) {}

  @Access.public()
  @Get()
  @ApiOperation({ summary: 'Tags of existing articles, most used first' })
  @ApiErrors(503)
  @ApiOkResponse({ type: TagsResponseDto })
  list(): Promise<TagsResponse> {
    return this.articles.tags();
  }
}
