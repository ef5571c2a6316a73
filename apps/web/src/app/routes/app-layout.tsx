import { NavLink, Outlet } from 'react-router';

/**
 * Every settings page, in the order the navigation shows them: one list, so a new page is one
 * line here plus its route.
 */
export const SETTINGS_PAGES: ReadonlyArray<{ to: string; label: string }> = [
  { to: '/app/settings/account', label: 'Account' },
  { to: '/app/settings/api-tokens', label: 'API tokens' },
  { to: '/app/settings/security-log', label: 'Security log' },
  { to: '/app/notifications', label: 'Notifications' },
];

/** Signed-in area: the settings navigation next to the page (above it on a phone). */
export function AppLayout() {
  return (
    <div className="settings">
      <nav className="settings__nav" aria-label="Settings">
        <ul className="settings__list">
          {SETTINGS_PAGES.map((page) => (
            <li key={page.to}>
              <NavLink to={page.to} className="settings__link">
                {page.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="settings__content">
        <Outlet />
      </div>
    </div>
  );
}
