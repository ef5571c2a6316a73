import { Link } from 'react-router';
import { useDocumentTitle } from '@/lib/use-document-title';

export function NotFoundRoute() {
  useDocumentTitle('Page not found');
  return (
    <div className="page page--narrow">
      <h1 className="page__title">Page not found</h1>
      <p>There is nothing at this address.</p>
      <Link className="btn btn--secondary" to="/">
        Go to the home page
      </Link>
    </div>
  );
}
