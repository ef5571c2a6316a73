import { Link, useSearchParams } from 'react-router';
import { PageLoader } from '@/components/ui/spinner';
import { ApiError, errorMessage } from '@/lib/api-client';
import { useSession } from '@/lib/session';
import { useDocumentTitle } from '@/lib/use-document-title';
import { ArticleList } from '@/features/articles/components/article-list';
import { useProfile } from '../api/get-profile';
import { Avatar } from './avatar';
import { FollowButton } from './follow-button';

/**
 * `/profile/:username` (My Articles) and `/profile/:username/favorites` (Favorited Articles):
 * picture, name, bio, Follow (others) or Edit Profile Settings (oneself), and the articles.
 */
export function ProfilePage({ username, tab }: { username: string; tab: 'articles' | 'favorites' }) {
  const session = useSession();
  const profile = useProfile(username);
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  useDocumentTitle(profile.isError ? 'Profile not found' : username);

  if (profile.isPending) return <PageLoader label="Loading the profile…" />;
  if (profile.isError) {
    const missing = profile.error instanceof ApiError && profile.error.status === 404;
    return (
      <div className="page page--narrow">
        <h1 className="page__title">{missing ? 'Profile not found' : 'The profile could not be loaded'}</h1>
        <p>{missing ? `Nobody is called “${username}” here.` : errorMessage(profile.error)}</p>
        <Link className="btn btn--secondary" to="/">
          Go to the home page
        </Link>
      </div>
    );
  }
  const person = profile.data;
  const self = session.user?.username === person.username;
  const base = `/profile/${encodeURIComponent(person.username)}`;
  return (
    <div className="profile-page">
      <header className="user-info">
        <Avatar username={person.username} image={person.image} size="large" />
        <h1 className="user-info__name">{person.username}</h1>
        {person.bio ? <p className="user-info__bio">{person.bio}</p> : null}
        <div className="user-info__actions">
          {self ? (
            <Link className="btn btn--secondary btn--small" to="/app/settings/account">
              <span aria-hidden="true">⚙</span> Edit Profile Settings
            </Link>
          ) : (
            <FollowButton profile={person} />
          )}
        </div>
      </header>
      <div className="profile-page__articles">
        <nav aria-label="Articles" className="articles-toggle">
          <ul className="nav nav-pills outline-active">
            <li className="nav-item">
              <Link to={base} className={`nav-link${tab === 'articles' ? ' active' : ''}`} aria-current={tab === 'articles' ? 'page' : undefined}>
                My Articles
              </Link>
            </li>
            <li className="nav-item">
              <Link
                to={`${base}/favorites`}
                className={`nav-link${tab === 'favorites' ? ' active' : ''}`}
                aria-current={tab === 'favorites' ? 'page' : undefined}
              >
                Favorited Articles
              </Link>
            </li>
          </ul>
        </nav>
        <ArticleList
          key={tab}
          filter={tab === 'articles' ? { author: person.username } : { favorited: person.username }}
          page={page}
          onPageChange={(next) => {
            setParams(next === 1 ? {} : { page: String(next) });
            window.scrollTo({ top: 0 });
          }}
          label={tab === 'articles' ? `Articles by ${person.username}` : `Articles ${person.username} favorited`}
          empty={tab === 'articles' ? 'No articles are here... yet.' : 'No favorited articles yet.'}
        />
      </div>
    </div>
  );
}
