import type { ApiToken } from '@conduit/contracts';
import { Alert } from '@/components/ui/alert';
import { Dialog } from '@/components/ui/dialog';
import { ApiError, errorMessage } from '@/lib/api-client';
import { useRevokeApiToken } from '../api/revoke-api-token';

interface RevokeApiTokenDialogProps {
  token: ApiToken;
  onClose: () => void;
  onRevoked: (token: ApiToken) => void;
}

export function RevokeApiTokenDialog({ token, onClose, onRevoked }: RevokeApiTokenDialogProps) {
  const revoke = useRevokeApiToken();

  async function confirm() {
    try {
      // Resolves once the list has been refetched without the token.
      await revoke.mutateAsync(token.id);
      onRevoked(token);
    } catch {
      // Shown below from revoke.error.
    }
  }

  const notFound = revoke.error instanceof ApiError && revoke.error.status === 404;

  return (
    <Dialog
      title={`Revoke “${token.name}” (…${token.hint})?`}
      onClose={onClose}
      busy={revoke.isPending}
      actions={
        <>
          <button type="button" className="btn btn--secondary" onClick={onClose} disabled={revoke.isPending} data-autofocus>
            Cancel
          </button>
          <button type="button" className="btn btn--danger" onClick={confirm} disabled={revoke.isPending}>
            {revoke.isPending ? 'Revoking…' : 'Revoke'}
          </button>
        </>
      }
    >
      <p>
        Scripts using the token ending in <code>…{token.hint}</code> will stop working immediately. This cannot be undone.
      </p>
      {revoke.error ? (
        <Alert tone="error" title="The token was not revoked.">
          {notFound ? 'It no longer exists: it may have been revoked already or have expired.' : errorMessage(revoke.error)}
        </Alert>
      ) : null}
    </Dialog>
  );
}
