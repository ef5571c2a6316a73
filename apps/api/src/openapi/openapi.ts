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

/** A route's own error answers, e.g. `@ApiErrors(404, 422)`; the body is the one error format. */
export const ApiErrors = (...statuses: (keyof typeof ERRORS)[]) =>
  applyDecorators(...statuses.map((status) => ApiResponse({ status, description: ERRORS[status].description, type: ErrorResponseDto })));

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
      .setDescription(
        'The Conduit REST API: the RealWorld API (users, profiles, articles, comments, tags) and API tokens. ' +
          'Authenticate with `Authorization: Bearer <session JWT or API token>` (`Token <jwt>` is accepted too). ' +
          'Errors: `{"errors": {"<field>": ["<message>"]}}`.',
      )
      .setVersion('1.0')
      // No licence is granted (npm's "UNLICENSED": the package is private); the link says what that means.
      .setLicense('UNLICENSED', 'https://docs.npmjs.com/cli/configuring-npm/package-json#license')
      .addServer('/', 'This server')
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
  for (const item of Object.values(document.paths)) {
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
        error(403, { example: { errors: { token: [SESSION_ONLY_MESSAGE] } } });
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
      const parameters = (operation.parameters ?? []) as { in?: string }[];
      const hasBody = operation.requestBody !== undefined;
      // The router answers 400 for a URL it cannot read (bad percent-encoding), whatever the route.
      error(400, { description: hasBody ? ERRORS[400].description : 'The URL cannot be read (bad percent-encoding)', example: hasBody ? undefined : { errors: { url: ['is not a valid URL (bad percent-encoding)'] } } });
      if (hasBody) {
        error(413);
        error(415);
      }
      if (hasBody || parameters.some((p) => p.in === 'query')) error(422);
    }
  }
}
