export const ARTICLE_TITLE_MAX_LENGTH = 200;
export const ARTICLE_DESCRIPTION_MAX_LENGTH = 1000;
export const ARTICLE_BODY_MAX_LENGTH = 100_000;
export const TAG_MAX_LENGTH = 50;
export const ARTICLE_MAX_TAGS = 20;
export const COMMENT_BODY_MAX_LENGTH = 10_000;
export const ARTICLE_LIST_DEFAULT_LIMIT = 20;
export const ARTICLE_LIST_MAX_LIMIT = 100;

export interface Profile {
  username: string;
  bio: string | null;
  image: string | null;
  following: boolean;
}

export interface ProfileResponse {
  profile: Profile;
}

export interface Article {
  slug: string;
  title: string;
  description: string;
  body: string;
  /** Sorted by code point, whatever order they were written in. */
  tagList: string[];
  createdAt: string;
  updatedAt: string;
  favorited: boolean;
  favoritesCount: number;
  author: Profile;
}

/** Articles in a list carry everything but the body. */
export type ArticlePreview = Omit<Article, 'body'>;

export interface SingleArticleResponse {
  article: Article;
}

export interface MultipleArticlesResponse {
  articles: ArticlePreview[];
  articlesCount: number;
}

export interface NewArticleRequest {
  article: { title: string; description: string; body: string; tagList?: string[] };
}

export interface UpdateArticleRequest {
  article: { title?: string; description?: string; body?: string; tagList?: string[] };
}

export interface Comment {
  id: number;
  createdAt: string;
  updatedAt: string;
  body: string;
  author: Profile;
}

export interface NewCommentRequest {
  comment: { body: string };
}

export interface SingleCommentResponse {
  comment: Comment;
}

export interface MultipleCommentsResponse {
  comments: Comment[];
}

export interface TagsResponse {
  tags: string[];
}
