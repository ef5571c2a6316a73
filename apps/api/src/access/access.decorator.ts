import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import { access, describeRouteAccess, Permission, RecentPasswordOption, requiredPermission, RouteAccess } from '@conduit/contracts';

/** Metadata key of a route's declaration. Read it with routeAccessOf(), not with this key. */
export const ROUTE_ACCESS = 'conduit:routeAccess';
/** OpenAPI extensions on every operation: the declaration's kind, and the permission a token needs (when there is one). */
export const ACCESS_EXTENSION = 'x-access';
export const REQUIRED_PERMISSION_EXTENSION = 'x-required-permission';

/** Where @nestjs/swagger keeps @ApiOperation's options (not exported by the package; the OpenAPI e2e test checks the result). */
const SWAGGER_OPERATION = 'swagger/apiOperation';

function declare(routeAccess: RouteAccess): MethodDecorator {
  const permission = requiredPermission(routeAccess);
  const describe: MethodDecorator = (_target, _key, descriptor) => {
    const handler = descriptor.value as object;
    const previous = (Reflect.getMetadata(SWAGGER_OPERATION, handler) ?? {}) as { description?: string };
    const sentence = describeRouteAccess(routeAccess);
    const description = previous.description && !previous.description.includes(sentence) ? `${previous.description}\n\n${sentence}` : sentence;
    Reflect.defineMetadata(SWAGGER_OPERATION, { ...previous, description }, handler);
    return descriptor;
  };
  return applyDecorators(
    SetMetadata(ROUTE_ACCESS, Object.freeze({ ...routeAccess })),
    ApiExtension(ACCESS_EXTENSION, routeAccess.kind),
    ...(permission ? [ApiExtension(REQUIRED_PERMISSION_EXTENSION, permission)] : []),
    ...(routeAccess.kind === 'public' ? [] : [ApiBearerAuth()]),
    describe,
  ) as MethodDecorator;
}

/**
 * The one declaration of what a route needs; every route has exactly one (a test walks them all).
 * Authentication reads it to skip or accept anonymous callers, authorization (a second global
 * guard) to refuse what the caller may not do, and OpenAPI shows it on the operation.
 *
 *   @Access.public()                         no authentication
 *   @Access.optional('articles:read')        anonymous served; a token needs articles:read
 *   @Access.permission('articles:write')     a session, or a token with articles:write
 *   @Access.self('id')                       a session, or a token acting on itself
 *   @Access.sessionOnly()                    a session; every token refused
 *
 * `{ recentPassword }` on permission / self / sessionOnly: the action (or changing the named body
 * fields) also needs a password proved within REAUTH_WINDOW, else 403 `reauthentication`.
 */
export const Access = Object.assign(declare, {
  public: () => declare(access.public()),
  optional: (permission: Permission | null) => declare(access.optional(permission)),
  permission: (permission: Permission, options?: { sessionOnlyFields?: readonly string[] } & RecentPasswordOption) =>
    declare(access.permission(permission, options)),
  self: (param?: string, options?: RecentPasswordOption) => declare(access.self(param, options)),
  sessionOnly: (options?: RecentPasswordOption) => declare(access.sessionOnly(options)),
});

/**
 * A route's declaration, from its handler (e.g. `context.getHandler()`, or a controller
 * prototype's method); undefined when it declares nothing. The one way to read it.
 */
export function routeAccessOf(handler: object): RouteAccess | undefined {
  return Reflect.getMetadata(ROUTE_ACCESS, handler) as RouteAccess | undefined;
}
