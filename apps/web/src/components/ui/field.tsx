import { useId, type ReactElement, type ReactNode } from 'react';

export interface FieldControlProps {
  id: string;
  'aria-invalid': boolean | undefined;
  'aria-describedby': string | undefined;
}

interface FieldProps {
  label: ReactNode;
  /** Help text under the label. */
  hint?: ReactNode;
  /** Messages for this field; rendered in red and announced to screen readers via aria-describedby. */
  errors?: readonly string[];
  /** "(optional)" next to the label. */
  optional?: boolean;
  id?: string;
  children: (control: FieldControlProps) => ReactElement;
}

/** A visible label, optional hint and error list wired to one control. */
export function Field({ label, hint, errors = [], optional, id, children }: FieldProps) {
  const generated = useId();
  const controlId = id ?? `f${generated}`;
  const hintId = hint ? `${controlId}-hint` : undefined;
  const errorId = errors.length > 0 ? `${controlId}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label className="field__label" htmlFor={controlId}>
        {label}
        {optional ? <span className="field__optional"> (optional)</span> : null}
      </label>
      {hint ? (
        <div id={hintId} className="field__hint">
          {hint}
        </div>
      ) : null}
      {children({ id: controlId, 'aria-invalid': errors.length > 0 ? true : undefined, 'aria-describedby': describedBy })}
      {errorId ? (
        <ul id={errorId} className="field__errors">
          {errors.map((message, i) => (
            <li key={i}>{message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
