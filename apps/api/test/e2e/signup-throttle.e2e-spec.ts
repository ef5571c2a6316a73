import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SignupThrottle } from '../../src/users/signup-throttle';
import { http, register, startApp, unique } from '../support/app';

jest.setTimeout(60_000);

/** Sign-ups per client address, shared by two instances on one database. */
describe('SIGNUP_LIMIT per SIGNUP_WINDOW per client address (two instances)', () => {
  let a: NestFastifyApplication;
  let b: NestFastifyApplication;
  const env = { SIGNUP_LIMIT: '3', SIGNUP_WINDOW: '1h', TRUSTED_PROXIES: '127.0.0.1/32' };
  beforeAll(async () => {
    [a, b] = await Promise.all([startApp(env), startApp(env)]);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  // Each test its own documentation addresses, so that the shared counts never meet.
  let n = 0;
  const nextV4 = () => `198.18.${Math.floor(Math.random() * 200)}.${(n += 1)}`;
  const signUp = (app: NestFastifyApplication, ip: string, user: Record<string, unknown> = {}) => {
    const username = unique('s');
    return http(app).post('/api/users').set('X-Forwarded-For', ip).send({ user: { username, email: `${username}@example.test`, password: 'correct horse battery', ...user } });
  };

  it('counts every attempt across instances; over the limit a 429 with Retry-After, for taken emails and bad bodies too', async () => {
    const ip = nextV4();
    const taken = await register(a);
    expect((await signUp(a, ip)).status).toBe(201);
    expect((await signUp(a, ip, { email: taken.email })).status).toBe(409); // counted too
    await a.get(SignupThrottle).sync();
    expect((await signUp(b, ip)).status).toBe(201); // the third, on the other instance
    await b.get(SignupThrottle).sync();
    for (const res of [await signUp(b, ip), await signUp(b, ip, { email: taken.email }), await http(b).post('/api/users').set('X-Forwarded-For', ip).send({})]) {
      expect(res.status).toBe(429);
      expect(res.body).toEqual({ errors: { requests: [expect.stringMatching(/^too many sign-ups from this address; retry in \d+ seconds$/)] } });
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(3000);
    }
    // The first instance learns of it at its next sync.
    await a.get(SignupThrottle).sync();
    await signUp(a, ip); // its own count reaches the limit, and it syncs the total back
    await a.get(SignupThrottle).sync();
    expect((await signUp(a, ip)).status).toBe(429);
    // Another address is not concerned; nor are sign-ins from this one.
    expect((await signUp(a, nextV4())).status).toBe(201);
    await http(a).post('/api/users/login').set('X-Forwarded-For', ip).send({ user: { email: taken.email, password: taken.password } }).expect(200);
  });

  it('IPv6 clients are counted per /64', async () => {
    const prefix = `2001:db8:${(Math.floor(Math.random() * 0xfff) + 1).toString(16)}:${(n += 1).toString(16)}`;
    for (const suffix of ['::1', '::2', ':a:b:c:d']) expect((await signUp(a, `${prefix}${suffix}`)).status).toBe(201);
    expect((await signUp(a, `${prefix}::99`)).status).toBe(429);
    expect((await signUp(a, `2001:db8:ffff:${(n += 1).toString(16)}::1`)).status).toBe(201);
  });
});
