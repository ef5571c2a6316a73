import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createToken, http, register, startApp } from '../support/app';

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
      await http(app).get('/api/user').set('Authorization', `Bearer ${raw.slice(0, -1)}x`);
      await http(app).post('/api/users/refresh').set('Cookie', user.cookie);
      await http(app).post('/api/users/login').send({ user: { email: user.email, password: user.password } });
    } finally {
      await app.close();
    }
    const logs = read();
    expect(logs).toContain('[redacted]');
    expect(logs).toContain('"clientIp":"127.0.0.1"');
    expect(logs).not.toMatch(/conduit_[0-9A-Za-z]{20}/);
    expect(logs).not.toMatch(/eyJ[0-9A-Za-z_-]{10}/);
    expect(logs).not.toContain('correct horse battery');
    expect(logs).not.toMatch(/conduit_refresh=[A-Za-z0-9_-]{10}/);
    // One line per request, at info whatever the 4xx (pino: 30 info, 40 warn): a flood of
    // refused requests is not a flood of warnings.
    const lines = requestLines(logs);
    expect(lines.filter((line) => line.res.statusCode === 401).length).toBeGreaterThanOrEqual(1);
    expect(lines.filter((line) => line.res.statusCode === 200).length).toBeGreaterThanOrEqual(2);
    expect(lines.map((line) => line.level)).toEqual(lines.map(() => 30));
  });

  it('write URLs without credentials in the query (any case, encoded names too) and redact Proxy-Authorization', async () => {
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
        '/api/user?Access_Token=[REDACTED]&access%5Ftoken=[REDACTED]&refresh_token=[REDACTED]&token=[REDACTED]',
      ]),
    );
    const proxied = requestLines(logs).find((line) => line.req.url === '/api/tags');
    expect(proxied?.req.headers['proxy-authorization']).toBe('[redacted]');
    expect(logs).not.toContain(raw);
    expect(logs).not.toContain(jwt);
    expect(logs).not.toContain(Buffer.from('proxy:hunter2').toString('base64'));
  });
});
