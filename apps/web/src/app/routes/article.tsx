import { useParams } from 'react-router';
import { ArticlePage } from '@/features/articles/components/article-page';

export function ArticleRoute() {
  const { slug = '' } = useParams();
  return <ArticlePage key={slug} slug={slug} />;
}
