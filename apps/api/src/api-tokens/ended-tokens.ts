import type { ApiTokenState, TokenRefusalReason, UsableTokenState } from '@conduit/contracts';
import type { AuthenticationFailure } from '../access/authentication-refusal';

export type EndedTokenState = Exclude<ApiTokenState, UsableTokenState>;

/**
 * The one table of what an ended token is called, by state: the 401's text when it is presented
 * (also the start of the 409's text when it is edited or rotated), and the security log's reason.
 */
export const ENDED_TOKENS: Readonly<Record<EndedTokenState, { message: AuthenticationFailure; logReason: TokenRefusalReason }>> = {
  revoked: { message: 'has been revoked', logReason: 'revoked' },
  expired: { message: 'has expired', logReason: 'expired' },
  retired: { message: 'has been rotated', logReason: 'rotated' },
};
