import { useRef, useState, type FormEvent } from 'react';
import { Link, useLocation } from 'react-router';
import { COMMENT_BODY_MAX_LENGTH, type Comment } from '@conduit/contracts';
import { Alert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { errorMessage } from '@/lib/api-client';
import { formatDate } from '@/lib/format-date';
import { splitErrors } from '@/lib/form-errors';
import { useSession } from '@/lib/session';
import { useTimeZone } from '@/lib/time-zone';
import { Avatar } from '@/features/profiles/components/avatar';
import { useComments } from '../api/get-comments';
import { useCreateComment } from '../api/create-comment';
import { useDeleteComment } from '../api/delete-comment';

/** An article's comments, oldest first; the form to post one (signed in); delete for one's own. */
export function Comments({ slug }: { slug: string }) {
  const session = useSession();
  const location = useLocation();
  const comments = useComments(slug);
  const heading = useRef<HTMLHeadingElement>(null);
  const [deleted, setDeleted] = useState('');
  const from = { pathname: location.pathname, search: location.search, hash: location.hash };
  return (
    <section className="comments" aria-labelledby="comments-title">
      <h2 id="comments-title" className="section-title" tabIndex={-1} ref={heading}>
        Comments{comments.data ? ` (${comments.data.length})` : ''}
      </h2>
      <p className="visually-hidden" role="status">
        {deleted}
      </p>
      {session.status === 'authenticated' ? (
        <CommentForm slug={slug} username={session.user.username} image={session.user.image} />
      ) : session.status === 'anonymous' ? (
        <p className="comments__signin">
          <Link to="/login" state={{ from }}>
            Sign in
          </Link>{' '}
          or{' '}
          <Link to="/register" state={{ from }}>
            sign up
          </Link>{' '}
          to add comments on this article.
        </p>
      ) : null}
      {comments.isPending ? (
        <p role="status">Loading comments…</p>
      ) : comments.isError ? (
        <Alert tone="error">The comments could not be loaded. {errorMessage(comments.error)}</Alert>
      ) : comments.data.length === 0 ? (
        <p className="comments__empty">No comments yet.</p>
      ) : (
        <ul className="comment-list">
          {comments.data.map((comment) => (
            <CommentCard
              key={comment.id}
              slug={slug}
              comment={comment}
              own={session.user?.username === comment.author.username}
              onDeleted={() => {
                // The button that had focus is gone: focus goes to the list's heading, and the change is announced.
                setDeleted('Your comment is deleted.');
                heading.current?.focus();
              }}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function CommentForm({ slug, username, image }: { slug: string; username: string; image: string | null }) {
  const create = useCreateComment();
  const [body, setBody] = useState('');
  const [clientError, setClientError] = useState<string[]>([]);
  const [posted, setPosted] = useState('');
  const textarea = useRef<HTMLTextAreaElement>(null);
  const server = splitErrors<'body'>(create.error, ['body']);
  const errors = clientError.length > 0 ? clientError : (server.byField.body ?? []);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!body.trim()) {
      setClientError(['Write something first.']);
      textarea.current?.focus();
      return;
    }
    setClientError([]);
    try {
      await create.mutateAsync({ slug, body });
      setBody('');
      setPosted('Your comment is posted.');
      create.reset();
    } catch {
      textarea.current?.focus();
    }
  }

  return (
    <form className="card comment-form" onSubmit={onSubmit} noValidate aria-label="Write a comment">
      {server.other.length > 0 ? <Alert tone="error">{server.other.join(' ')}</Alert> : null}
      <Field label={<span className="visually-hidden">Your comment</span>} errors={errors}>
        {(p) => (
          <textarea
            {...p}
            ref={textarea}
            name="comment"
            rows={3}
            placeholder="Write a comment..."
            maxLength={COMMENT_BODY_MAX_LENGTH}
            value={body}
            onChange={(e) => {
              setBody(e.target.value);
              setPosted('');
            }}
          />
        )}
      </Field>
      <div className="comment-form__footer">
        <span className="comment-form__who">
          <Avatar username={username} image={image} />
          <span className="visually-hidden">Commenting as </span>
          {username}
        </span>
        <span className="form__status form__status--ok" role="status">
          {posted}
        </span>
        <button type="submit" className="btn btn--primary btn--small" disabled={create.isPending}>
          {create.isPending ? 'Posting…' : 'Post Comment'}
        </button>
      </div>
    </form>
  );
}

function CommentCard({ slug, comment, own, onDeleted }: { slug: string; comment: Comment; own: boolean; onDeleted: () => void }) {
  const remove = useDeleteComment();
  const timeZone = useTimeZone();
  const profile = `/profile/${encodeURIComponent(comment.author.username)}`;
  return (
    <li className="card comment">
      <p className="comment__body">{comment.body}</p>
      <div className="comment__footer">
        <Link to={profile} tabIndex={-1} aria-hidden="true" className="comment__avatar">
          <Avatar username={comment.author.username} image={comment.author.image} />
        </Link>
        <Link to={profile} className="comment-author">
          {comment.author.username}
        </Link>
        <time className="date-posted" dateTime={comment.createdAt}>
          {formatDate(comment.createdAt, timeZone)}
        </time>
        {own ? (
          <button
            type="button"
            className="btn btn--ghost btn--small comment__delete"
            aria-label={`Delete your comment of ${formatDate(comment.createdAt, timeZone)}: “${preview(comment.body)}”`}
            disabled={remove.isPending}
            onClick={() => remove.mutate({ slug, id: comment.id }, { onSuccess: onDeleted })}
          >
            Delete
          </button>
        ) : null}
      </div>
      {remove.isError ? <Alert tone="error">The comment could not be deleted. {errorMessage(remove.error)}</Alert> : null}
    </li>
  );
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 40 ? `${flat.slice(0, 40)}…` : flat;
}
