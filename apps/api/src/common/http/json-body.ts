import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from './errors';

/** Bodies nest at most this deep (RealWorld's go to 3); deeper ones are refused before any parsing. */
export const MAX_JSON_DEPTH = 32;

type Done = (error: Error | null, body?: unknown) => void;

/**
 * True when the JSON text opens more than `max` objects/arrays at once. A single pass over the
 * bytes, outside strings (UTF-8 continuation bytes are never ASCII, so bytes will do): cheap
 * next to JSON.parse, and done first, so that nothing recursive (the transformer, the validators)
 * ever sees a 10,000-level document.
 */
export function nestsDeeperThan(bytes: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}

/** The error a too-deep body gets (the one error format, 400). */
export const tooDeep = () => new ApiError(400, { body: [`is nested too deeply (at most ${MAX_JSON_DEPTH} levels)`] });

/**
 * The application/json parser. An empty body means "no body", not "bad JSON" (Postman, many
 * fetch wrappers and the RealWorld collections send `Content-Type: application/json` on favorite,
 * follow, delete …). Otherwise the depth check, then Fastify's own parser (secure-json-parse,
 * prototype poisoning refused), so a non-empty body that is not JSON is still a 400. For
 * `app.useBodyParser('application/json', …)`, which hands it the body as a Buffer.
 */
export function jsonBodyParser(fastify: FastifyInstance) {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  return (request: FastifyRequest, body: Buffer, done: Done): void => {
    // A route declared with `@RouteConfig({ rawBody: true })` gets the bytes as sent (to check a signature over them) and parses them itself.
    if ((request.routeOptions.config as { rawBody?: boolean } | undefined)?.rawBody) return done(null, body);
    if (body.length === 0) return done(null, undefined);
    if (nestsDeeperThan(body, MAX_JSON_DEPTH)) return done(tooDeep());
    // secure-json-parse takes a Buffer as well as a string (typed for strings only).
    parse(request, body as unknown as string, done);
  };
}
