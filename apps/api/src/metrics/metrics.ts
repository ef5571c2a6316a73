import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** How a request authenticated: never who (no user, token id or address is ever a label). */
export type CredentialKind = 'session' | 'api_token' | 'minted_token' | 'none' | 'other';

/** Latency buckets in seconds: the API answers most requests in a few milliseconds. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** What a scrape reads on the spot (pool sizes, outbox depth): registered by the features that own them. */
export type GaugeSource = () => Promise<void> | void;

/**
 * The application's Prometheus metrics (prom-client), in a registry of its own per app (tests
 * run several apps in one process). Counting costs a Map lookup and an increment: nothing on a
 * request's path reads the database or waits. Served by MetricsServer on METRICS_PORT only.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  private readonly requestDuration = new Histogram({
    name: 'conduit_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status: latency (and, by its _count, the request rate)',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  private readonly authentications = new Counter({
    name: 'conduit_authentications_total',
    help: 'Authentications by credential kind and outcome: "success" or the refusal reason',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly throttleRejections = new Counter({
    name: 'conduit_throttle_rejections_total',
    help: 'Requests refused with 429 by a limit kept per address (failed authentications, leak reports, …), by route template',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });

  readonly dbQueryErrors = new Counter({
    name: 'conduit_db_query_errors_total',
    help: 'Database queries that failed (including those that could not reach the database)',
    registers: [this.registry],
  });

  private readonly jobRuns = new Counter({
    name: 'conduit_scheduler_job_runs_total',
    help: 'Scheduled job runs by job and outcome (success, failure)',
    labelNames: ['job', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly mailSendFailures = new Counter({
    name: 'conduit_mail_send_failures_total',
    help: 'Emails whose sending failed (each failed attempt; given_up: no further attempt)',
    labelNames: ['given_up'] as const,
    registers: [this.registry],
  });

  /** Children by label values, so that the per-request path does no label hashing. */
  private readonly requestChildren = new Map<string, Histogram.Internal<'method' | 'route' | 'status'>>();
  private readonly authChildren = new Map<string, Counter.Internal>();
  private readonly sources: GaugeSource[] = [];

  constructor() {
    // Process metrics: CPU, memory, GC, handles and the event-loop lag (nodejs_eventloop_lag_*).
    collectDefaultMetrics({ register: this.registry });
  }

  /** One answered request; `route` is the route template (`/api/articles/:slug`), never the URL. */
  request(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route} ${status}`;
    let child = this.requestChildren.get(key);
    if (!child) {
      child = this.requestDuration.labels(method, route, String(status));
      this.requestChildren.set(key, child);
    }
    child.observe(seconds);
    if (status === 429) this.throttleRejections.labels(route).inc();
  }

  authentication(kind: CredentialKind, outcome: string): void {
    const key = `${kind} ${outcome}`;
    let child = this.authChildren.get(key);
    if (!child) {
      child = this.authentications.labels(kind, outcome);
      this.authChildren.set(key, child);
    }
    child.inc();
  }

  jobRun(job: string, ok: boolean): void {
    this.jobRuns.labels(job, ok ? 'success' : 'failure').inc();
  }

  /** A gauge whose value is read when Prometheus scrapes (never on a request). */
  gauge<L extends string>(options: { name: string; help: string; labelNames?: readonly L[]; collect: (gauge: Gauge<L>) => Promise<void> | void }): Gauge<L> {
    const { collect, ...rest } = options;
    return new Gauge<L>({
      ...rest,
      registers: [this.registry],
      async collect() {
        await collect(this);
      },
    });
  }

  /** The text exposition format. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
