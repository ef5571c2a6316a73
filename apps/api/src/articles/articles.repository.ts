import { Injectable } from '@nestjs/common';
import { Db, type Queryable } from '../database/db';
import { isForeignKeyViolation, isUniqueViolation } from '../database/pg-errors';
import type { ArticleRow } from './article.mapper';

/** Filters of an article list. `feedOf`: only authors that this user follows. */
export interface ArticleFilter {
  tag?: string;
  author?: string;
  favoritedBy?: string;
  feedOf?: string;
}

export interface ArticlePage {
  rows: ArticleRow[];
  total: number;
}

export interface ArticleFields {
  title: string;
  description: string;
  body: string;
}

/** Who may change an article: the answer when an ownership-checked write matched nothing. */
export type Ownership = 'missing' | 'not-owner';

/**
 * Everything shown for an article, with the viewer as $1 (NULL for anonymous callers): author
 * profile, following, favorited, favoritesCount (a column kept by a trigger) and the tags, sorted
 * by code point (the same order on every database, whatever its locale).
 * One statement however many articles: the correlated subqueries are index lookups per row.
 */
const articleColumns = (withBody: boolean) => `
  a.slug, a.title, a.description,${withBody ? ' a.body,' : ''} a.created_at, a.updated_at, a.favorites_count,
  ARRAY(SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id
         WHERE at.article_id = a.id ORDER BY t.name COLLATE "C") AS tag_list,
  u.username AS author_username, u.bio AS author_bio, u.image AS author_image,
  EXISTS (SELECT 1 FROM favorites f WHERE f.user_id = $1 AND f.article_id = a.id) AS favorited,
  EXISTS (SELECT 1 FROM follows fo WHERE fo.follower_id = $1 AND fo.followee_id = a.author_id) AS author_following`;

const FIND_BY_SLUG_SQL = `
  SELECT ${articleColumns(true)}
    FROM articles a JOIN users u ON u.id = a.author_id
   WHERE a.slug = $2`;

