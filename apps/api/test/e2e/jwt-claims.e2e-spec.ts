import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import * as jwt from 'jsonwebtoken';
import { SecretsService } from '../../src/config/secrets.service';
import { http, register, startApp } from '../support/app';

jest.setTimeout(60_000);

/** A JWT signed with the server's own key is a session's only if it has exp and iat. */
describe('session access tokens must carry exp and iat', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('refuses one without exp, or without iat, even with a valid signature and a live session', async () => {
    const u = await register(app);
    const { sub, sid } = jwt.decode(u.token) as { sub: string; sid: string };
    const key = app.get(SecretsService).jwtKey;
    const me = (token: string) => http(app).get('/api/user').set('Authorization', `Bearer ${token}`);
    await me(u.token).expect(200);
    await me(jwt.sign({ sub, sid }, key, { algorithm: 'HS256', expiresIn: 60 })).expect(200);
    const noExp = await me(jwt.sign({ sub, sid }, key, { algorithm: 'HS256' }));
    expect(noExp.status).toBe(401);
    expect(noExp.headers['www-authenticate']).toContain('invalid_token');
    expect((await me(jwt.sign({ sub, sid }, key, { algorithm: 'HS256', expiresIn: 60, noTimestamp: true }))).status).toBe(401);
  });
});
