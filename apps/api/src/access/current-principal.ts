import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Principal } from './principal';

/** What an API token hears on a session-only action. */
export const SESSION_ONLY_MESSAGE = 'cannot be used for this action; sign in to Conduit with your password instead';

/** The authenticated principal (undefined on optional-auth routes without credentials). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal | undefined => {
  return ctx.switchToHttp().getRequest<{ user?: Principal }>().user ?? undefined;
});
