import { Injectable } from '@nestjs/common';
import type { MultipleCommentsResponse, SingleCommentResponse } from '@conduit/contracts';
import { forbidden, notFound } from '../common/http/errors';
import { isPossibleSlug } from '../articles/slug';
import { toComment } from './comment.mapper';
import { CommentsRepository } from './comments.repository';
import type { NewCommentDto } from './dto/comment.dto';

/** A comment id as the URL gives it: a positive integer that fits a bigint, else null (no such comment). */
export function parseCommentId(raw: string): string | null {
  return /^[1-9]\d{0,17}$/.test(raw) ? raw : null;
}

@Injectable()
export class CommentsService {
  constructor(private readonly comments: CommentsRepository) {}

  async add(slug: string, authorId: string, dto: NewCommentDto): Promise<SingleCommentResponse> {
    const row = isPossibleSlug(slug) ? await this.comments.insert(slug, authorId, dto.comment.body) : null;
    if (!row) throw notFound('article');
    return { comment: toComment(row) };
  }

  async list(slug: string, viewerId: string | null): Promise<MultipleCommentsResponse> {
    const rows = isPossibleSlug(slug) ? await this.comments.listByArticle(slug, viewerId) : null;
    if (!rows) throw notFound('article');
    return { comments: rows.map(toComment) };
  }

  async delete(slug: string, rawId: string, authorId: string): Promise<void> {
    if (!isPossibleSlug(slug)) throw notFound('article');
    const refusal = await this.comments.delete(slug, parseCommentId(rawId), authorId);
    if (refusal === 'article-missing') throw notFound('article');
    if (refusal === 'comment-missing') throw notFound('comment');
    if (refusal === 'not-owner') throw forbidden('comment', 'forbidden');
  }
}
