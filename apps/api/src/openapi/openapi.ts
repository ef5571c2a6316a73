import { applyDecorators, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiResponse, DocumentBuilder, getSchemaPath, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { ErrorResponse } from '@conduit/contracts';
import { TOKEN_EXPIRES_AT_HEADER } from '@conduit/contracts';
import { ErrorResponseDto } from '../common/http/error-response.dto';
import {
  REAUTHENTICATION_ERROR_KEY, REAUTHENTICATION_REQUIRED_MESSAGE, recentPasswordOfRoute, requiredPermission, type RouteAccess,
} from '@conduit/contracts';
import { routeAccessOf } from '../access/access.decorator';
import { SESSION_ONLY_MESSAGE } from '../access/current-principal';

/**
 * The OpenAPI document is the API reference. Controllers declare what is theirs (request and
 * response DTOs, the domain errors of the route with @ApiErrors); everything generic is derived
 * here, once, from what the route declares for authentication: security, 401/403/429/503, the
 * response headers, and the errors of any body or query (400, 413, 415, 422).
 */

export const BEARER_SCHEME = 'bearer';

/** The top of /api/docs: what the API is, and the shortest path from an account to a working token. */
const DESCRIPTION = `The Conduit REST API: the RealWorld API (users, profiles, articles, comments, tags) and API tokens
for scripts, cron jobs and CI/CD pipelines.

Authenticate with \`Authorization: Bearer <session JWT or API token>\` (\`Token <jwt>\` is accepted too).
Every error has one shape: \`{"errors": {"<field>": ["<message>"]}}\`.

## Getting started

1. **Sign in**: \`POST /api/users/login\` with \`{"user": {"email": "…", "password": "…"}}\` (or sign up with
   \`POST /api/users\`). The answer's \`user.token\` is a session access token (15 minutes); the refresh cookie
   renews it (\`POST /api/users/refresh\`).
2. **Confirm the password** when asked: creating or rotating a token, or widening one (allowlist,
   permissions), needs a password proved within \`REAUTH_WINDOW\` (10 minutes by default). Signing in counts; later, send
   \`POST /api/user/reauthenticate\` with \`{"password": "…"}\`. Until then these calls answer 403
   \`{"errors": {"reauthentication": [...]}}\`.
3. **Create a token**: \`POST /api/user/api-tokens\` with the session's bearer token and
   \`{"apiToken": {"name": "CI deploy", "expiresIn": "30d", "allowedIps": ["203.0.113.0/24"], "permissions": {"articles": "write"}}}\`.
   The answer's \`token\` (\`conduit_…\`) is shown **once**: store it in your secret store.
4. **Use it**: send \`Authorization: Bearer conduit_…\` on any request a session could make, within the token's
   permissions. Answers carry \`Conduit-Token-Expires-At\` when the token expires.
5. **Rotate with an overlap**: \`POST /api/user/api-tokens/{id}/rotate\` with
   \`{"rotation": {"overlapSeconds": 3600}}\` returns a new secret with the same name, permissions and allowlist;
   the old one keeps working for the overlap (at most 7 days), time to update every place that holds it.
   Revoke with \`DELETE /api/user/api-tokens/{id}\`.

## When a token is refused

A refused token answers 401 (403 for a missing permission) with a \`WWW-Authenticate: Bearer error="…"\`
challenge, and the account's security log (\`GET /api/user/security-log\`) records a \`token.refused\` event whose
\`detail.reason\` says why:

- \`ip_not_allowed\`: the request came from an address outside the token's allowlist;
- \`expired\`: the token's expiry has passed;
- \`revoked\`: the token was revoked (by you, by itself, for inactivity, or after a leak report);
- \`rotated\`: the token was replaced by a rotation and its overlap has ended;
- \`insufficient_permission\`: the token's permissions do not cover this call (403).

Too many failed authentications from one address answer 429 with \`Retry-After\`.`;

/** The one place the document reads a route's declaration (@Access). */
export function routeAuth(handler: object): RouteAccess | undefined {
  return routeAccessOf(handler);
}

interface ErrorExample {
  description: string;
  example: ErrorResponse;
}

const ERRORS: Record<number, ErrorExample> = {
  400: { description: 'The body is not valid JSON, or the URL cannot be read', example: { errors: { body: ['is not valid JSON'] } } },
  401: { description: 'Not authenticated: credentials missing, invalid, expired or revoked', example: { errors: { token: ['is missing'] } } },
  403: { description: 'Authenticated, but not allowed to do this', example: { errors: { article: ['forbidden'] } } },
  404: { description: 'Not found', example: { errors: { article: ['not found'] } } },
  409: { description: 'Already taken', example: { errors: { email: ['has already been taken'] } } },
  413: { description: 'The body is larger than 1 MiB', example: { errors: { body: ['is too large'] } } },
  415: { description: 'The body is not JSON', example: { errors: { body: ['must be JSON (Content-Type: application/json)'] } } },
  422: { description: 'Validation failed: every bad field is named', example: { errors: { title: ["can't be blank"] } } },
  429: {
    description: 'Too many failed authentications (bad tokens, wrong passwords) from this address',
    example: { errors: { token: ['too many failed attempts from this address; retry in 60 seconds'] } },
  },
  503: { description: 'The database is unavailable; try again shortly', example: { errors: { database: ['is unavailable; try again shortly'] } } },
};

/** The statuses an answer in the one error format may have. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

/**
 * The one way a controller documents error answers (on a route, or on the controller for all its
 * routes): `@ApiErrors(404, 422)` with the usual descriptions, or what a status means on this route,
 * `@ApiErrors(422, { 409: 'The token has already been rotated' })`. The body is the one error format;
 * the example and the errors every route shares (401/403/429/503 from @Access, 400/413/415/422 from
 * its input) are added by createOpenApiDocument.
 */
export const ApiErrors = (...errors: Array<ErrorStatus | Partial<Record<ErrorStatus, string>>>) =>
  applyDecorators(
    ...errors
      .flatMap((e): [string, string][] => (typeof e === 'number' ? [[String(e), ERRORS[e].description]] : Object.entries(e)))
      .map(([status, description]) => ApiResponse({ status: Number(status), description, type: ErrorResponseDto })),
  );

type Header = { description: string; schema: { type: 'string' | 'integer'; format?: string }; example?: unknown };
const HEADERS: Record<string, Header> = {
  [TOKEN_EXPIRES_AT_HEADER]: {
    description: 'When the API token of this request expires (ISO 8601); only on requests authenticated with an API token that expires',
    schema: { type: 'string', format: 'date-time' },
    example: '2026-12-31T09:30:00.000Z',
  },
  'WWW-Authenticate': {
    description: 'The Bearer challenge; `error="invalid_token"` when a credential was sent and refused',
    schema: { type: 'string' },
    example: 'Bearer realm="conduit", error="invalid_token"',
  },
  'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' }, example: 5 },
};

