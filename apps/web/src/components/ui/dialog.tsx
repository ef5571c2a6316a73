import { useEffect, useId, useRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

interface DialogProps {
  title: ReactNode;
  children: ReactNode;
  /** Buttons; the first focusable element inside the dialog gets focus when it opens. */
  actions: ReactNode;
  onClose: () => void;
  /** Ignore Escape and backdrop clicks (e.g. while a request runs). */
  busy?: boolean;
  role?: 'dialog' | 'alertdialog';
}

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select, textarea, [tabindex]:not([tabindex="-1"])';

/**
 * Gives focus back to the element that opened a dialog. That element may be disabled at this
 * moment (a submit button while the request that asked for the dialog finishes): then focus goes
 * back to it as soon as it is enabled again, unless the person or the page has put focus
 * somewhere else meanwhile, or it has left the page (the page then decides, e.g. a saved form
 * that closes focuses the button that opened it).
 */
export function restoreFocus(element: HTMLElement, waitMs = 30_000): void {
  const tryFocus = () => {
    if (!element.isConnected || element.matches(':disabled')) return false;
    element.focus();
    return document.activeElement === element;
  };
  if (tryFocus()) return;
  const observer = new MutationObserver(() => {
    const active = document.activeElement;
    if (!element.isConnected || (active && active !== document.body)) observer.disconnect();
    else if (tryFocus()) observer.disconnect();
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['disabled'], subtree: true, childList: true });
  setTimeout(() => observer.disconnect(), waitMs);
}

/**
 * A modal dialog: labelled by its title, described by its body, traps Tab, closes on Escape and
 * gives focus back to whatever had it before.
 */
export function Dialog({ title, children, actions, onClose, busy = false, role = 'alertdialog' }: DialogProps) {
  const titleId = `dlg${useId()}`;
  const bodyId = `${titleId}-body`;
  const ref = useRef<HTMLDivElement>(null);
  const closeRef = useRef(onClose);
  const busyRef = useRef(busy);
  closeRef.current = onClose;
  busyRef.current = busy;

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const node = ref.current;
    const first = node?.querySelector<HTMLElement>('[data-autofocus]') ?? node?.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !busyRef.current) {
        event.stopPropagation();
        closeRef.current();
      }
      if (event.key === 'Tab' && node) {
        const items = [...node.querySelectorAll<HTMLElement>(FOCUSABLE)];
        if (items.length === 0) return;
        const firstItem = items[0];
        const lastItem = items[items.length - 1];
        if (event.shiftKey && document.activeElement === firstItem) {
          event.preventDefault();
          lastItem.focus();
        } else if (!event.shiftKey && document.activeElement === lastItem) {
          event.preventDefault();
          firstItem.focus();
        }
      }
    };
    document.addEventListener('keydown', onKey);
    const root = document.getElementById('root');
    root?.setAttribute('inert', '');
    return () => {
      document.removeEventListener('keydown', onKey);
      root?.removeAttribute('inert');
      if (previous) restoreFocus(previous);
    };
  }, []);

  return createPortal(
    <div
      className="dialog-backdrop"
      onMouseDown={(event) => {
        if (event.target === event.currentTarget && !busyRef.current) closeRef.current();
      }}
    >
      <div className="dialog" role={role} aria-modal="true" aria-labelledby={titleId} aria-describedby={bodyId} ref={ref}>
        <h2 id={titleId} className="dialog__title">
          {title}
        </h2>
        <div id={bodyId} className="dialog__body">
          {children}
        </div>
        <div className="dialog__actions">{actions}</div>
      </div>
    </div>,
    document.body,
  );
}
