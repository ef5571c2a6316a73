import { useId, useState, type ReactNode } from 'react';

interface TooltipProps {
  /** The always-visible, focusable text. */
  children: ReactNode;
  /** Shown on hover and on keyboard focus; linked with aria-describedby. */
  content: ReactNode;
  /** Plain-text version for the native `title`. */
  title?: string;
  dateTime?: string;
}

/**
 * Text with details that appear on hover AND on keyboard focus (WCAG 1.4.13: dismissible with
 * Escape, stays while hovered). The details are always in the DOM for screen readers.
 */
export function Tooltip({ children, content, title, dateTime }: TooltipProps) {
  const id = `tip${useId()}`;
  const [open, setOpen] = useState(false);
  return (
    <span
      className="tooltip"
      onMouseEnter={() => setOpen(true)}
      onMouseLeave={() => setOpen(false)}
    >
      <time
        className="tooltip__trigger"
        tabIndex={0}
        dateTime={dateTime}
        title={title}
        aria-describedby={id}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') setOpen(false);
        }}
      >
        {children}
      </time>
      <span role="tooltip" id={id} className={open ? 'tooltip__bubble tooltip__bubble--open' : 'tooltip__bubble'}>
        {content}
      </span>
    </span>
  );
}