/** Builds the served document: what the decorators say, completed from each route's auth declaration. */
export function createOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Conduit API')
      .setDescription(DESCRIPTION)
      .setVersion('1.0')
      // No licence is granted (npm's "UNLICENSED": the package is private); the link says what that means.
      .setLicense('UNLICENSED', 'https://docs.npmjs.com/cli/configuring-npm/package-json#license')
      .addServer('/', 'This server')
      // In reading order: an account, its tokens and what watches them; then the publishing API.
      .addTag('users', 'Sign up, sign in, the session (access token + refresh cookie), the current user, confirming the password')
      .addTag('api-tokens', 'Long-lived API tokens for scripts and pipelines: create, list, change, rotate, revoke')
      .addTag('trust-policies', 'Trusted CI: trust policies, and the exchange of a CI job\'s OIDC ID token for a short-lived API token (RFC 8693)')
      .addTag('security-log', 'What happened to the account and its tokens: sign-ins, changes, uses from new addresses, refusals')
      .addTag('notifications', 'Reminders and alerts about the account\'s tokens (expiring, unused, refused, revoked)')
      .addTag('credentials', 'Report leaked credentials so they are revoked (no authentication), by hand or from GitHub secret scanning')
      .addTag('articles', 'RealWorld articles: feeds, the global list with filters, create, read, update, delete')
      .addTag('comments', 'Comments on an article')
      .addTag('favorites', 'Favorite and unfavorite an article')
      .addTag('profiles', 'Public profiles; follow and unfollow')
      .addTag('tags', 'The tags in use')
      .addTag('meta', 'Health and the caller\'s address')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A session access token (JWT) or an API token (conduit_…)' }, BEARER_SCHEME)
      .build(),
    { extraModels: [ErrorResponseDto] },
  );
  completeOperations(app, document);
  return document;
}

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;
type Responses = Operation['responses'];

