import type { Article, ArticlePreview } from '@conduit/contracts';
import { toProfile } from '../profiles/profile.mapper';

/** An article as ArticlesRepository reads it: the article, its author and the caller's relation to both. */
export interface ArticleRow {
  slug: string;
  title: string;
  description: string;
  body?: string;
  tag_list: string[];
  created_at: Date;
  updated_at: Date;
  favorites_count: number;
  favorited: boolean;
  author_username: string;
  author_bio: string | null;
  author_image: string | null;
  author_following: boolean;
}

export function toArticlePreview(row: ArticleRow): ArticlePreview {
  return {
    slug: row.slug,
    title: row.title,
    description: row.description,
    tagList: row.tag_list ?? [],
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    favorited: row.favorited === true,
    favoritesCount: Number(row.favorites_count),
    author: toProfile({ username: row.author_username, bio: row.author_bio, image: row.author_image, following: row.author_following }),
  };
}

export function toArticle(row: ArticleRow & { body: string }): Article {
  const { slug, title, description, ...rest } = toArticlePreview(row);
  return { slug, title, description, body: row.body, ...rest };
}
