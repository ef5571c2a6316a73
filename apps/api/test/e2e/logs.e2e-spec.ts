import { Writable } from 'node:stream';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createToken, http, register, startApp, tamper } from '../support/app';
import { allEvents } from '../support/security-log';

jest.setTimeout(60_000);

/** Boots an app whose log lines are collected in memory. */
async function appWithLogs(): Promise<{ app: NestFastifyApplication; logs: () => string }> {
  const chunks: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const app = await startApp({ LOG_LEVEL: 'debug' }, { logStream });
  return { app, logs: () => chunks.join('') };
}

interface RequestLine {
  level: number;
  msg: string;
  req: { method: string; url: string; headers: Record<string, string> };
  res: { statusCode: number };
}

const requestLines = (logs: string): RequestLine[] =>
  logs
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as RequestLine)
    .filter((line) => line.msg === 'request completed');

describe('logs', () => {
  it('never contain a raw token, a session token, a refresh cookie or a password', async () => {
    const { app, logs: read } = await appWithLogs();
    try {
      const user = await register(app);
      const { raw } = await createToken(app, user.token);
      await http(app).get('/api/user').set('Authorization', `Bearer ${raw}`);
      await http(app).get('/api/user').set('Authorization', `Bearer ${tamper(raw)}`);
      await http(app).post('/api/users/refresh').set('Cookie', user.cookie);
      await http(app).post('/api/users/login').send({ user: { email: user.email, password: user.password } });
    } finally {
      await app.close();
    }
    const logs = read();
    expect(logs).toContain('"clientIp":"127.0.0.1"');
    expect(logs).not.toMatch(/conduit_[0-9A-Za-z]{20}/);
    expect(logs).not.toMatch(/eyJ[0-9A-Za-z_-]{10}/);
    expect(logs).not.toContain('correct horse battery');
    expect(logs).not.toMatch(/conduit_refresh=[A-Za-z0-9_-]{10}/);
    // One line per request, at info whatever the 4xx (pino: 30 info, 40 warn): a flood of
    // refused requests is not a flood of warnings.
    const lines = requestLines(logs);
    // Authorization and Cookie are not among the logged headers at all.
    for (const line of lines) {
      expect(line.req.headers).not.toHaveProperty('authorization');
      expect(line.req.headers).not.toHaveProperty('cookie');
    }
    expect(lines.filter((line) => line.res.statusCode === 401).length).toBeGreaterThanOrEqual(1);
    expect(lines.filter((line) => line.res.statusCode === 200).length).toBeGreaterThanOrEqual(2);
    expect(lines.map((line) => line.level)).toEqual(lines.map(() => 30));
  });

  it('write URLs without credentials in the query (any case, encoded names too) and no Proxy-Authorization', async () => {
    const { app, logs: read } = await appWithLogs();
    let raw = '';
    let jwt = '';
    try {
      const user = await register(app);
      jwt = user.token;
      raw = (await createToken(app, user.token)).raw;
      await http(app).get(`/api/user?access_token=${raw}`).expect(401);
      await http(app).get(`/api/user?limit=1&TOKEN=${jwt}&tag=x`).expect(401);
      await http(app).get(`/api/user?Access_Token=${raw}&access%5Ftoken=${raw}&refresh_token=${raw}&token`).expect(401);
      await http(app).get('/api/tags').set('Proxy-Authorization', `Basic ${Buffer.from('proxy:hunter2').toString('base64')}`).expect(200);
    } finally {
      await app.close();
    }
    const logs = read();
    const urls = requestLines(logs).map((line) => line.req.url);
    expect(urls).toEqual(
      expect.arrayContaining([
        '/api/user?access_token=[REDACTED]',
        '/api/user?limit=1&TOKEN=[REDACTED]&tag=x',
        '/api/user?Access_Token=[REDACTED]&access%5Ftoken=[REDACTED]&refresh_token=[REDACTED]&token',
      ]),
    );
    const proxied = requestLines(logs).find((line) => line.req.url === '/api/tags');
    expect(proxied?.req.headers).not.toHaveProperty('proxy-authorization');
    expect(logs).not.toContain(raw);
    expect(logs).not.toContain(jwt);
    expect(logs).not.toContain(Buffer.from('proxy:hunter2').toString('base64'));
  });

  it('hold no token, JWT or password wherever a client hides one: other parameter names, the path, headers', async () => {
    const { app, logs: read } = await appWithLogs();
    let raw = '';
    let jwt = '';
    let password = '';
    let sessionAfter = '';
    try {
      const user = await register(app);
      jwt = user.token;
      password = user.password;
      raw = (await createToken(app, user.token)).raw;
      const encodedPassword = encodeURIComponent(password);
      const urls = [
        `/api/user?apiToken=${raw}`,
        `/api/user?api_key=${raw}&limit=2`,
        `/api/user?key=${raw}`,
        `/api/user?API-KEY=${raw}`,
        `/api/user?api%5Fkey=${raw}`,
        `/api/user;access_token=${raw}`,
        `/api/articles;jsessionid=1;access_token=${raw}/comments`,
        `/api/articles/${raw}`,
        `/api/articles/${raw}/comments?x=1`,
        `/api/articles/${jwt}`,
        `/api/user?jwt=${jwt}`,
        `/api/user?id_token=${jwt}`,
        `/api/users/login?password=${encodedPassword}`,
        `/api/users/login?email=${encodeURIComponent(user.email)}&Password=${encodedPassword}`,
        `/api/articles?next=${encodeURIComponent(`/api/user?token=${raw}&password=${password}`)}`,
      ];
      for (const url of urls) await http(app).get(url);
      await http(app).get('/api/tags').set('User-Agent', `my-script/1.0 (${raw})`).expect(200);
      await http(app).get('/api/tags').set('User-Agent', `my-script/1.0 jwt=${jwt}`).expect(200);
      await http(app).get('/api/tags').set('Referer', `https://app.example/settings?access_token=${raw}&password=${encodedPassword}`).expect(200);
      await http(app).get('/api/tags').set('Referer', `https://app.example/#id_token=${jwt}`).expect(200);
      await http(app).get('/api/tags').set('Referer', 'https://alice:hunter2-userinfo@app.example/').expect(200);
      await http(app).get('/api/tags').set('User-Agent', 'my-script/1.0 (Authorization: Basic aHVudGVyMjpwdw==)').expect(200);
      await http(app).get('/api/user').set('X-Api-Key', raw).set('X-Secret-Thing', 'hunter2-unknown-header');
      await http(app).get('/api/user').set('X-Auth-Token', jwt);
      // The security log keeps the User-Agent of a sign-in: not a token pasted into it.
      const login = await http(app)
        .post('/api/users/login')
        .set('User-Agent', `my-script/1.0 ${raw}`)
        .send({ user: { email: user.email, password } })
        .expect(200);
      sessionAfter = login.body.user.token as string;
      const events = await allEvents(app, sessionAfter);
      expect(events.map((e) => e.userAgent)).toContain('my-script/1.0 conduit_[REDACTED]');
      expect(JSON.stringify(events)).not.toContain(raw);
      // Nest's own messages (a service's warning quoting a URL or an error) go through the same redaction.
      new Logger('LogsTest').warn(`could not fetch https://idp.example/keys?client_secret=hunter2-client-secret: ${raw}`);
      new Logger('LogsTest').error(`failed with ${jwt}`, `Error: failed\n    at handler (${raw})`);
      await http(app).get('/api/articles?tag=x&limit=5').expect(200);
      await http(app).get('/api/articles/how-to-train-your-dragon-a1b2c3').expect(404);
      await http(app)
        .get('/api/tags')
        .set('User-Agent', 'Mozilla/5.0 (X11; Linux x86_64)')
        .set('Referer', 'https://app.example/editor?draft=1')
        .set('Accept', 'application/json')
        .set('X-Request-Id', 'req-42')
        .expect(200);
    } finally {
      await app.close();
    }
    const logs = read();
    // The whole text the server wrote, every line, every field.
    expect(logs).not.toContain(raw);
    expect(logs).not.toContain(raw.slice(8, 30));
    expect(logs).not.toContain(jwt);
    expect(logs).not.toContain(jwt.split('.')[1]);
    expect(logs).not.toContain(jwt.split('.')[2]);
    expect(logs).not.toContain(sessionAfter);
    expect(logs).not.toContain(password);
    expect(logs).not.toContain(encodeURIComponent(password));
    expect(logs).not.toContain(password.replace(/ /g, '+'));
    expect(logs).not.toContain('hunter2');
    expect(logs).not.toContain('aHVudGVyMjpwdw==');
    expect(logs).toContain('could not fetch https://idp.example/keys?client_secret=[REDACTED] conduit_[REDACTED]');

    const lines = requestLines(logs);
    const urls = lines.map((line) => line.req.url);
    expect(urls).toEqual(
      expect.arrayContaining([
        '/api/user?apiToken=[REDACTED]',
        '/api/user?api_key=[REDACTED]&limit=2',
        '/api/user;access_token=[REDACTED]',
        '/api/articles;jsessionid=[REDACTED];access_token=[REDACTED]/comments',
        '/api/articles/conduit_[REDACTED]',
        '/api/articles/[REDACTED]',
        '/api/users/login?password=[REDACTED]',
        // Ordinary URLs stay readable.
        '/api/articles?tag=x&limit=5',
        '/api/articles/how-to-train-your-dragon-a1b2c3',
      ]),
    );
    // Only allowlisted headers are written, and those redacted by value.
    const readable = lines.find((line) => line.req.headers['x-request-id'] === 'req-42');
    expect(readable?.req.headers).toMatchObject({
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)',
      referer: 'https://app.example/editor?draft=1',
      accept: 'application/json',
      'x-request-id': 'req-42',
    });
    expect(readable?.req.headers.host).toBeDefined();
    for (const line of lines) {
      for (const name of ['authorization', 'cookie', 'x-api-key', 'x-secret-thing', 'x-auth-token', 'proxy-authorization']) {
        expect(line.req.headers).not.toHaveProperty(name);
      }
    }
    expect(lines.map((line) => line.req.headers['user-agent'])).toContain('my-script/1.0 (conduit_[REDACTED])');
    expect(lines.map((line) => line.req.headers.referer)).toEqual(
      expect.arrayContaining(['https://app.example/settings?access_token=[REDACTED]&password=[REDACTED]', 'https://alice:[REDACTED]@app.example/']),
    );
  });
});
