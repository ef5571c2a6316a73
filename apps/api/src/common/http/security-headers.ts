import helmet from 'helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ClientIpResolver } from '../client-ip';

/** One year; sent only on requests that came over HTTPS (directly or through a trusted proxy). */
export const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * Browser security headers on every response (helmet): a strict Content-Security-Policy
 * that the web app and Swagger UI (/api/docs) work under (scripts from this origin only; inline
 * styles, which Swagger UI's page uses; images from anywhere over HTTPS, for profile pictures),
 * framing denied (frame-ancestors 'none' and X-Frame-Options: DENY), nosniff,
 * Referrer-Policy: no-referrer. HSTS only when the request came over HTTPS, which a plain-HTTP
 * deployment must not be told to expect.
 *
 * `helmet` itself, built once here and applied in one onRequest hook: @fastify/helmet builds the
 * whole helmet middleware (parsing the CSP again) on every request, which halved the throughput
 * of a public route (bench:auth, GET /api/ip).
 */
export function registerSecurityHeaders(app: NestFastifyApplication, clientIp: ClientIpResolver): void {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'base-uri': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'https:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: false,
  });
  app.getHttpAdapter().getInstance().addHook('onRequest', (request, reply, done) => {
    if (clientIp.isHttps(request.raw)) void reply.header('Strict-Transport-Security', HSTS);
    headers(request.raw, reply.raw, () => done());
  });
}
