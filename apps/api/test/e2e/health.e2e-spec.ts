import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ShutdownState } from '../../src/health/shutdown-state';
import { http, listen, register, startApp } from '../support/app';
import { TcpProxy } from '../support/tcp-proxy';

jest.setTimeout(120_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('health: liveness, readiness, and the database going away', () => {
  it('live and ready answer 200 with the checks; /api/health as before', async () => {
    const app = await startApp();
    try {
      const live = await http(app).get('/api/health/live').expect(200);
      expect(live.body).toEqual({ status: 'ok', details: {} });
      const ready = await http(app).get('/api/health/ready').expect(200);
      expect(ready.body).toMatchObject({
        status: 'ok',
        details: { server: { status: 'up' }, database: { status: 'up' }, migrations: { status: 'up' } },
      });
      expect((await http(app).get('/api/health').expect(200)).body).toEqual({ status: 'ok' });
    } finally {
      await app.close();
    }
  });

  it('while shutting down: readiness and /api/health answer 503, liveness and the API still 200', async () => {
    const app = await startApp();
    try {
      const user = await register(app);
      app.get(ShutdownState).begin();
      const ready = await http(app).get('/api/health/ready').expect(503);
      expect(ready.body).toMatchObject({ status: 'unavailable', errors: { server: ['is shutting down'] } });
      expect(ready.body.errors.database).toBeUndefined();
      expect((await http(app).get('/api/health').expect(503)).body).toEqual({ status: 'unavailable', errors: { server: ['is shutting down'] } });
      await http(app).get('/api/health/live').expect(200);
      await http(app).get('/api/user').set('Authorization', `Bearer ${user.token}`).expect(200);
    } finally {
      await app.close();
    }
  });

  it('a cut database: 503 in the error format (readiness says database, liveness stays 200), then recovery by itself', async () => {
    const target = new URL(process.env.DATABASE_URL!);
    const proxy = new TcpProxy(target.hostname, Number(target.port));
    await proxy.start();
    const app = await startApp({ DATABASE_URL: TcpProxy.via(process.env.DATABASE_URL!, proxy.port) });
    const port = proxy.port;
    try {
      const user = await register(app);
      await proxy.cut();
      // Past the readiness check's one-second cache.
      await sleep(1100);
      const ready = await http(app).get('/api/health/ready').expect(503);
      expect(ready.body).toMatchObject({ status: 'unavailable', errors: { database: ['is unavailable'] } });
      await http(app).get('/api/health/live').expect(200);
      const refused = await http(app).get('/api/user').set('Authorization', `Bearer ${user.token}`).expect(503);
      expect(refused.body).toEqual({ errors: { database: ['is unavailable; try again shortly'] } });

      await proxy.start(port);
      let status = 0;
      for (let i = 0; i < 100 && status !== 200; i++) {
        await sleep(200);
        status = (await http(app).get('/api/health/ready')).status;
      }
      expect(status).toBe(200);
      await http(app).get('/api/user').set('Authorization', `Bearer ${user.token}`).expect(200);
    } finally {
      await app.close();
      await proxy.cut().catch(() => undefined);
    }
  });

  it('survives its connections being terminated under load (no unhandled error event), and serves again', async () => {
    // A name of its own: other test files share this database, and their connections must live.
    const url = new URL(process.env.DATABASE_URL!);
    url.searchParams.set('application_name', 'conduit-health-e2e');
    const app: NestFastifyApplication = await startApp({ DATABASE_URL: url.toString(), DATABASE_POOL_SIZE: '4' });
    const base = await listen(app, '127.0.0.1');
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      const user = await register(app);

      // The window that ended processes: a client handed out by the pool (to a waiting query)
      // before its user listens for errors, when the server's FATAL arrives.
      const pool = (app.get(DataSource).driver as unknown as { master: Pool }).master;
      const held = await pool.connect();
      const [{ pid }] = (await held.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      await sleep(500);
      held.release(true);
      await http(app).get('/api/user').set('Authorization', `Bearer ${user.token}`).expect(200);

      let stop = false;
      const statuses = new Map<number, number>();
      const bodies = new Set<string>();
      // Requests of several kinds keep the pool busy and queued while its connections are killed.
      const worker = async () => {
        while (!stop) {
          for (const path of ['/api/health', '/api/health/ready', '/api/user']) {
            const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${user.token}` } });
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            const text = await res.text();
            if (res.status >= 500 && path === '/api/user') bodies.add(text);
          }
        }
      };
      const workers = Array.from({ length: 8 }, worker);
      for (let i = 0; i < 5; i++) {
        await sleep(300);
        await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'conduit-health-e2e' AND pid <> pg_backend_pid()`);
      }
      await sleep(300);
      stop = true;
      await Promise.all(workers);
      expect(statuses.get(500)).toBeUndefined();
      for (const body of bodies) expect(JSON.parse(body)).toEqual({ errors: { database: ['is unavailable; try again shortly'] } });
      expect(statuses.get(200)).toBeGreaterThan(0);
      // Ready again within seconds (a failed check is remembered for one second).
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        await sleep(200);
        status = (await http(app).get('/api/health/ready')).status;
      }
      expect(status).toBe(200);
      await http(app).get('/api/user').set('Authorization', `Bearer ${user.token}`).expect(200);
    } finally {
      await admin.end();
      await app.close();
    }
  });
});