/** The WHERE clause of a list, each filter served by an index; parameters from $4 on. */
function listWhere(filter: ArticleFilter): { key: string; where: string; values: unknown[] } {
  const clauses: string[] = [];
  const values: unknown[] = [];
  const keys: string[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length + 3}`;
  };
  if (filter.feedOf !== undefined) {
    keys.push('feed');
    clauses.push(`a.author_id IN (SELECT fo.followee_id FROM follows fo WHERE fo.follower_id = ${param(filter.feedOf)})`);
  }
  if (filter.author !== undefined) {
    keys.push('author');
    clauses.push(`a.author_id = (SELECT id FROM users WHERE username = ${param(filter.author)})`);
  }
  if (filter.tag !== undefined) {
    keys.push('tag');
    clauses.push(`a.id IN (SELECT at.article_id FROM article_tags at
                            WHERE at.tag_id = (SELECT id FROM tags WHERE name = ${param(filter.tag)}))`);
  }
  if (filter.favoritedBy !== undefined) {
    keys.push('favorited');
    clauses.push(`a.id IN (SELECT f.article_id FROM favorites f
                            WHERE f.user_id = (SELECT id FROM users WHERE username = ${param(filter.favoritedBy)}))`);
  }
  return { key: keys.join('_') || 'all', where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', values };
}

/** The one place that knows how articles, their tags and favorites are queried. */
@Injectable()
export class ArticlesRepository {
  constructor(private readonly db: Db) {}

  /**
   * One page of articles, newest first, with everything the list shows and the total count, in one
   * statement. The page walks an index in order and stops after `limit` rows; the count is a
   * separate (uncorrelated, run once) part of the same statement, so an empty page past the end
   * still carries it.
   */
  async list(filter: ArticleFilter, viewerId: string | null, limit: number, offset: number): Promise<ArticlePage> {
    const { key, where, values } = listWhere(filter);
    // A tag alone: its usage count is kept on the tag row (no need to count its articles).
    const totalSql = key === 'tag' ? 'SELECT COALESCE((SELECT articles_count FROM tags WHERE name = $4), 0) AS total' : `SELECT count(*) AS total FROM articles a ${where}`;
    const rows = await this.db.query<ArticleRow & { total: string; slug: string | null }>(
      `WITH total AS (
         ${totalSql}
       ), page AS (
         SELECT a.id FROM articles a ${where}
          ORDER BY a.created_at DESC, a.id DESC
          LIMIT $2 OFFSET $3
       )
       SELECT total.total, listed.*
         FROM total
         LEFT JOIN LATERAL (
           SELECT a.id AS article_id, ${articleColumns(false)}
             FROM page p JOIN articles a ON a.id = p.id JOIN users u ON u.id = a.author_id
         ) listed ON true
        ORDER BY listed.created_at DESC, listed.article_id DESC`,
      [viewerId, limit, offset, ...values],
      `articles_list_${key}`,
    );
    const total = Number(rows[0]?.total ?? 0);
    return { rows: rows.filter((r) => r.slug !== null), total };
  }

  async findBySlug(slug: string, viewerId: string | null): Promise<(ArticleRow & { body: string }) | null> {
    const rows = await this.db.query<ArticleRow & { body: string }>(FIND_BY_SLUG_SQL, [viewerId, slug], 'articles_find_by_slug');
    return rows[0] ?? null;
  }

  /** Why an ownership-checked write on `slug` matched nothing. */
  async ownership(slug: string): Promise<Ownership> {
    const rows = await this.db.query('SELECT 1 FROM articles WHERE slug = $1', [slug], 'articles_exists');
    return rows.length ? 'not-owner' : 'missing';
  }

  /**
   * Inserts the article and its tags in one transaction. `slugs` yields candidate slugs: the next
   * one is tried while the previous is taken.
   */
  async insert(authorId: string, fields: ArticleFields, tags: string[], slugs: Iterable<string>): Promise<string> {
    return this.db.transaction(async (tx) => {
      for (const slug of slugs) {
        const [row] = await tx.query<{ id: string }>(`INSERT INTO articles (slug, author_id, title, description, body)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (slug) DO NOTHING
           RETURNING id`,
          [slug, authorId, fields.title, fields.description, fields.body],
        );
        if (row) {
          await this.setTags(tx, row.id, tags);
          return slug;
        }
      }
      throw new Error('no free slug found');
    });
  }

  /**
   * Updates the article `slug` if `authorId` wrote it (checked in the query, with a row lock).
   * `newSlug(current, isTaken)` picks the slug it has afterwards; null when nothing matched.
   */
  async update(
    slug: string,
    authorId: string,
    changes: Partial<ArticleFields>,
    tags: string[] | undefined,
    newSlug: (current: { title: string; slug: string }, isTaken: (slug: string) => Promise<boolean>) => Promise<string>,
  ): Promise<string | null> {
    try {
      return await this.db.transaction(async (tx) => {
        const [current] = await tx.query<{ id: string; title: string; slug: string }>('SELECT id, title, slug FROM articles WHERE slug = $1 AND author_id = $2 FOR UPDATE',
          [slug, authorId],
        );
        if (!current) return null;
        const isTaken = async (candidate: string) => (await tx.query('SELECT 1 FROM articles WHERE slug = $1', [candidate])).length > 0;
        const nextSlug = await newSlug(current, isTaken);
        await tx.query(`UPDATE articles
              SET title = COALESCE($3, title), description = COALESCE($4, description), body = COALESCE($5, body),
                  slug = $6,
                  -- strictly later than before, even within the same millisecond
                  updated_at = GREATEST(clock_timestamp(), updated_at + interval '1 millisecond')
            WHERE id = $1 AND author_id = $2`,
          [current.id, authorId, changes.title ?? null, changes.description ?? null, changes.body ?? null, nextSlug],
        );
        if (tags !== undefined) {
          await tx.query('DELETE FROM article_tags WHERE article_id = $1', [current.id]);
          await this.setTags(tx, current.id, tags);
        }
        return nextSlug;
      });
    } catch (error) {
      if (isSlugConflict(error)) throw new SlugTakenError();
      throw error;
    }
  }

  /** Deletes the article if `authorId` wrote it; comments, tags links and favorites go with it (cascade). */
  async delete(slug: string, authorId: string): Promise<boolean> {
    const rows = await this.db.query('DELETE FROM articles WHERE slug = $1 AND author_id = $2 RETURNING id', [slug, authorId], 'articles_delete');
    return rows.length > 0;
  }

  /**
   * Idempotent; favorites_count follows through the trigger, in the same statement. An article
   * deleted meanwhile is simply not favorited (the caller then finds no article).
   */
  async favorite(userId: string, slug: string): Promise<void> {
    await this.db
      .query(
        `INSERT INTO favorites (user_id, article_id)
         SELECT $1, a.id FROM articles a WHERE a.slug = $2
         ON CONFLICT DO NOTHING`,
        [userId, slug],
        'favorites_insert',
      )
      .catch((error: unknown) => {
        if (!isForeignKeyViolation(error)) throw error;
      });
  }

  async unfavorite(userId: string, slug: string): Promise<void> {
    await this.db.query(
      'DELETE FROM favorites f USING articles a WHERE a.slug = $2 AND f.article_id = a.id AND f.user_id = $1',
      [userId, slug],
      'favorites_delete',
    );
  }

  /** Tags in use, most used first. */
  async tags(): Promise<string[]> {
    const rows = await this.db.query<{ name: string }>(
      'SELECT name FROM tags WHERE articles_count > 0 ORDER BY articles_count DESC, name',
      [],
      'tags_in_use',
    );
    return rows.map((r) => r.name);
  }

  /** Links `tags` (creating the missing ones) to the article, in order. */
  private async setTags(tx: Queryable, articleId: string, tags: string[]): Promise<void> {
    if (tags.length === 0) return;
    // Missing tags first; in READ COMMITTED the next statement sees tags that a concurrent
    // transaction created meanwhile (ON CONFLICT waited for it to commit).
    await tx.query('INSERT INTO tags (name) SELECT unnest($1::varchar[]) ON CONFLICT (name) DO NOTHING', [tags]);
    await tx.query(
      `INSERT INTO article_tags (article_id, tag_id, position)
       SELECT $1, t.id, x.position FROM unnest($2::varchar[]) WITH ORDINALITY AS x(name, position) JOIN tags t ON t.name = x.name
        ORDER BY t.id`, // tag rows (their articles_count) are locked in id order: fewer deadlocks
      [articleId, tags],
    );
  }
}

/** Another article took the new slug between the check and the update. */
export class SlugTakenError extends Error {}

const isSlugConflict = (error: unknown): boolean => isUniqueViolation(error, 'articles_slug_key');
