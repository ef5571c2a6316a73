import { randomInt } from 'node:crypto';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { APP_CONFIG, AppConfig, parseDurationSeconds } from '../config/config';
import { Metrics } from '../metrics/metrics';
import { ScheduledJobsRepository } from './scheduled-jobs.repository';

/** What a job receives: its name, and a signal that is aborted when the app shuts down. */
export interface JobContext {
  name: string;
  signal: AbortSignal;
}

export type JobHandler = (context: JobContext) => Promise<void>;

interface Job {
  name: string;
  intervalSeconds: number;
  handler: JobHandler;
}

/** How long a claimed run may take before another instance may start the job again. */
const LEASE_SECONDS = 300;

const NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/**
 * The one scheduler: periodic jobs run inside the API processes, each period exactly once
 * across all instances, coordinated through PostgreSQL (ScheduledJobsRepository).
 *
 *   scheduler.every('security-log.purge', '1h', async ({ signal }) => { … });
 *
 * Call `every()` from a provider's constructor or `onModuleInit`; the jobs are recorded in the
 * database when the app has started (onApplicationBootstrap), then every instance polls each
 * SCHEDULER_POLL_INTERVAL (with jitter). One poll is one statement: it claims every due job this
 * instance knows by moving its `next_run_at` on and setting a lease, under `FOR UPDATE SKIP
 * LOCKED`, so two instances never claim the same period and never wait for each other. A job
 * still running (lease not over) is not started again; a job that throws is logged and runs
 * again at its next period. Jobs should be idempotent (a process that dies mid-run leaves the
 * work for the next period), which the ones here are by construction (unique keys, conditional
 * updates).
 *
 * With SCHEDULER=false the instance runs no timer: tests call `tick()` (one poll, as the timer
 * would do it) or `run(name)` (the job now, in this process, without coordination).
 */
@Injectable()
export class SchedulerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SchedulerService.name);
  private readonly jobs = new Map<string, Job>();
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<string[]> | undefined;
  private readonly running = new Set<Promise<void>>();
  private started = false;
  private only: Set<string> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: ScheduledJobsRepository,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  /** Registers a job that runs every `interval` (`'30s'`, `'1m'`, `'1h'`, `'1d'`, or seconds). */
  every(name: string, interval: string | number, handler: JobHandler): void {
    if (!NAME.test(name)) throw new Error(`scheduler: bad job name "${name}" (lowercase letters, digits, . _ -)`);
    if (this.jobs.has(name)) throw new Error(`scheduler: job "${name}" is registered twice`);
    if (this.started) throw new Error(`scheduler: register "${name}" before the app has started`);
    const intervalSeconds = typeof interval === 'number' ? interval : parseDurationSeconds(interval);
    if (intervalSeconds === undefined || !Number.isInteger(intervalSeconds) || intervalSeconds < 1) {
      throw new Error(`scheduler: bad interval "${interval}" for job "${name}"`);
    }
    this.jobs.set(name, { name, intervalSeconds, handler });
  }

  /**
   * Restricts this instance to the named jobs: the others stay registered elsewhere but are never
   * claimed here. For a test that runs an app beside other tests on the same database.
   */
  runOnly(names: string[]): void {
    this.only = new Set(names);
  }

  /** The names of the registered jobs. */
  get jobNames(): string[] {
    return [...this.jobs.keys()];
  }

  async onApplicationBootstrap(): Promise<void> {
    this.started = true;
    const jobs = [...this.jobs.values()];
    if (jobs.length > 0) {
      // A new job is due at once; an existing one keeps its schedule (its interval may change).
      await this.store.register(jobs);
    }
    if (this.config.scheduler) this.schedule(randomInt(0, 1000));
  }

  /** Before the database closes: no new poll, running jobs asked to stop and awaited. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.abort.abort();
    await this.ticking?.catch(() => undefined);
    await Promise.all([...this.running]);
  }

  /**
   * One poll: claims the due jobs (those no other instance has claimed for this period) and
   * runs them. Resolves with the names of the jobs this instance ran, when they have finished.
   */
  tick(): Promise<string[]> {
    if (!this.ticking) {
      this.ticking = this.claimAndRun().finally(() => (this.ticking = undefined));
    }
    return this.ticking;
  }

  /** Runs a job now in this process, whatever its schedule and without coordination (tests, tooling). */
  async run(name: string): Promise<void> {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`scheduler: no job "${name}"`);
    try {
      await this.track(job.handler({ name, signal: this.abort.signal }));
    } catch (error) {
      this.metrics?.jobRun(name, false);
      throw error;
    }
    this.metrics?.jobRun(name, true);
  }

  private schedule(delayMs: number): void {
    if (this.abort.signal.aborted) return;
    this.timer = setTimeout(() => {
      void this.tick()
        .catch((error: Error) => this.logger.warn(`scheduler poll failed: ${error.message}`))
        .finally(() => {
          const base = this.config.schedulerPollIntervalSeconds * 1000;
          this.schedule(base + randomInt(0, Math.max(1, Math.floor(base / 10))));
        });
    }, delayMs);
    this.timer.unref();
  }

  private async claimAndRun(): Promise<string[]> {
    const names = [...this.jobs.keys()].filter((name) => !this.only || this.only.has(name));
    if (names.length === 0 || this.abort.signal.aborted) return [];
    const claimed = await this.store.claimDue(names, LEASE_SECONDS);
    await Promise.all(claimed.map((name) => this.runClaimed(this.jobs.get(name)!)));
    return claimed;
  }

  private async runClaimed(job: Job): Promise<void> {
    let error: string | null = null;
    try {
      await this.track(job.handler({ name: job.name, signal: this.abort.signal }));
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      this.logger.error(`scheduled job ${job.name} failed: ${error}`);
    }
    this.metrics?.jobRun(job.name, error === null);
    try {
      await this.store.finish(job.name, error);
    } catch (e) {
      // The lease runs out by itself.
      this.logger.warn(`scheduler could not record the end of ${job.name}: ${(e as Error).message}`);
    }
  }

  private track(run: Promise<void>): Promise<void> {
    const tracked = run.finally(() => this.running.delete(tracked));
    this.running.add(tracked);
    return tracked;
  }
}
