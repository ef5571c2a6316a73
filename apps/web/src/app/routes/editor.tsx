import { Link, useNavigate, useParams } from 'react-router';
import { PageLoader } from '@/components/ui/spinner';
import { useArticle } from '@/features/articles/api/get-article';
import { EditorForm } from '@/features/articles/components/editor-form';
import { ApiError, errorMessage } from '@/lib/api-client';
import { useSession } from '@/lib/session';
import { useDocumentTitle } from '@/lib/use-document-title';

/** `/editor` (new article) and `/editor/:slug` (the author edits theirs). */
export function EditorRoute() {
  const { slug } = useParams();
  return slug ? <EditArticle key={slug} slug={slug} /> : <NewArticle />;
}

function NewArticle() {
  const navigate = useNavigate();
  useDocumentTitle('New Article');
  return (
    <div className="page page--editor">
      <h1 className="page__title">New Article</h1>
      <EditorForm onSaved={(slug) => void navigate(`/article/${encodeURIComponent(slug)}`)} />
    </div>
  );
}

function EditArticle({ slug }: { slug: string }) {
  const navigate = useNavigate();
  const session = useSession();
  const article = useArticle(slug);
  useDocumentTitle('Edit Article');
  if (article.isPending) return <PageLoader label="Loading the article…" />;
  if (article.isError || article.data.author.username !== session.user?.username) {
    const missing = article.isError && article.error instanceof ApiError && article.error.status === 404;
    return (
      <div className="page page--narrow">
        <h1 className="page__title">{missing ? 'Article not found' : 'You cannot edit this article'}</h1>
        <p>
          {article.isError && !missing
            ? errorMessage(article.error)
            : missing
              ? 'It may have been deleted, or its title (and so its address) changed.'
              : 'Only its author can edit an article.'}
        </p>
        <Link className="btn btn--secondary" to="/">
          Go to the home page
        </Link>
      </div>
    );
  }
  return (
    <div className="page page--editor">
      <h1 className="page__title">Edit Article</h1>
      <EditorForm article={article.data} onSaved={(next) => void navigate(`/article/${encodeURIComponent(next)}`, { replace: true })} />
    </div>
  );
}
