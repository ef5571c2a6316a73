import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { MetricsServer } from '../../src/metrics/metrics.server';
import { SchedulerService } from '../../src/scheduler/scheduler.service';
import { createToken, http, register, startApp } from '../support/app';

jest.setTimeout(60_000);

const FAILING_JOB = 'metrics-test.always-fails';

/** The samples of a Prometheus text exposition: `name{labels}` → value. */
function parse(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

describe('metrics (GET /metrics on METRICS_PORT)', () => {
  let app: NestFastifyApplication;
  let metricsUrl: string;
  beforeAll(async () => {
    app = await startApp(
      // A low failed-authentication limit for one documentation address, so that a throttle rejection happens.
      { METRICS_PORT: '0', TRUSTED_PROXIES: '127.0.0.1/32', AUTH_FAILURE_LIMIT: '2' },
      {
        beforeInit: (a) =>
          a.get(SchedulerService).every(FAILING_JOB, '1d', async () => {
            throw new Error('this job always fails');
          }),
      },
    );
    metricsUrl = `http://127.0.0.1:${app.get(MetricsServer).port}/metrics`;
  });
  afterAll(async () => {
    await app.close();
  });

  async function scrape(): Promise<{ text: string; samples: Map<string, number> }> {
    const res = await fetch(metricsUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    return { text, samples: parse(text) };
  }
  const value = (samples: Map<string, number>, key: string) => samples.get(key) ?? 0;

  it('is not served on the public port', async () => {
    await http(app).get('/metrics').expect(404);
    await http(app).get('/api/metrics').expect(404);
    // And the metrics port serves nothing else.
    expect((await fetch(metricsUrl.replace('/metrics', '/api/tags'))).status).toBe(404);
  });

  it('counts requests by route template and status, authentications by kind and outcome, throttling, jobs and the pool', async () => {
    const before = (await scrape()).samples;
    const user = await register(app);
    const token = await createToken(app, user.token);
    const revoked = await createToken(app, user.token);
    await http(app).delete(`/api/user/api-tokens/${revoked.id}`).set('Authorization', `Bearer ${user.token}`).expect(204);

    for (let i = 0; i < 3; i++) await http(app).get('/api/tags').expect(200);
    await http(app).get('/api/articles/no-such-article-here').expect(404);
    await http(app).get('/api/user').set('Authorization', `Bearer ${user.token}`).expect(200);
    await http(app).get('/api/user').set('Authorization', `Bearer ${token.raw}`).expect(200);
    await http(app).get('/api/user').set('Authorization', `Bearer ${revoked.raw}`).expect(401);
    await http(app).get('/api/user').set('Authorization', 'Bearer conduit_this-is-not-a-token').expect(401);
    await http(app).get('/api/user').expect(401);
    // Over the limit from one address: 429s.
    const ip = `192.0.2.${Math.floor(Math.random() * 250) + 1}`;
    for (let i = 0; i < 4; i++) await http(app).get('/api/user').set('X-Forwarded-For', ip).set('Authorization', 'Bearer not.a.jwt');
    const scheduler = app.get(SchedulerService);
    await expect(scheduler.run(FAILING_JOB)).rejects.toThrow('this job always fails');
    await app.get(DataSource).query('SELECT * FROM a_table_that_does_not_exist').catch(() => undefined);

    const { text, samples: after } = await scrape();
    const moved = (key: string) => value(after, key) - value(before, key);

    expect(moved('conduit_http_request_duration_seconds_count{method="GET",route="/api/tags",status="200"}')).toBe(3);
    expect(moved('conduit_http_request_duration_seconds_count{method="GET",route="/api/articles/:slug",status="404"}')).toBe(1);
    expect(moved('conduit_http_request_duration_seconds_bucket{le="10",method="GET",route="/api/tags",status="200"}')).toBe(3);
    expect(value(after, 'conduit_http_request_duration_seconds_sum{method="GET",route="/api/tags",status="200"}')).toBeGreaterThan(0);
    expect(moved('conduit_http_request_duration_seconds_count{method="GET",route="/api/user",status="429"}')).toBeGreaterThanOrEqual(1);

    expect(moved('conduit_authentications_total{kind="session",outcome="success"}')).toBeGreaterThanOrEqual(1);
    expect(moved('conduit_authentications_total{kind="api_token",outcome="success"}')).toBe(1);
    expect(moved('conduit_authentications_total{kind="api_token",outcome="revoked"}')).toBe(1);
    expect(moved('conduit_authentications_total{kind="api_token",outcome="malformed"}')).toBe(1);
    expect(moved('conduit_authentications_total{kind="none",outcome="missing"}')).toBe(1);
    expect(moved('conduit_authentications_total{kind="session",outcome="invalid"}')).toBeGreaterThanOrEqual(1);
    expect(moved('conduit_authentications_total{kind="session",outcome="throttled"}')).toBeGreaterThanOrEqual(1);
    expect(moved('conduit_throttle_rejections_total{route="/api/user"}')).toBeGreaterThanOrEqual(1);

    expect(moved(`conduit_scheduler_job_runs_total{job="${FAILING_JOB}",outcome="failure"}`)).toBe(1);
    expect(moved('conduit_db_query_errors_total')).toBeGreaterThanOrEqual(1);
    expect(value(after, 'conduit_db_pool_connections{state="total"}')).toBeGreaterThan(0);
    expect(after.has('conduit_db_pool_connections{state="idle"}')).toBe(true);
    expect(after.has('conduit_db_pool_connections{state="waiting"}')).toBe(true);
    expect(after.has('conduit_mail_outbox_depth')).toBe(true);
    // prom-client's default metrics: the event-loop lag among them.
    expect(after.has('nodejs_eventloop_lag_seconds')).toBe(true);
    expect(after.has('nodejs_eventloop_lag_p99_seconds')).toBe(true);

    // Never who: no user name, token, token id or address in any label.
    for (const secret of [user.username, token.raw, token.id, revoked.id, ip, '127.0.0.1']) expect(text).not.toContain(secret);
  });
});