function completeOperations(app: NestFastifyApplication, document: OpenAPIObject): void {
  const auth = new Map<string, RouteAccess>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const declared = routeAuth(handler);
        if (declared) auth.set(`${controller.name}_${name}`, declared);
      }
    }
  }

  const errorSchema = { $ref: getSchemaPath(ErrorResponseDto) };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const) {
      const operation = item[method];
      if (!operation) continue;
      const access = operation.operationId ? auth.get(operation.operationId) : undefined;
      if (!access) throw new Error(`OpenAPI: no route declaration found for operation ${operation.operationId ?? method}`);
      const responses: Responses = operation.responses;
      const error = (status: number, options: { headers?: string[]; example?: ErrorResponse; description?: string } = {}) => {
        const existing = responses[status] as { description?: string } | undefined;
        responses[status] = {
          description: existing?.description ?? options.description ?? ERRORS[status].description,
          ...(options.headers ? { headers: Object.fromEntries(options.headers.map((h) => [h, HEADERS[h]])) } : {}),
          content: { 'application/json': { schema: errorSchema, example: options.example ?? ERRORS[status].example } },
        };
      };

      // Errors the route declares itself (@ApiErrors): the error format, with an example.
      for (const [status, response] of Object.entries(responses)) {
        const schema = (response as { content?: Record<string, { schema?: { $ref?: string } }> }).content?.['application/json']?.schema;
        if (ERRORS[Number(status)] && schema?.$ref === errorSchema.$ref) error(Number(status), Number(status) === 429 ? { headers: ['Retry-After'] } : {});
      }

      const declared = access.kind;
      const permission = requiredPermission(access);
      operation.security = declared === 'public' ? [] : declared === 'optional' ? [{}, { [BEARER_SCHEME]: [] }] : [{ [BEARER_SCHEME]: [] }];
      if (declared !== 'public') {
        error(401, { headers: ['WWW-Authenticate'], example: { errors: { token: ['has expired'] } } });
        error(429, { headers: ['Retry-After'] });
        error(503, { headers: ['Retry-After'] });
      }
      if (declared === 'session-only') {
        error(403, { description: 'An API token on a session-only action', example: { errors: { token: [SESSION_ONLY_MESSAGE] } } });
      }
      if (permission) {
        error(403, {
          headers: ['WWW-Authenticate'],
          description: `An API token without the ${permission} permission`,
          example: { errors: { token: [`lacks the ${permission} permission`] } },
        });
      } else if (declared === 'self') {
        error(403, { description: 'An API token acting on another token than itself' });
      }
      const recent = recentPasswordOfRoute(access);
      if (recent) {
        // One 403 entry per operation: this refusal joins the description of the others.
        const others = (responses[403] as { description?: string } | undefined)?.description;
        const what = recent.fields?.length ? `changing ${recent.fields.map((f) => `\`${f.path}\``).join(' or ')}` : 'this action';
        const or = recent.orField ? ` (or without \`${recent.orField}\` in the body)` : '';
        delete responses[403];
        error(403, {
          description:
            `${others ? `${others}; or ` : ''}a session whose password was not proved within REAUTH_WINDOW${or}, for ${what}: ` +
            'confirm it with `POST /api/user/reauthenticate` and retry',
          example: { errors: { [REAUTHENTICATION_ERROR_KEY]: [REAUTHENTICATION_REQUIRED_MESSAGE] } },
        });
      }
      if (declared !== 'public' && declared !== 'session-only') {
        for (const [status, response] of Object.entries(responses)) {
          if (!status.startsWith('2')) continue;
          const r = response as { headers?: Record<string, unknown> };
          r.headers = { ...r.headers, [TOKEN_EXPIRES_AT_HEADER]: HEADERS[TOKEN_EXPIRES_AT_HEADER] };
        }
      }
      for (const [status, response] of Object.entries(responses)) {
        const r = response as { description?: string };
        if (r.description?.trim()) continue;
        r.description =
          SUCCESS_DESCRIPTIONS[`${method.toUpperCase()} ${path}`] ?? operation.summary ?? (status.startsWith('2') ? 'Success' : 'Refused');
      }
      const parameters = (operation.parameters ?? []) as { in?: string }[];
      const hasBody = operation.requestBody !== undefined;
      // The router answers 400 for a URL it cannot read (bad percent-encoding), whatever the route.
      error(400, { description: hasBody ? ERRORS[400].description : 'The URL cannot be read (bad percent-encoding)', example: hasBody ? undefined : { errors: { url: ['is not a valid URL (bad percent-encoding)'] } } });
      if (hasBody) {
        error(413);
        error(415);
      }
      if (hasBody || parameters.some((p) => p.in === 'query')) error(422, { example: validationExample(document, operation) });
      if (responses[404]) error(404, { example: notFoundExample(path) });
    }
  }
}

/**
 * What each success answer carries, for operations whose decorator gives no description. A route
 * added later without one is described by its summary (never left blank).
 */
