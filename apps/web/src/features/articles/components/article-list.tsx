import { Alert } from '@/components/ui/alert';
import { Skeleton } from '@/components/ui/skeleton';
import { errorMessage } from '@/lib/api-client';
import { useArticles } from '../api/get-articles';
import { ARTICLES_PER_PAGE, type ArticleFilter } from '../api/keys';
import { ArticlePreview } from './article-preview';
import { Pagination } from './pagination';

interface ArticleListProps {
  filter: ArticleFilter;
  page: number;
  onPageChange: (page: number) => void;
  /** What to say when the list is empty. */
  empty: string;
  /** The tab panel's accessible name. */
  label: string;
}

/** A page of article previews with pagination; loading, error and empty states. */
export function ArticleList({ filter, page, onPageChange, empty, label }: ArticleListProps) {
  const articles = useArticles(filter, page);
  if (articles.isPending) {
    return (
      <div className="article-list" aria-busy="true" aria-label={label}>
        <p className="visually-hidden" role="status">
          Loading articles...
        </p>
        {[0, 1].map((i) => (
          <div key={i} className="article-preview" aria-hidden="true">
            <Skeleton width="30%" />
            <Skeleton width="70%" height="1.4em" />
            <Skeleton width="90%" />
          </div>
        ))}
      </div>
    );
  }
  if (articles.isError) {
    return (
      <Alert
        tone="error"
        title="The articles could not be loaded."
        action={
          <button type="button" className="btn btn--secondary btn--small" onClick={() => void articles.refetch()}>
            Try again
          </button>
        }
      >
        {errorMessage(articles.error)}
      </Alert>
    );
  }
  const { articles: list, articlesCount } = articles.data;
  const pages = Math.max(1, Math.ceil(articlesCount / ARTICLES_PER_PAGE));
  return (
    <div className="article-list" aria-label={label} aria-busy={articles.isFetching && articles.isPlaceholderData}>
      {list.length === 0 ? (
        <p className="article-preview article-preview--empty">{empty}</p>
      ) : (
        list.map((article) => <ArticlePreview key={article.slug} article={article} />)
      )}
      {pages > 1 ? <Pagination page={Math.min(page, pages)} pages={pages} onChange={onPageChange} /> : null}
    </div>
  );
}
