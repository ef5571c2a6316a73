import type { ReactNode } from 'react';

interface AlertProps {
  tone: 'error' | 'success' | 'warning' | 'info';
  title?: ReactNode;
  children?: ReactNode;
  /** Extra content on the right, e.g. a retry button. */
  action?: ReactNode;
  id?: string;
}

/** Errors are announced assertively (role=alert); other tones politely (role=status). */
export function Alert({ tone, title, children, action, id }: AlertProps) {
  const role = tone === 'error' ? 'alert' : tone === 'warning' ? 'note' : 'status';
  return (
    <div className={`alert alert--${tone}`} role={role} id={id}>
      <div className="alert__body">
        {title ? <p className="alert__title">{title}</p> : null}
        {children ? <div className="alert__text">{children}</div> : null}
      </div>
      {action ? <div className="alert__action">{action}</div> : null}
    </div>
  );
}
