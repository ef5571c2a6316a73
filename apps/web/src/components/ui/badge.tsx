import type { ReactNode } from 'react';

export function Badge({ tone, children, title }: { tone: 'warning' | 'danger' | 'neutral'; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge--${tone}`} title={title}>
      {children}
      {title ? <span className="visually-hidden">: {title}</span> : null}
    </span>
  );
}