const SUCCESS_DESCRIPTIONS: Record<string, string> = {
  'GET /api/user/security-log': 'A page of events, newest first, and the cursor of the next page (null on the last)',
  'GET /api/health': 'The database answers',
  'GET /api/ip': 'The client address as the server sees it',
  'POST /api/users': 'Registered and signed in: the user with a session access token; the refresh token is set as a cookie',
  'POST /api/users/login': 'Signed in: the user with a session access token; the refresh token is set as a cookie',
  'POST /api/users/refresh': 'A new access token; the refresh cookie is replaced',
  'GET /api/user': 'The current user',
  'PUT /api/user': 'The user as saved',
  'POST /api/user/api-tokens': 'Created: the token\'s settings, and its raw value (`token`), shown this once',
  'GET /api/user/api-tokens': 'The tokens, newest first',
  'GET /api/user/api-tokens/current': 'The token of this request and the client address the server sees',
  'POST /api/user/api-tokens/current/rotate': 'Rotated: the new token (raw value shown this once) and until when the old one works',
  'PATCH /api/user/api-tokens/{id}': 'The token as saved',
  'POST /api/user/api-tokens/{id}/rotate': 'Rotated: the new token (raw value shown this once) and until when the old one works',
  'GET /api/token-policy': 'The policy: maximum lifetime, inactivity revocation, the expiry presets allowed',
  'POST /api/credentials/revoke': 'Received; the answer is the same whatever the credentials were',
  'GET /api/profiles/{username}': 'The profile',
  'POST /api/profiles/{username}/follow': 'The profile, now followed',
  'DELETE /api/profiles/{username}/follow': 'The profile, no longer followed',
  'GET /api/articles': 'A page of articles (without their bodies) and the total count',
  'POST /api/articles': 'The article as published',
  'GET /api/articles/feed': 'A page of articles (without their bodies) and the total count',
  'GET /api/articles/{slug}': 'The article',
  'PUT /api/articles/{slug}': 'The article as saved',
  'POST /api/articles/{slug}/favorite': 'The article, favorited',
  'DELETE /api/articles/{slug}/favorite': 'The article, no longer favorited',
  'POST /api/articles/{slug}/comments': 'The comment as posted',
  'GET /api/articles/{slug}/comments': 'The comments, oldest first',
  'GET /api/tags': 'The tags, most used first',
  'GET /api/user/notifications': 'The notifications, newest first, and how many are unread',
};

type Schema = { $ref?: string; type?: string; properties?: Record<string, Schema>; required?: string[]; enum?: unknown[]; minimum?: number; maximum?: number; items?: Schema };

/** What the validation would say about a field of this schema, as the API words it. */
function problemWith(schema: Schema | undefined): string {
  if (schema?.enum?.length) return `must be one of ${schema.enum.join(', ')}`;
  switch (schema?.type) {
    case 'string':
      return "can't be blank";
    case 'integer':
    case 'number':
      return schema.minimum !== undefined && schema.maximum !== undefined
        ? `must be a whole number from ${schema.minimum} to ${schema.maximum}`
        : 'must be a number';
    case 'array':
      return 'must be a list';
    case 'boolean':
      return 'must be true or false';
    default:
      return 'is invalid';
  }
}

/**
 * A 422 example about the operation's own input: the first required field of its body (inside the
 * RealWorld wrapper, e.g. \`{"apiToken": {...}}\`), else its first query parameter.
 */
function validationExample(document: OpenAPIObject, operation: Operation): ErrorResponse | undefined {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  const resolve = (schema: Schema | undefined): Schema | undefined => (schema?.$ref ? schemas[schema.$ref.split('/').pop()!] : schema);
  const requestBody = operation.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined;
  let target = resolve(requestBody?.content?.['application/json']?.schema);
  if (target?.properties) {
    const keys = Object.keys(target.properties);
    const inner = keys.length === 1 ? resolve(target.properties[keys[0]]) : undefined;
    if (inner?.properties) target = inner;
    const properties = target.properties ?? {};
    const field = target.required?.[0] ?? Object.keys(properties)[0];
    if (field) return { errors: { [field]: [problemWith(resolve(properties[field]))] } };
  }
  const query = ((operation.parameters ?? []) as { in?: string; name?: string; schema?: Schema }[]).find((p) => p.in === 'query' && p.name);
  return query ? { errors: { [query.name!]: [problemWith(query.schema)] } } : undefined;
}

/** What a path's last parameter names, as the API's 404 says it: \`{"apiToken": ["not found"]}\`. */
const NOT_FOUND_SUBJECTS: Record<string, string> = { 'api-tokens': 'apiToken', articles: 'article', comments: 'comment', profiles: 'profile' };
function notFoundExample(path: string): ErrorResponse | undefined {
  const segments = path.split('/');
  for (let i = segments.length - 1; i > 0; i--) {
    if (!segments[i].startsWith('{')) continue;
    const subject = NOT_FOUND_SUBJECTS[segments[i - 1]];
    if (subject) return { errors: { [subject]: ['not found'] } };
  }
  return undefined;
}
