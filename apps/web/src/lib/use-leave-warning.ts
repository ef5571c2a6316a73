import { useEffect } from 'react';
import { useBlocker, type Blocker } from 'react-router';

/**
 * While `active`: the browser asks before the tab is closed or reloaded (`beforeunload`), and a
 * navigation inside the app to another page is held (the returned blocker is "blocked") until
 * the caller's dialog proceeds or resets it. Changes of the query string alone are not held.
 */
export function useLeaveWarning(active: boolean): Blocker {
  useEffect(() => {
    if (!active) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [active]);
  return useBlocker(({ currentLocation, nextLocation }) => active && currentLocation.pathname !== nextLocation.pathname);
}
