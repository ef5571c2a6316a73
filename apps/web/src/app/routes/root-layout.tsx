import { useEffect, useRef } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import { Avatar } from '@/features/profiles/components/avatar';
import { useSession } from '@/lib/session';
import { UserMenu } from './user-menu';

/** Header (brand, sign-in links or the user menu) around every page. */
export function RootLayout() {
  const session = useSession();
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const lastPath = useRef(location.pathname);

  // After client-side navigation, move focus to the new page so screen readers start there.
  useEffect(() => {
    if (lastPath.current === location.pathname) return;
    lastPath.current = location.pathname;
    mainRef.current?.focus({ preventScroll: false });
  }, [location.pathname]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="header">
        <div className="header__inner">
          <Link to="/" className="brand">
            <span className="brand__mark" aria-hidden="true">
              ✦
            </span>
            Conduit
          </Link>
          <nav aria-label="Main" className={`header__main${session.status === 'authenticated' ? '' : ' header__main--visitor'}`}>
            <ul className="nav navbar-nav">
              <li className="nav-item">
                <NavLink to="/" end className="nav-link">
                  Home
                </NavLink>
              </li>
              {session.status === 'authenticated' ? (
                <>
                  <li className="nav-item">
                    <NavLink to="/editor" end className="nav-link">
                      <span className="nav-link__icon" aria-hidden="true">✎ </span>New Article
                    </NavLink>
                  </li>
                  <li className="nav-item">
                    <NavLink
                      to="/app/settings/account"
                      className={`nav-link${location.pathname.startsWith('/app/') ? ' active' : ''}`}
                      aria-current={location.pathname.startsWith('/app/') ? 'page' : undefined}
                    >
                      <span className="nav-link__icon" aria-hidden="true">⚙ </span>Settings
                    </NavLink>
                  </li>
                  <li className="nav-item">
                    <NavLink to={`/profile/${encodeURIComponent(session.user.username)}`} className="nav-link nav-link--profile">
                      <Avatar username={session.user.username} image={session.user.image} />
                      <span className="nav-link__name">{session.user.username}</span>
                    </NavLink>
                  </li>
                </>
              ) : null}
            </ul>
          </nav>
          <nav aria-label="Account" className="header__nav">
            {session.status === 'authenticated' ? (
              <UserMenu username={session.user.username} />
            ) : session.status === 'anonymous' ? (
              <>
                <Link to="/login" className="btn btn--ghost">
                  Sign in
                </Link>
                <Link to="/register" className="btn btn--primary">
                  Sign up
                </Link>
              </>
            ) : null}
          </nav>
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1} ref={mainRef}>
        <Outlet />
      </main>
    </div>
  );
}
