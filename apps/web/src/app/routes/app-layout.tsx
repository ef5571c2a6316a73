import { NavLink, Outlet } from 'react-router';

/** Signed-in area: a settings navigation next to the page. */
export function AppLayout() {
  return (
    <div className="settings">
      <nav className="settings__nav" aria-label="Settings">
        <NavLink to="/app/settings/api-tokens" className="settings__link">
          API tokens
        </NavLink>
        <NavLink to="/app/settings/trusted-ci" className="settings__link">
          Trusted CI
        </NavLink>
        <NavLink to="/app/settings/account" className="settings__link">
          Account settings
        </NavLink>
      </nav>
      <div className="settings__content">
        <Outlet />
      </div>
    </div>
  );
}
