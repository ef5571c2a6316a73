import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { Link } from 'react-router';
import { useLogout } from '@/features/auth/api/logout';
import { useNotifications } from '@/features/notifications/api/get-notifications';

/**
 * A menu button (WAI-ARIA APG "menu button" pattern): Enter/Space/ArrowDown open it and focus the
 * first item, arrows move, Escape closes and returns focus to the button, Tab leaves it.
 */
export function UserMenu({ username }: { username: string }) {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLUListElement>(null);
  const menuId = `menu${useId()}`;
  const logout = useLogout();
  const unread = useNotifications().data?.unreadCount ?? 0;
  const focusOnOpen = useRef<'first' | 'last' | null>(null);

  const items = () => [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];

  useEffect(() => {
    if (!open) return;
    const list = items();
    if (focusOnOpen.current === 'first') list[0]?.focus();
    if (focusOnOpen.current === 'last') list[list.length - 1]?.focus();
    focusOnOpen.current = null;
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  function openMenu(focus: 'first' | 'last') {
    focusOnOpen.current = focus;
    setOpen(true);
  }

  function close(returnFocus: boolean) {
    setOpen(false);
    if (returnFocus) buttonRef.current?.focus();
  }

  function onButtonKeyDown(event: KeyboardEvent<HTMLButtonElement>) {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      openMenu('first');
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      openMenu('last');
    } else if (event.key === 'Escape' && open) {
      close(true);
    }
  }

  function onMenuKeyDown(event: KeyboardEvent<HTMLUListElement>) {
    const list = items();
    const index = list.indexOf(document.activeElement as HTMLElement);
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        list[(index + 1) % list.length]?.focus();
        break;
      case 'ArrowUp':
        event.preventDefault();
        list[(index - 1 + list.length) % list.length]?.focus();
        break;
      case 'Home':
        event.preventDefault();
        list[0]?.focus();
        break;
      case 'End':
        event.preventDefault();
        list[list.length - 1]?.focus();
        break;
      case 'Escape':
        event.preventDefault();
        close(true);
        break;
      case 'Tab':
        setOpen(false);
        break;
    }
  }

  return (
    <div className="user-menu">
      <button
        type="button"
        ref={buttonRef}
        className="user-menu__button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? close(false) : openMenu('first'))}
        onKeyDown={onButtonKeyDown}
      >
        <span className="visually-hidden">Account menu for {username}</span>
        {unread > 0 ? (
          <span className="user-menu__badge">
            <span aria-hidden="true">{unread > 99 ? '99+' : unread}</span>
            <span className="visually-hidden">, {unread} unread {unread === 1 ? 'notification' : 'notifications'}</span>
          </span>
        ) : null}
        <span className="user-menu__caret" aria-hidden="true">
          ▾
        </span>
      </button>
      {open ? (
        <ul id={menuId} role="menu" aria-label={username} className="user-menu__list" ref={menuRef} onKeyDown={onMenuKeyDown}>
          <li role="none">
            <Link role="menuitem" to="/app/notifications" className="user-menu__item" onClick={() => setOpen(false)}>
              Notifications{unread > 0 ? ` (${unread} unread)` : ''}
            </Link>
          </li>
          <li role="none">
            <Link role="menuitem" to="/app/settings/account" className="user-menu__item" onClick={() => setOpen(false)}>
              Account settings
            </Link>
          </li>
          <li role="none">
            <Link role="menuitem" to="/app/settings/api-tokens" className="user-menu__item" onClick={() => setOpen(false)}>
              API tokens
            </Link>
          </li>
          <li role="none">
            <Link role="menuitem" to="/app/settings/security-log" className="user-menu__item" onClick={() => setOpen(false)}>
              Security log
            </Link>
          </li>
          <li role="separator" className="user-menu__separator" />
          <li role="none">
            <button
              type="button"
              role="menuitem"
              className="user-menu__item"
              disabled={logout.isPending}
              onClick={() => {
                setOpen(false);
                logout.mutate();
              }}
            >
              Sign out
            </button>
          </li>
        </ul>
      ) : null}
    </div>
  );
}
