import { Writable } from 'node:stream';
import { createToken, http, register, startApp } from '../support/app';

describe('logs', () => {
  it('never contain a raw token, a session token, a refresh cookie or a password', async () => {
    const chunks: string[] = [];
    const logStream = new Writable({
      write(chunk, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    });
    const app = await startApp({ LOG_LEVEL: 'debug' }, { logStream });
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
    const logs = chunks.join('');
    expect(logs).toContain('[redacted]');
    expect(logs).toContain('"clientIp":"127.0.0.1"');
    expect(logs).not.toMatch(/conduit_[0-9A-Za-z]{20}/);
    expect(logs).not.toMatch(/eyJ[0-9A-Za-z_-]{10}/);
    expect(logs).not.toContain('correct horse battery');
    expect(logs).not.toMatch(/conduit_refresh=[A-Za-z0-9_-]{10}/);
  });
});
