import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import {
  ARTICLE_BODY_MAX_LENGTH, ARTICLE_DESCRIPTION_MAX_LENGTH, ARTICLE_LIST_DEFAULT_LIMIT, ARTICLE_LIST_MAX_LIMIT, ARTICLE_MAX_TAGS,
  ARTICLE_TITLE_MAX_LENGTH, TAG_MAX_LENGTH,
  type Article, type ArticlePreview, type MultipleArticlesResponse, type NewArticleRequest, type SingleArticleResponse,
  type UpdateArticleRequest,
} from '@conduit/contracts';
import {
  EachNonBlankString, IsNotBlank, MUST_BE_STRING, present, RequiredText, toIntegerIfNumeric, tooLong, Wrapper,
} from '../../common/http/validators';
import { ProfileDto } from '../../profiles/dto/profile.dto';

/** Offsets beyond this are refused: nobody pages that far, and the database would scan all the way. */
export const ARTICLE_LIST_MAX_OFFSET = 1_000_000;

/** tagList: an array (null refused) of at most ARTICLE_MAX_TAGS non-blank strings of at most TAG_MAX_LENGTH. */
function TagList(): PropertyDecorator {
  return (target: object, key: string | symbol) => {
    present('tagList')(target, key);
    IsArray({ message: 'must be an array of strings' })(target, key);
    ArrayMaxSize(ARTICLE_MAX_TAGS, { message: `has too many tags (maximum is ${ARTICLE_MAX_TAGS})` })(target, key);
    EachNonBlankString(TAG_MAX_LENGTH)(target, key);
  };
}

function RequiredTextUpTo(max: number): PropertyDecorator {
  return (target: object, key: string | symbol) => {
    RequiredText()(target, key);
    MaxLength(max, tooLong(max))(target, key);
  };
}

function OptionalText(field: string, max: number): PropertyDecorator {
  return (target: object, key: string | symbol) => {
    present(field)(target, key);
    IsString(MUST_BE_STRING)(target, key);
    IsNotBlank()(target, key);
    MaxLength(max, tooLong(max))(target, key);
  };
}

class NewArticleBody {
  @ApiProperty({ example: 'How to train your dragon', maxLength: ARTICLE_TITLE_MAX_LENGTH })
  @RequiredTextUpTo(ARTICLE_TITLE_MAX_LENGTH)
  title: string;

  @ApiProperty({ example: 'Ever wonder how?', maxLength: ARTICLE_DESCRIPTION_MAX_LENGTH })
  @RequiredTextUpTo(ARTICLE_DESCRIPTION_MAX_LENGTH)
  description: string;

  @ApiProperty({ example: 'You have to believe', maxLength: ARTICLE_BODY_MAX_LENGTH })
  @RequiredTextUpTo(ARTICLE_BODY_MAX_LENGTH)
  body: string;

  @ApiPropertyOptional({
    type: [String], example: ['reactjs', 'angularjs'], maxItems: ARTICLE_MAX_TAGS,
    description: 'Trimmed; duplicates are dropped, order is kept. null is refused (omit it or send []).',
  })
  @TagList()
  tagList?: string[];
}

export class NewArticleDto implements NewArticleRequest {
  @ApiProperty({ type: NewArticleBody })
  @Wrapper(() => NewArticleBody)
  article: NewArticleBody;
}

class UpdateArticleBody {
  @ApiPropertyOptional({ description: 'A new title gives the article a new slug.' })
  @OptionalText('title', ARTICLE_TITLE_MAX_LENGTH)
  title?: string;

  @ApiPropertyOptional() @OptionalText('description', ARTICLE_DESCRIPTION_MAX_LENGTH)
  description?: string;

  @ApiPropertyOptional() @OptionalText('body', ARTICLE_BODY_MAX_LENGTH)
  body?: string;

  @ApiPropertyOptional({ type: [String], description: 'Replaces the tags ([] removes them all); omitted: tags unchanged; null: 422.' })
  @TagList()
  tagList?: string[];
}

export class UpdateArticleDto implements UpdateArticleRequest {
  @ApiProperty({ type: UpdateArticleBody })
  @Wrapper(() => UpdateArticleBody)
  article: UpdateArticleBody;
}

export class FeedQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: ARTICLE_LIST_MAX_LIMIT, default: ARTICLE_LIST_DEFAULT_LIMIT })
  @IsOptional()
  @Transform(toIntegerIfNumeric)
  @IsInt({ message: 'must be an integer' })
  @Min(1, { message: 'must be at least 1' })
  @Max(ARTICLE_LIST_MAX_LIMIT, { message: `must be at most ${ARTICLE_LIST_MAX_LIMIT}` })
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: ARTICLE_LIST_MAX_OFFSET, default: 0 })
  @IsOptional()
  @Transform(toIntegerIfNumeric)
  @IsInt({ message: 'must be an integer' })
  @Min(0, { message: 'must be at least 0' })
  @Max(ARTICLE_LIST_MAX_OFFSET, { message: `must be at most ${ARTICLE_LIST_MAX_OFFSET}` })
  offset?: number;
}

export class ListArticlesQueryDto extends FeedQueryDto {
  @ApiPropertyOptional({ description: 'Only articles with this tag' })
  @IsOptional() @IsString(MUST_BE_STRING)
  tag?: string;

  @ApiPropertyOptional({ description: 'Only articles by this username' })
  @IsOptional() @IsString(MUST_BE_STRING)
  author?: string;

  @ApiPropertyOptional({ description: 'Only articles favorited by this username' })
  @IsOptional() @IsString(MUST_BE_STRING)
  favorited?: string;
}

export class ArticlePreviewDto implements ArticlePreview {
  @ApiProperty({ example: 'how-to-train-your-dragon' }) slug: string;
  @ApiProperty() title: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: [String] }) tagList: string[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ description: 'Whether the caller favorited it (false for anonymous callers)' }) favorited: boolean;
  @ApiProperty() favoritesCount: number;
  @ApiProperty({ type: ProfileDto }) author: ProfileDto;
}

export class ArticleDto extends ArticlePreviewDto implements Article {
  @ApiProperty() body: string;
}

export class SingleArticleResponseDto implements SingleArticleResponse {
  @ApiProperty({ type: ArticleDto }) article: ArticleDto;
}

export class MultipleArticlesResponseDto implements MultipleArticlesResponse {
  @ApiProperty({ type: [ArticlePreviewDto], description: 'Newest first; without bodies' }) articles: ArticlePreviewDto[];
  @ApiProperty({ description: 'How many articles match, over all pages' }) articlesCount: number;
}
