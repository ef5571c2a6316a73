import 'reflect-metadata';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TOKEN_EXPIRES_AT_HEADER } from '@conduit/contracts';
import { AppModule } from './app.module';
import { AuthThrottle } from './throttle/auth-throttle';
import { refuseMalformedTokensEarly } from './auth/early-refusal';
import { HttpExceptionFilter, SpaFallback } from './common/http/http-exception.filter';
import { jsonBodyParser } from './common/http/json-body';
import { registerSecurityHeaders } from './common/http/security-headers';
import { answerProtocolErrorsInFormat, clientErrorHandler } from './common/http/protocol-errors';
import { createValidationPipe } from './common/http/validation';
import { ClientIpResolver } from './common/client-ip';
import { createLogger, logRequests, PinoNestLogger } from './common/logging';
import { closeConnectionsWhenDraining } from './graceful-shutdown';
import { ShutdownState } from './health/shutdown-state';
import { createOpenApiDocument } from './openapi/openapi';
import { OAUTH_TOKEN_PATH } from './trust-policies/oauth-token.controller';
import { ApiError } from './common/http/errors';
import { recordRequests } from './metrics/http-metrics';
import { Metrics } from './metrics/metrics';
import type { AppConfig } from './config/config';

/**
 * Builds the HTTP application (used by main, the e2e tests and the benchmark alike).
 * Fastify rather than Express: on this hardware it serves several times more requests per second.
 */
export interface AppOptions {
  /** Where logs go (default: stdout). */
  logStream?: NodeJS.WritableStream;
}

/** The largest request body accepted (413 above it). */
export const BODY_LIMIT = 1024 * 1024;

export async function createApp(config: AppConfig, options: AppOptions = {}): Promise<NestFastifyApplication> {
  const logger = createLogger(config, options.logStream);
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT,
    routerOptions: { maxParamLength: 1000 },
    // A request without Host is refused by a hook, in the error format, rather than by Node with an empty 400.
    http: { requireHostHeader: false },
    // On shutdown, requests still arriving on open connections are served (with Connection:
    // close), not answered with Fastify's own 503 body (see graceful-shutdown.ts).
    return503OnClosing: false,
    // What Node's HTTP parser refuses (bad method, CR in a header, oversized headers, …) too.
    clientErrorHandler,
    // URLs the router cannot even read get the one error format too.
    frameworkErrors: (error: { code?: string }, _request: FastifyRequest, reply: FastifyReply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      void reply
        .status(tooLong ? 414 : 400)
        .send({ errors: { url: [tooLong ? 'is too long' : 'is not a valid URL (bad percent-encoding)'] } });
    },
  });
  // JSON only: any other body type is a 415, not a string for the validators to puzzle over.
  adapter.getInstance().removeContentTypeParser(['text/plain']);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
    // Dynamic modules are told apart by reference: several apps can live in one process (tests,
    // benchmarks) with different configuration.
    moduleIdGeneratorAlgorithm: 'reference',
  });
  logRequests(adapter.getInstance(), logger, app.get(ClientIpResolver));
  recordRequests(adapter.getInstance(), app.get(Metrics));
  answerProtocolErrorsInFormat(adapter.getInstance());
  closeConnectionsWhenDraining(adapter.getInstance(), app.get(ShutdownState));
  refuseMalformedTokensEarly(adapter.getInstance(), app.get(AuthThrottle), app.get(ClientIpResolver), app.get(Metrics));
  app.useBodyParser('application/json', { bodyLimit: BODY_LIMIT }, jsonBodyParser(adapter.getInstance()));
  // Forms only where OAuth says so (the token endpoint); everywhere else a form is a 415 like any non-JSON body.
  app.useBodyParser('application/x-www-form-urlencoded', { bodyLimit: 64 * 1024 }, (request: FastifyRequest, body: Buffer, done: (error: Error | null, body?: unknown) => void) => {
    if (request.routeOptions.url !== OAUTH_TOKEN_PATH) return done(new ApiError(415, { body: ['must be JSON (Content-Type: application/json)'] }));
    done(null, new URLSearchParams(body.toString('utf8')));
  });
  app.setGlobalPrefix('api');
  await app.register(fastifyCookie as never);
  registerSecurityHeaders(app, app.get(ClientIpResolver));
  app.enableCors({
    origin: config.corsOrigins === '*' ? '*' : config.corsOrigins,
    // Everything the API answers to, so that a client on another origin can update, delete and revoke too.
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    exposedHeaders: [TOKEN_EXPIRES_AT_HEADER, 'WWW-Authenticate', 'Retry-After'],
    maxAge: 600,
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter(spaFallback(app, config)));

  const document = createOpenApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
  return app;
}

/** Serves the built web app: its files, and index.html for every client route (not /api). */
function spaFallback(app: NestFastifyApplication, config: AppConfig): SpaFallback | undefined {
  const indexPath = path.join(config.webDist, 'index.html');
  if (!fs.existsSync(indexPath)) return undefined;
  const indexHtml = fs.readFileSync(indexPath, 'utf8');
  app.useStaticAssets({ root: config.webDist, prefix: '/', index: false, wildcard: false });
  return (request: FastifyRequest, reply: FastifyReply) => {
    const url = request.url;
    if ((request.method !== 'GET' && request.method !== 'HEAD') || url === '/api' || url.startsWith('/api/') || url.startsWith('/api?') ||
      // Metrics live on METRICS_PORT: the public port answers 404 for them, not the web app.
      url === '/metrics' || url.startsWith('/metrics?')) {
      return false;
    }
    reply.status(200).type('text/html; charset=utf-8').header('Cache-Control', 'no-cache').send(indexHtml);
    return true;
  };
}
