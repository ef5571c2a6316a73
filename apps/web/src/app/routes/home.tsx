import { useEffect, useState, type ReactNode } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { Alert } from '@/components/ui/alert';
import { ArticleList } from '@/features/articles/components/article-list';
import type { ArticleFilter } from '@/features/articles/api/keys';
import { PopularTags } from '@/features/tags/components/popular-tags';
import { useDocumentTitle } from '@/lib/use-document-title';
import { useSession } from '@/lib/session';
import type { HomeLocationState } from './require-auth';

type Tab = { kind: 'feed' } | { kind: 'global' } | { kind: 'tag'; tag: string };

/**
 * Home: the tabs Your Feed (signed in), Global Feed (the default) and #tag (after a click on a
 * tag), a page of article previews with pagination, and Popular Tags. The tab and the page live
 * in the address (`?feed=following`, `?tag=…`, `&page=2`), so they survive a reload and Back.
 */
export function HomeRoute() {
  const session = useSession();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const notice = (location.state as HomeLocationState | null)?.notice;
  const navigate = useNavigate();
  // Greeted as new once: the flag leaves the history entry, so a reload says "Welcome back".
  const [newAccount] = useState(() => (location.state as HomeLocationState | null)?.newAccount === true);
  useEffect(() => {
    if ((location.state as HomeLocationState | null)?.newAccount) void navigate('.', { replace: true, state: null });
  }, [location.state, navigate]);
  useDocumentTitle('');

  const signedIn = session.status === 'authenticated';
  const tag = params.get('tag');
  const tab: Tab = tag ? { kind: 'tag', tag } : params.get('feed') === 'following' && signedIn ? { kind: 'feed' } : { kind: 'global' };
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const filter: ArticleFilter = tab.kind === 'feed' ? { feed: true } : tab.kind === 'tag' ? { tag: tab.tag } : {};

  function goToPage(next: number) {
    const copy = new URLSearchParams(params);
    if (next === 1) copy.delete('page');
    else copy.set('page', String(next));
    setParams(copy);
    window.scrollTo({ top: 0 });
  }

  const tabLabel = tab.kind === 'feed' ? 'Your Feed' : tab.kind === 'tag' ? `Articles tagged ${tab.tag}` : 'Global Feed';

  return (
    <div className="home-page">
      {notice ? <Alert tone="info">{notice}</Alert> : null}
      {signedIn ? (
        <section className="home-banner home-banner--compact" aria-labelledby="home-title">
          <div>
            <h1 id="home-title" className="home-banner__title">
              {newAccount ? `Welcome to Conduit, ${session.user.username}` : `Welcome back, ${session.user.username}`}
            </h1>
            {newAccount ? (
              <p className="home-banner__lead">
                Your account is ready. Write your first article, follow people to fill Your Feed, or create an API token
                when a script or pipeline needs to call the API for you.
              </p>
            ) : null}
          </div>
          <Link className="btn btn--primary" to="/editor">
            New Article
          </Link>
        </section>
      ) : session.status === 'anonymous' ? (
        <section className="home-banner" aria-labelledby="home-title">
          <h1 id="home-title" className="home-banner__title">
            Conduit
          </h1>
          <p className="home-banner__lead">A place to share your knowledge.</p>
          <p className="home-banner__note">
            Read what people write below. Scripts and pipelines use the same API with revocable API tokens.
          </p>
          <div className="home-banner__actions">
            <Link className="btn btn--secondary" to="/register">
              Sign up
            </Link>
            <Link className="btn btn--secondary" to="/login">
              Sign in
            </Link>
          </div>
        </section>
      ) : null}
      <div className="home-page__columns">
        <div className="home-page__feed">
          <nav aria-label="Feeds" className="feed-toggle">
            <ul className="nav nav-pills outline-active">
              {signedIn ? (
                <li className="nav-item">
                  <FeedLink to="/?feed=following" current={tab.kind === 'feed'}>
                    Your Feed
                  </FeedLink>
                </li>
              ) : null}
              <li className="nav-item">
                <FeedLink to="/" current={tab.kind === 'global'}>
                  Global Feed
                </FeedLink>
              </li>
              {tab.kind === 'tag' ? (
                <li className="nav-item">
                  <FeedLink to={`/?tag=${encodeURIComponent(tab.tag)}`} current>
                    <span aria-hidden="true"># </span>
                    {tab.tag}
                  </FeedLink>
                </li>
              ) : null}
            </ul>
          </nav>
          {session.status === 'loading' ? null : (
            <ArticleList
              key={JSON.stringify(filter)}
              filter={filter}
              page={page}
              onPageChange={goToPage}
              label={tabLabel}
              empty={
                tab.kind === 'feed'
                  ? 'No articles are here... yet. Follow people to see what they write here.'
                  : 'No articles are here... yet.'
              }
            />
          )}
        </div>
        <aside className="home-page__aside" aria-label="Tags">
          <PopularTags current={tab.kind === 'tag' ? tab.tag : undefined} />
        </aside>
      </div>
    </div>
  );
}

function FeedLink({ to, current, children }: { to: string; current: boolean; children: ReactNode }) {
  return (
    <Link to={to} className={`nav-link${current ? ' active' : ''}`} aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  );
}
