import type { ReactNode } from 'react';
import type { ArticlePreview } from '@conduit/contracts';
import { Link } from 'react-router';
import { formatDate } from '@/lib/format-date';
import { useTimeZone } from '@/lib/time-zone';
import { Avatar } from '@/features/profiles/components/avatar';

/** Author picture and name (→ profile) and the date, with optional actions next to them. */
export function ArticleMeta({ article, children }: { article: ArticlePreview; children?: ReactNode }) {
  const timeZone = useTimeZone();
  const profile = `/profile/${encodeURIComponent(article.author.username)}`;
  return (
    <div className="article-meta">
      <Link to={profile} className="article-meta__avatar" tabIndex={-1} aria-hidden="true">
        <Avatar username={article.author.username} image={article.author.image} />
      </Link>
      <div className="article-meta__info">
        <Link to={profile} className="author">
          {article.author.username}
        </Link>
        <time className="date" dateTime={article.createdAt}>
          {formatDate(article.createdAt, timeZone)}
        </time>
      </div>
      {children ? <div className="article-meta__actions">{children}</div> : null}
    </div>
  );
}
