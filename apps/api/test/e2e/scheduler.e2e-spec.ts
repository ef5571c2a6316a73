import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { sql } from '../support/sql';
import { SchedulerService } from '../../src/scheduler/scheduler.service';
import { startApp, unique } from '../support/app';

jest.setTimeout(30_000);

const scheduler = (app: NestFastifyApplication) => app.get(SchedulerService);
/** Other test files run the app's own jobs (reminders, mail) when they mean to: these apps never do. */
const only = (app: NestFastifyApplication, name: string) => {
  scheduler(app).runOnly([name]);
  return scheduler(app);
};
const jobName = () => unique('test.job-').toLowerCase();
/** The test jobs among those a tick ran (the app's own jobs, e.g. the throttle purge, may be due too). */
const testJobs = (ran: string[]) => ran.filter((name) => name.startsWith('test.job-'));

/** Two instances of the API against one database, each with the same job registered. */
async function twoInstances(name: string, interval: string, handler: (instance: string) => Promise<void>, env: Record<string, string> = {}) {
  const boot = (instance: string) =>
    startApp(env, { beforeInit: (app) => only(app, name).every(name, interval, () => handler(instance)) });
  return Promise.all([boot('a'), boot('b')]);
}

describe('Scheduler: jobs inside the API process, exactly once across instances', () => {
  it('runs a due job on exactly one of two instances polling at the same time, then not again before its period', async () => {
    const name = jobName();
    const runs: string[] = [];
    const [a, b] = await twoInstances(name, '1h', async (instance) => void runs.push(instance));
    try {
      const [ranA, ranB] = await Promise.all([scheduler(a).tick(), scheduler(b).tick()]);
      expect(runs).toHaveLength(1);
      expect(testJobs([...ranA, ...ranB])).toEqual([name]);
      await Promise.all([scheduler(a).tick(), scheduler(b).tick()]);
      expect(runs).toHaveLength(1);
      const [row] = await sql<{ interval_seconds: number; next_run_at: Date; running_until: Date | null; last_error: string | null }>(
        'SELECT interval_seconds, next_run_at, running_until, last_error FROM scheduled_jobs WHERE name = $1', [name]);
      expect(row.interval_seconds).toBe(3600);
      expect(row.running_until).toBeNull();
      expect(row.last_error).toBeNull();
      expect(row.next_run_at.getTime() - Date.now()).toBeGreaterThan(3590_000);

      // The next period: due again, again exactly once.
      await sql('UPDATE scheduled_jobs SET next_run_at = now() WHERE name = $1', [name]);
      await Promise.all([scheduler(a).tick(), scheduler(b).tick(), scheduler(a).tick(), scheduler(b).tick()]);
      expect(runs).toHaveLength(2);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('does not start a job on a second instance while the first still runs it (lease)', async () => {
    const name = jobName();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const runs: string[] = [];
    const [a, b] = await twoInstances(name, '1s', async (instance) => {
      runs.push(instance);
      await gate;
    });
    try {
      const first = scheduler(a).tick();
      await new Promise((r) => setTimeout(r, 100));
      await sql('UPDATE scheduled_jobs SET next_run_at = now() - interval \'1 minute\' WHERE name = $1', [name]);
      expect(testJobs(await scheduler(b).tick())).toEqual([]);
      release();
      expect(await first).toEqual([name]);
      expect(runs).toEqual(['a']);
      expect(testJobs(await scheduler(b).tick())).toEqual([name]);
      expect(runs).toEqual(['a', 'b']);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('logs a failing job, records the error, and runs it again at its next period', async () => {
    const name = jobName();
    const chunks: string[] = [];
    const logStream = new Writable({ write: (chunk, _e, done) => void (chunks.push(String(chunk)), done()) });
    let calls = 0;
    const app = await startApp({ LOG_LEVEL: 'info' }, {
      logStream,
      beforeInit: (app) =>
        only(app, name).every(name, '1m', async () => {
          calls += 1;
          if (calls === 1) throw new Error('disk on fire');
        }),
    });
    try {
      expect(testJobs(await scheduler(app).tick())).toEqual([name]);
      const [failed] = await sql<{ last_error: string }>('SELECT last_error FROM scheduled_jobs WHERE name = $1', [name]);
      expect(failed.last_error).toBe('disk on fire');
      expect(chunks.join('')).toContain(`scheduled job ${name} failed: disk on fire`);
      await sql('UPDATE scheduled_jobs SET next_run_at = now() WHERE name = $1', [name]);
      expect(testJobs(await scheduler(app).tick())).toEqual([name]);
      const [ok] = await sql<{ last_error: string | null }>('SELECT last_error FROM scheduled_jobs WHERE name = $1', [name]);
      expect(ok.last_error).toBeNull();
      expect(calls).toBe(2);
    } finally {
      await app.close();
    }
  });

  it('with SCHEDULER on, polls by itself; closing the app stops it and aborts the running job', async () => {
    const name = jobName();
    let runs = 0;
    let aborted = false;
    const app = await startApp({ SCHEDULER: 'true', SCHEDULER_POLL_INTERVAL: '1s' }, {
      beforeInit: (app) =>
        only(app, name).every(name, '1s', async ({ signal }) => {
          runs += 1;
          if (runs === 3) await new Promise<void>((resolve) => signal.addEventListener('abort', () => ((aborted = true), resolve())));
        }),
    });
    const deadline = Date.now() + 10_000;
    while (runs < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(runs).toBe(3);
    await app.close();
    expect(aborted).toBe(true);
    const after = runs;
    await new Promise((r) => setTimeout(r, 1500));
    expect(runs).toBe(after);
  });

  it('run(name) runs a job now in this process; registration checks names and intervals', async () => {
    const name = jobName();
    let runs = 0;
    const app = await startApp({}, { beforeInit: (app) => scheduler(app).every(name, '1d', async () => void (runs += 1)) });
    try {
      await scheduler(app).run(name);
      await scheduler(app).run(name);
      expect(runs).toBe(2);
      await expect(scheduler(app).run('no.such-job')).rejects.toThrow('no job "no.such-job"');
      expect(() => scheduler(app).every('late.job', '1m', async () => undefined)).toThrow(/before the app has started/);
    } finally {
      await app.close();
    }
    const other = await startApp({}, {
      beforeInit: (app) => {
        expect(() => scheduler(app).every('Bad Name', '1m', async () => undefined)).toThrow(/bad job name/);
        expect(() => scheduler(app).every('ok.name', 'soon', async () => undefined)).toThrow(/bad interval "soon"/);
        expect(() => scheduler(app).every('ok.name', 0, async () => undefined)).toThrow(/bad interval/);
        scheduler(app).every('ok.name', '1m', async () => undefined);
        expect(() => scheduler(app).every('ok.name', '1m', async () => undefined)).toThrow(/registered twice/);
      },
    });
    await other.close();
  });
});
