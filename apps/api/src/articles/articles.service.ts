import { Injectable } from '@nestjs/common';
import {
  ARTICLE_LIST_DEFAULT_LIMIT, TAG_MAX_LENGTH, USERNAME_MAX_LENGTH,
  type MultipleArticlesResponse, type SingleArticleResponse, type TagsResponse,
} from '@conduit/contracts';
import { forbidden, notFound } from '../common/http/errors';
import { isQueryableText } from '../common/http/validators';
import { toArticle, toArticlePreview } from './article.mapper';
import { ArticleFilter, ArticlesRepository, SlugTakenError } from './articles.repository';
import type { FeedQueryDto, ListArticlesQueryDto, NewArticleDto, UpdateArticleDto } from './dto/article.dto';
import { isPossibleSlug, slugify, withSuffix } from './slug';

/** Candidate slugs for a title: the plain one, then with random suffixes. */
function* slugCandidates(title: string): Generator<string> {
  const base = slugify(title);
  yield base;
  for (let i = 0; i < 5; i++) yield withSuffix(base);
}

/** Trimmed, without duplicates, in the author's order. */
export function normalizeTags(tags: string[] | undefined): string[] {
  return [...new Set((tags ?? []).map((t) => t.trim()))];
}

@Injectable()
export class ArticlesService {
  constructor(private readonly articles: ArticlesRepository) {}

  async list(query: ListArticlesQueryDto, viewerId: string | null): Promise<MultipleArticlesResponse> {
    const filter: ArticleFilter = {};
    // A filter value that no tag or user can have matches nothing: answer without a query.
    if (query.tag !== undefined) {
      if (!isQueryableText(query.tag, TAG_MAX_LENGTH)) return { articles: [], articlesCount: 0 };
      filter.tag = query.tag;
    }
    if (query.author !== undefined) {
      if (!isQueryableText(query.author, USERNAME_MAX_LENGTH)) return { articles: [], articlesCount: 0 };
      filter.author = query.author;
    }
    if (query.favorited !== undefined) {
      if (!isQueryableText(query.favorited, USERNAME_MAX_LENGTH)) return { articles: [], articlesCount: 0 };
      filter.favoritedBy = query.favorited;
    }
    return this.page(filter, viewerId, query);
  }

  feed(query: FeedQueryDto, userId: string): Promise<MultipleArticlesResponse> {
    return this.page({ feedOf: userId }, userId, query);
  }

  async get(slug: string, viewerId: string | null): Promise<SingleArticleResponse> {
    const row = isPossibleSlug(slug) ? await this.articles.findBySlug(slug, viewerId) : null;
    if (!row) throw notFound('article');
    return { article: toArticle(row) };
  }

  async create(authorId: string, dto: NewArticleDto): Promise<SingleArticleResponse> {
    const { title, description, body, tagList } = dto.article;
    const slug = await this.articles.insert(authorId, { title, description, body }, normalizeTags(tagList), slugCandidates(title));
    return this.get(slug, authorId);
  }

  async update(slug: string, authorId: string, dto: UpdateArticleDto): Promise<SingleArticleResponse> {
    if (!isPossibleSlug(slug)) throw notFound('article');
    const { title, description, body, tagList } = dto.article;
    const tags = tagList === undefined ? undefined : normalizeTags(tagList);
    // The slug follows the title; a title that slugifies the same keeps the slug it has.
    const nextSlug = async (current: { title: string; slug: string }, isTaken: (slug: string) => Promise<boolean>, forceSuffix: boolean) => {
      if (title === undefined || slugify(title) === slugify(current.title)) return current.slug;
      const base = slugify(title);
      if (!forceSuffix && !(await isTaken(base))) return base;
      return withSuffix(base);
    };
    let updated: string | null = null;
    for (let attempt = 0; ; attempt++) {
      try {
        updated = await this.articles.update(slug, authorId, { title, description, body }, tags, (current, isTaken) => nextSlug(current, isTaken, attempt > 0));
        break;
      } catch (error) {
        if (!(error instanceof SlugTakenError) || attempt >= 3) throw error;
      }
    }
    if (updated === null) throw await this.refusal(slug);
    return this.get(updated, authorId);
  }

  async delete(slug: string, authorId: string): Promise<void> {
    if (!isPossibleSlug(slug)) throw notFound('article');
    if (!(await this.articles.delete(slug, authorId))) throw await this.refusal(slug);
  }

  async favorite(slug: string, userId: string): Promise<SingleArticleResponse> {
    if (!isPossibleSlug(slug)) throw notFound('article');
    await this.articles.favorite(userId, slug);
    return this.get(slug, userId);
  }

  async unfavorite(slug: string, userId: string): Promise<SingleArticleResponse> {
    if (!isPossibleSlug(slug)) throw notFound('article');
    await this.articles.unfavorite(userId, slug);
    return this.get(slug, userId);
  }

  async tags(): Promise<TagsResponse> {
    return { tags: await this.articles.tags() };
  }

  private async page(filter: ArticleFilter, viewerId: string | null, query: FeedQueryDto): Promise<MultipleArticlesResponse> {
    const { rows, total } = await this.articles.list(filter, viewerId, query.limit ?? ARTICLE_LIST_DEFAULT_LIMIT, query.offset ?? 0);
    return { articles: rows.map(toArticlePreview), articlesCount: total };
  }

  /** The error for an ownership-checked write that matched nothing: 404 if no such article, else 403. */
  private async refusal(slug: string) {
    return (await this.articles.ownership(slug)) === 'missing' ? notFound('article') : forbidden('article', 'forbidden');
  }
}
