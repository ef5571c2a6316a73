import { lazy, Suspense, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Article } from '@conduit/contracts';
import { Alert } from '@/components/ui/alert';
import { Dialog } from '@/components/ui/dialog';
import { PageLoader } from '@/components/ui/spinner';
import { ApiError, errorMessage } from '@/lib/api-client';
import { useSession } from '@/lib/session';
import { useDocumentTitle } from '@/lib/use-document-title';
import { Comments } from '@/features/comments/components/comments';
import { FollowButton } from '@/features/profiles/components/follow-button';
import { useArticle } from '../api/get-article';
import { useDeleteArticle } from '../api/delete-article';
import { ArticleMeta } from './article-meta';
import { FavoriteButton } from './favorite-button';
import { TagList } from './tag-list';

/** The markdown renderer (about a fifth of the app's code) loads with the first article page, not with the app. */
const MarkdownBody = lazy(() => import('./markdown').then((m) => ({ default: m.MarkdownBody })));

/** `/article/:slug`: title banner, author actions or follow/favorite, the body, tags, comments. */
export function ArticlePage({ slug }: { slug: string }) {
  const article = useArticle(slug);
  useDocumentTitle(article.data?.title ?? (article.isError ? 'Article not found' : 'Article'));

  if (article.isPending) return <PageLoader label="Loading the article…" />;
  if (article.isError) {
    const missing = article.error instanceof ApiError && article.error.status === 404;
    return (
      <div className="page page--narrow">
        <h1 className="page__title">{missing ? 'Article not found' : 'The article could not be loaded'}</h1>
        <p>{missing ? 'It may have been deleted, or its title (and so its address) changed.' : errorMessage(article.error)}</p>
        <Link className="btn btn--secondary" to="/">
          Go to the home page
        </Link>
      </div>
    );
  }
  const data = article.data;
  return (
    <div className="article-page">
      <header className="article-banner">
        <div className="article-banner__inner">
          <h1 className="article-banner__title">{data.title}</h1>
          <ArticleActions article={data} />
        </div>
      </header>
      <div className="article-page__content">
        <p className="article-page__description">{data.description}</p>
        <Suspense fallback={<p role="status">Loading the article…</p>}>
          <MarkdownBody source={data.body} />
        </Suspense>
        <TagList tags={data.tagList} links />
        <hr className="article-page__rule" />
        <Comments slug={data.slug} />
      </div>
    </div>
  );
}

/** For the author: Edit Article and Delete Article; for everyone else: Follow … and Favorite Article (n). */
function ArticleActions({ article }: { article: Article }) {
  const session = useSession();
  const own = session.user?.username === article.author.username;
  return (
    <ArticleMeta article={article}>
      {own ? <AuthorActions article={article} /> : (
        <>
          <FollowButton profile={article.author} />
          <FavoriteButton article={article} />
        </>
      )}
    </ArticleMeta>
  );
}

function AuthorActions({ article }: { article: Article }) {
  const [confirming, setConfirming] = useState(false);
  const remove = useDeleteArticle();
  const navigate = useNavigate();

  async function confirmDelete() {
    try {
      await remove.mutateAsync(article.slug);
      void navigate('/', { replace: true, state: { notice: `“${article.title}” is deleted.` } });
    } catch {
      // Shown in the dialog.
    }
  }

  return (
    <>
      <Link className="btn btn--secondary btn--small" to={`/editor/${encodeURIComponent(article.slug)}`}>
        <span aria-hidden="true">✎</span> Edit Article
      </Link>
      <button
        type="button"
        className="btn btn--danger-outline btn--small"
        onClick={() => setConfirming(true)}
      >
        <span aria-hidden="true">✕</span> Delete Article
      </button>
      {confirming ? (
        <Dialog
          title="Delete this article?"
          busy={remove.isPending}
          onClose={() => {
            remove.reset();
            setConfirming(false);
          }}
          actions={
            <>
              <button
                type="button"
                className="btn btn--secondary"
                disabled={remove.isPending}
                onClick={() => {
                  remove.reset();
                  setConfirming(false);
                }}
              >
                Cancel
              </button>
              <button type="button" className="btn btn--danger" disabled={remove.isPending} onClick={() => void confirmDelete()}>
                {remove.isPending ? 'Deleting…' : 'Delete Article'}
              </button>
            </>
          }
        >
          <p>
            “{article.title}” and its comments and favorites will be deleted for good.
          </p>
          {remove.isError ? <Alert tone="error">{errorMessage(remove.error)}</Alert> : null}
        </Dialog>
      ) : null}
    </>
  );
}
