import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal } from '../principal';

export const IS_PUBLIC = 'conduit:isPublic';
export const OPTIONAL_AUTH = 'conduit:optionalAuth';
export const SESSION_ONLY = 'conduit:sessionOnly';

/** What an API token hears on a session-only action. */
export const SESSION_ONLY_MESSAGE = 'cannot be used for this action; sign in to Conduit with your password instead';

/** No authentication at all. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
/** Authenticates when credentials are sent; anonymous otherwise. Bad credentials are still refused. */
export const OptionalAuth = () => SetMetadata(OPTIONAL_AUTH, true);
/** Only a session may do this (not an API token): actions that could extend a leaked token's reach. */
export const SessionOnly = () => SetMetadata(SESSION_ONLY, true);

/** The authenticated principal (undefined on optional-auth routes without credentials). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal | undefined => {
  return ctx.switchToHttp().getRequest<{ user?: Principal }>().user ?? undefined;
});
