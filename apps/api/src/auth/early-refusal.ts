import type { FastifyInstance } from 'fastify';
import { API_ROUTE_ACCESS, RouteAccess } from '@conduit/contracts';
import type { ClientIpResolver } from '../common/client-ip';
import type { ApiError } from '../common/http/errors';
import { isWellFormedApiToken } from '../api-tokens/token-codec';
import type { Metrics } from '../metrics/metrics';
import { AuthThrottle, tooManyFailures } from '../throttle/auth-throttle';
import { invalidToken } from './authorization-header';
import { credentialOf } from './credential';

/** `METHOD /path` of every route that reads credentials (all but the public ones). */
function authenticatingRoutes(): Set<string> {
  const routes = new Set<string>();
  for (const [route, routeAccess] of Object.entries(API_ROUTE_ACCESS) as [string, RouteAccess][]) {
    if (routeAccess.kind !== 'public') routes.add(route);
  }
  return routes;
}

/**
 * Refuses a `conduit_` string of the wrong length, alphabet or checksum as soon as the request's
 * headers have arrived, before Nest runs: no strategy could accept such a string, so the answer
 * needs no guard, no Passport chain and no database, and a flood of made-up tokens costs about what
 * a public route does. The answer is the guard's for the same credential: 401 `invalid_token` (or 429
 * once the address is over the limit), counted by the same AuthThrottle.
 *
 * Only on routes that authenticate (from API_ROUTE_ACCESS, which the API's declarations are held
 * to in a test): public routes never read the header. Anything else about the header (sent twice,
 * a session token, a well-formed API token) is left to the guard.
 */
export function refuseMalformedTokensEarly(fastify: FastifyInstance, throttle: AuthThrottle, clientIp: ClientIpResolver, metrics?: Metrics): void {
  const routes = authenticatingRoutes();
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.headers.authorization === undefined) return done();
    const path = request.routeOptions.url;
    if (path === undefined || !routes.has(`${request.method === 'HEAD' ? 'GET' : request.method} ${path}`)) return done();
    // Parsed once here; the guard reads the same credential later.
    const credential = credentialOf(request);
    if (credential.kind !== 'api-token' || isWellFormedApiToken(credential.token)) return done();
    const retryAfter = throttle.fail(clientIp.resolve(request.raw));
    metrics?.authentication('api_token', retryAfter === null ? 'malformed' : 'throttled');
    const error: ApiError = retryAfter === null ? invalidToken('is invalid') : tooManyFailures('token', retryAfter);
    void reply.headers(error.headers).status(error.getStatus()).send(error.getResponse());
  });
}
