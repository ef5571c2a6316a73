import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { NoDetail, SecurityEventDetails, SecurityEventType } from '@conduit/contracts';
import { Clock } from '../common/clock';
import { redactSecrets } from '../common/redaction';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Db } from '../database/db';
import type { SecurityEventRow } from './security-log.repository';

/** Where an action came from: the client address (the one client-IP helper) and user agent. */
export interface EventOrigin {
  ip: string | null;
  userAgent: string | null;
}

interface InputBase {
  userId: string;
  at?: Date;
  origin?: EventOrigin | null;
  token?: { id: string; name?: string; hint?: string } | null;
}

/**
 * What a feature reports: the detail its type carries (SecurityEventDetails, the contract), none
 * for the types that carry none. The token's name and hint are filled in from its row when omitted.
 */
export type SecurityEventInput = {
  [T in SecurityEventType]: InputBase & { type: T } & (SecurityEventDetails[T] extends NoDetail ? { detail?: NoDetail } : { detail: SecurityEventDetails[T] });
}[SecurityEventType];

interface RecordedBase {
  id: string;
  userId: string;
  createdAt: Date;
  ip: string | null;
  userAgent: string | null;
  tokenId: string | null;
  tokenName: string | null;
  tokenHint: string | null;
}

/** An event as written (with its id and the token snapshot), handed to subscribers. */
export type RecordedSecurityEvent = { [T in SecurityEventType]: RecordedBase & { type: T; detail: SecurityEventDetails[T] } }[SecurityEventType];

export type SecurityEventSubscriber = (events: RecordedSecurityEvent[]) => Promise<void> | void;

const USER_AGENT_MAX = 200;
const FLUSH_DELAY_MS = 500;
const BATCH_MAX = 500;
const BUFFER_MAX = 10_000;

// One statement for a whole batch. Order is kept (ids follow the order of record()), the token's
// name and hint are read from its row when the caller did not have them, and events of an
// account deleted in the meantime are dropped instead of failing the batch.
const INSERT_SQL = `
  INSERT INTO security_events (user_id, type, created_at, ip, user_agent, token_id, token_name, token_hint, detail)
  SELECT v.user_id, v.type, v.created_at, v.ip, v.user_agent, v.token_id,
         COALESCE(v.token_name, t.name), COALESCE(v.token_hint, t.hint), v.detail
    FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::uuid[], $7::text[], $8::text[], $9::jsonb[])
         WITH ORDINALITY AS v(user_id, type, created_at, ip, user_agent, token_id, token_name, token_hint, detail, n)
    JOIN users u ON u.id = v.user_id
    LEFT JOIN api_tokens t ON t.id = v.token_id
   ORDER BY v.n
  RETURNING id::text, user_id, type, created_at, ip, user_agent, token_id, token_name, token_hint, detail`;

interface Pending {
  userId: string;
  type: SecurityEventType;
  at: Date;
  ip: string | null;
  userAgent: string | null;
  tokenId: string | null;
  tokenName: string | null;
  tokenHint: string | null;
  detail: string;
}

/** A user agent fit for the log: control characters and credentials (redactSecrets) dropped, at most 200 characters. */
export function trimUserAgent(value: string | string[] | undefined | null): string | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return null;
  // A token pasted into a User-Agent is not kept (nor shown, nor mailed in an alert).
  // eslint-disable-next-line no-control-regex
  const clean = redactSecrets(raw.replace(/[\u0000-\u001f\u007f]/g, '')).trim();
  return clean ? clean.slice(0, USER_AGENT_MAX) : null;
}

/**
 * The one events service: every security event of an account goes through record(). Writes are
 * batched and asynchronous (like the last-used tracker): record() only queues, and a batch is
 * written shortly after with one statement, never on a request's critical path. Subscribers
 * (alerts) hear about each batch once it is written.
 */
@Injectable()
export class SecurityEvents implements OnModuleDestroy {
  private readonly logger = new Logger(SecurityEvents.name);
  private buffer: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private readonly subscribers: SecurityEventSubscriber[] = [];
  private readonly delivering = new Set<Promise<unknown>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  get enabled(): boolean {
    return this.config.securityLog;
  }

  record(event: SecurityEventInput): void {
    if (!this.config.securityLog) return;
    if (this.buffer.length >= BUFFER_MAX) {
      this.logger.warn(`security log buffer full; dropping a ${event.type} event`);
      return;
    }
    this.buffer.push({
      userId: event.userId,
      type: event.type,
      at: event.at ?? this.clock.now(),
      ip: event.origin?.ip ?? null,
      userAgent: trimUserAgent(event.origin?.userAgent),
      tokenId: event.token?.id ?? null,
      tokenName: event.token?.name ?? null,
      tokenHint: event.token?.hint ?? null,
      detail: JSON.stringify(event.detail ?? {}),
    });
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_DELAY_MS);
      this.timer.unref();
    }
  }

  subscribe(subscriber: SecurityEventSubscriber): void {
    this.subscribers.push(subscriber);
  }

  /** Writes everything queued so far; resolves once written and delivered to subscribers. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const run = this.writing.then(() => this.writeAll());
    this.writing = run.catch(() => undefined);
    await run;
    await Promise.all([...this.delivering]);
  }

  async onModuleDestroy(): Promise<void> {
    await this.flush();
  }

  private async writeAll(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, BATCH_MAX);
      let rows: RecordedSecurityEvent[];
      try {
        rows = (await this.db.query<DbRow>(INSERT_SQL, columns(batch), 'security_events_insert')).map(fromRow);
      } catch (error) {
        this.logger.warn(`could not write ${batch.length} security events: ${(error as Error).message}`);
        if (this.buffer.length + batch.length <= BUFFER_MAX) this.buffer.unshift(...batch);
        if (!this.timer) {
          this.timer = setTimeout(() => void this.flush(), FLUSH_DELAY_MS * 10);
          this.timer.unref();
        }
        return;
      }
      for (const subscriber of this.subscribers) {
        const delivery = Promise.resolve()
          .then(() => subscriber(rows))
          .catch((error: Error) => this.logger.warn(`security event subscriber failed: ${error.message}`))
          .finally(() => this.delivering.delete(delivery));
        this.delivering.add(delivery);
      }
    }
  }
}

/** A stored event as the log pages it, with its account (the insert returns both). */
interface DbRow extends SecurityEventRow {
  user_id: string;
}

function columns(batch: Pending[]): unknown[] {
  return [
    batch.map((e) => e.userId),
    batch.map((e) => e.type),
    batch.map((e) => e.at),
    batch.map((e) => e.ip),
    batch.map((e) => e.userAgent),
    batch.map((e) => e.tokenId),
    batch.map((e) => e.tokenName),
    batch.map((e) => e.tokenHint),
    batch.map((e) => e.detail),
  ];
}

function fromRow(r: DbRow): RecordedSecurityEvent {
  return {
    id: r.id,
    userId: r.user_id,
    type: r.type,
    createdAt: r.created_at,
    ip: r.ip,
    userAgent: r.user_agent,
    tokenId: r.token_id,
    tokenName: r.token_name,
    tokenHint: r.token_hint,
    detail: r.detail,
  } as RecordedSecurityEvent; // the detail written for this type
}
