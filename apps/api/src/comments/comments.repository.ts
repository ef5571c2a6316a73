import { Injectable } from '@nestjs/common';
import { Db } from '../database/db';
import { isForeignKeyViolation } from '../database/pg-errors';
import type { CommentRow } from './comment.mapper';

/** Why an ownership-checked comment deletion matched nothing. */
export type CommentRefusal = 'article-missing' | 'comment-missing' | 'not-owner';

/** The one place that knows how comments are queried. */
@Injectable()
export class CommentsRepository {
  constructor(private readonly db: Db) {}

  /** Adds a comment to the article `slug`; null when there is no such article. */
  async insert(slug: string, authorId: string, body: string): Promise<CommentRow | null> {
    const rows = await this.db.query<CommentRow>(
      `WITH c AS (
         INSERT INTO comments (article_id, author_id, body)
         SELECT a.id, $2, $3 FROM articles a WHERE a.slug = $1
         RETURNING id, author_id, body, created_at, updated_at
       )
       SELECT c.id, c.body, c.created_at, c.updated_at,
              u.username AS author_username, u.bio AS author_bio, u.image AS author_image, false AS author_following
         FROM c JOIN users u ON u.id = c.author_id`,
      [slug, authorId, body],
      'comments_insert',
    ).catch((error: unknown) => {
      // The article was deleted between the lookup and the insert: there is no such article.
      if (isForeignKeyViolation(error)) return [];
      throw error;
    });
    return rows[0] ?? null;
  }

  /**
   * The comments of the article `slug`, oldest first, with their authors, in one statement; null
   * when there is no such article (an article without comments gives []).
   */
  async listByArticle(slug: string, viewerId: string | null): Promise<CommentRow[] | null> {
    const rows = await this.db.query<CommentRow & { id: string | null }>(
      `SELECT c.id, c.body, c.created_at, c.updated_at,
              u.username AS author_username, u.bio AS author_bio, u.image AS author_image,
              EXISTS (SELECT 1 FROM follows fo WHERE fo.follower_id = $2 AND fo.followee_id = c.author_id) AS author_following
         FROM articles a
         LEFT JOIN comments c ON c.article_id = a.id
         LEFT JOIN users u ON u.id = c.author_id
        WHERE a.slug = $1
        ORDER BY c.created_at, c.id`,
      [slug, viewerId],
      'comments_list_by_article',
    );
    if (rows.length === 0) return null;
    return rows.filter((r) => r.id !== null);
  }

  /** Deletes comment `id` of article `slug` if `authorId` wrote it (checked in the query). */
  async delete(slug: string, id: string | null, authorId: string): Promise<CommentRefusal | null> {
    if (id !== null) {
      const deleted = await this.db.query(
        `DELETE FROM comments c USING articles a
          WHERE a.slug = $1 AND c.article_id = a.id AND c.id = $2 AND c.author_id = $3
          RETURNING c.id`,
        [slug, id, authorId],
        'comments_delete',
      );
      if (deleted.length > 0) return null;
    }
    const [found] = await this.db.query<{ author_id: string | null }>(
      `SELECT c.author_id FROM articles a LEFT JOIN comments c ON c.article_id = a.id AND c.id = $2 WHERE a.slug = $1`,
      [slug, id],
      'comments_find_owner',
    );
    if (!found) return 'article-missing';
    return found.author_id === null ? 'comment-missing' : 'not-owner';
  }
}
