import type { Comment } from '@conduit/contracts';
import { toProfile } from '../profiles/profile.mapper';

/** A comment as CommentsRepository reads it, with its author and whether the caller follows them. */
export interface CommentRow {
  id: string;
  body: string;
  created_at: Date;
  updated_at: Date;
  author_username: string;
  author_bio: string | null;
  author_image: string | null;
  author_following: boolean;
}

export function toComment(row: CommentRow): Comment {
  return {
    id: Number(row.id),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    body: row.body,
    author: toProfile({ username: row.author_username, bio: row.author_bio, image: row.author_image, following: row.author_following }),
  };
}
