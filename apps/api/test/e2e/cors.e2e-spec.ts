import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { http, startApp } from '../support/app';

/** Browsers on another origin: the preflight allows every method and header the API uses, for CORS_ORIGINS only. */
describe('CORS', () => {
  const allowed = 'https://dashboard.example.test';
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await startApp({ CORS_ORIGINS: `${allowed}, https://other.example.test` });
  });
  afterAll(async () => {
    await app.close();
  });

  const preflight = (path: string, method: string, origin = allowed) =>
    http(app)
      .options(path)
      .set('Origin', origin)
      .set('Access-Control-Request-Method', method)
      .set('Access-Control-Request-Headers', 'authorization,content-type');

  it.each([
    ['/api/user', 'PUT'],
    ['/api/articles/some-slug', 'PUT'],
    ['/api/articles/some-slug', 'DELETE'],
    ['/api/articles/some-slug/favorite', 'DELETE'],
    ['/api/profiles/someone/follow', 'DELETE'],
    ['/api/user/api-tokens/00000000-0000-0000-0000-000000000000', 'DELETE'],
    ['/api/user/api-tokens', 'POST'],
    ['/api/user', 'PATCH'],
  ])('allows %s %s with Authorization and Content-Type from a listed origin', async (path, method) => {
    const res = await preflight(path, method);
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(allowed);
    const methods = String(res.headers['access-control-allow-methods']).split(',').map((m) => m.trim());
    expect(methods).toEqual(expect.arrayContaining(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']));
    const headers = String(res.headers['access-control-allow-headers']).toLowerCase().split(',').map((h) => h.trim());
    expect(headers).toEqual(expect.arrayContaining(['authorization', 'content-type']));
  });

  it('does not allow an origin that CORS_ORIGINS does not name', async () => {
    const res = await preflight('/api/user', 'PUT', 'https://evil.example.test');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('exposes the headers a client reads on actual responses', async () => {
    const res = await http(app).get('/api/user').set('Origin', allowed);
    expect(res.status).toBe(401);
    expect(res.headers['access-control-allow-origin']).toBe(allowed);
    const exposed = String(res.headers['access-control-expose-headers']).toLowerCase();
    for (const header of ['conduit-token-expires-at', 'www-authenticate', 'retry-after']) expect(exposed).toContain(header);
  });
});
