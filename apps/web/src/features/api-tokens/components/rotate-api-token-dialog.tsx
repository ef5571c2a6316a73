import { useId, useState } from 'react';
import { formatPermissions, type ApiToken, type RotateApiTokenResponse } from '@conduit/contracts';
import { Alert } from '@/components/ui/alert';
import { Dialog } from '@/components/ui/dialog';
import { errorMessage } from '@/lib/api-client';
import { useRotateApiToken } from '../api/rotate-api-token';

/** How long the old secret keeps working after a rotation. */
export const OVERLAP_CHOICES = [
  { label: 'None', seconds: 0, description: 'the old value stops working at once' },
  { label: '1 hour', seconds: 3_600, description: 'time to update one secret' },
  { label: '1 day', seconds: 86_400, description: 'time to roll out everywhere' },
  { label: '7 days', seconds: 604_800, description: 'the longest overlap' },
] as const;

interface RotateApiTokenDialogProps {
  token: ApiToken;
  onClose: () => void;
  /** Receives the new raw token once; the caller keeps it in component state only. */
  onRotated: (result: RotateApiTokenResponse, oldName: string) => void;
}

export function RotateApiTokenDialog({ token, onClose, onRotated }: RotateApiTokenDialogProps) {
  const rotate = useRotateApiToken();
  const [overlap, setOverlap] = useState<number>(3_600);
  const groupId = useId();

  async function confirm() {
    try {
      const result = await rotate.mutateAsync({ id: token.id, body: { rotation: { overlapSeconds: overlap } } });
      // Move the raw token out of react-query at once, as on creation.
      rotate.reset();
      onRotated(result, token.name);
    } catch {
      // Shown below from rotate.error.
    }
  }

  return (
    <Dialog
      title={`Rotate “${token.name}” (…${token.hint})?`}
      role="dialog"
      onClose={onClose}
      busy={rotate.isPending}
      actions={
        <>
          <button type="button" className="btn btn--secondary" onClick={onClose} disabled={rotate.isPending}>
            Cancel
          </button>
          <button type="button" className="btn btn--primary" onClick={confirm} disabled={rotate.isPending}>
            {rotate.isPending ? 'Rotating…' : 'Rotate'}
          </button>
        </>
      }
    >
      <p>
        A new token replaces this one (ending in <code>…{token.hint}</code>). Its name, permissions
        ({formatPermissions(token.permissions)}) and allowed IPs carry over; its expiry is this token's lifetime again,
        counted from now.
      </p>
      <fieldset className="field" aria-labelledby={`${groupId}-legend`}>
        <legend id={`${groupId}-legend`} className="field__label">
          Keep the old value working for
        </legend>
        {OVERLAP_CHOICES.map((choice) => (
          <label key={choice.seconds} className="radio">
            <input
              type="radio"
              name={`${groupId}-overlap`}
              value={choice.seconds}
              checked={overlap === choice.seconds}
              onChange={() => setOverlap(choice.seconds)}
              data-autofocus={overlap === choice.seconds ? true : undefined}
            />
            <span>{choice.label}</span> <span className="field__hint">({choice.description})</span>
          </label>
        ))}
      </fieldset>
      {rotate.error ? (
        <Alert tone="error" title="The token was not rotated.">
          {errorMessage(rotate.error)}
        </Alert>
      ) : null}
    </Dialog>
  );
}
