import { useLocation, useNavigate } from 'react-router';
import type { LoginLocationState } from '@/app/routes/require-auth';

/**
 * For actions that need an account (favorite, follow): sends a signed-out person to sign in,
 * and back here afterwards.
 */
export function useSignInFirst(): () => void {
  const navigate = useNavigate();
  const location = useLocation();
  return () => {
    const state: LoginLocationState = {
      from: { pathname: location.pathname, search: location.search, hash: location.hash },
      notice: 'Sign in to follow people and favorite articles.',
    };
    void navigate('/login', { state });
  };
}
