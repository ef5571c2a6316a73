import type { ArticlePreview as Preview } from '@conduit/contracts';
import { Link } from 'react-router';
import { ArticleMeta } from './article-meta';
import { FavoriteButton } from './favorite-button';
import { TagList } from './tag-list';

/** One article in a list: meta and favorite, then title, description, "Read more..." and tags. */
export function ArticlePreview({ article }: { article: Preview }) {
  const to = `/article/${encodeURIComponent(article.slug)}`;
  return (
    <article className="article-preview" aria-labelledby={`preview-${article.slug}`}>
      <ArticleMeta article={article}>
        <FavoriteButton article={article} compact />
      </ArticleMeta>
      <Link to={to} className="preview-link">
        <h2 id={`preview-${article.slug}`} className="article-preview__title">
          {article.title}
        </h2>
        <p className="article-preview__description">{article.description}</p>
        <span className="article-preview__more">Read more...</span>
      </Link>
      <TagList tags={article.tagList} label={`Tags of “${article.title}”`} />
    </article>
  );
}
