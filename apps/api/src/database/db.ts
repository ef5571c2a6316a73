import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { isRetryableTransactionFailure } from './pg-errors';

/** What a repository runs statements on: the pool, or one transaction's connection. */
export interface Queryable {
  /**
   * Runs one statement. `name`: a named prepared statement, planned once per connection rather
   * than on every call (for statements on a per-request path, where planning is most of the cost).
   */
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: readonly unknown[], name?: string): Promise<R[]>;
}

/** How many times a transaction runs when PostgreSQL picks it as a deadlock (or serialization) victim. */
const TRANSACTION_ATTEMPTS = 3;

/**
 * The one way repositories reach PostgreSQL: raw SQL on the pg pool that TypeORM already holds
 * (TypeORM keeps the connection, the migrations and the few entities read through it).
 *
 * Statement names are dropped in this one place with DATABASE_PREPARED_STATEMENTS off: a pooler in
 * transaction mode (PgBouncer before 1.21) hands each statement to any server connection, where a
 * statement prepared on another one does not exist.
 */
@Injectable()
export class Db implements Queryable {
  private readonly named: boolean;
  private readonly failureObservers: Array<(error: unknown) => void> = [];

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.named = config.databasePreparedStatements;
  }

  private get pool(): Pool {
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }

  async query<R extends QueryResultRow = QueryResultRow>(text: string, values: readonly unknown[] = [], name?: string): Promise<R[]> {
    try {
      return (await this.pool.query<R>(this.statement(text, values, name))).rows;
    } catch (error) {
      this.failed(error);
      throw error;
    }
  }

  /** Tells `observer` of every statement that fails (e.g. a metric): it must not throw. */
  onFailure(observer: (error: unknown) => void): void {
    this.failureObservers.push(observer);
  }

  private failed(error: unknown): void {
    for (const observer of this.failureObservers) observer(error);
  }

  /**
   * Runs `work` in a transaction (READ COMMITTED) on one connection, again (up to 3 times in all)
   * when PostgreSQL rolled it back to break a deadlock or a serialization conflict: `work` must
   * not have effects outside the database.
   */
  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.transactionOnce(work);
      } catch (error) {
        if (attempt >= TRANSACTION_ATTEMPTS || !isRetryableTransactionFailure(error)) throw error;
      }
    }
  }

  private async transactionOnce<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client: PoolClient = await this.pool.connect();
    const tx: Queryable = {
      query: async <R extends QueryResultRow>(text: string, values: readonly unknown[] = [], name?: string) =>
        (await client.query<R>(this.statement(text, values, name))).rows,
    };
    let broken: unknown;
    try {
      await client.query('BEGIN');
      const result = await work(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      this.failed(error);
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        broken = rollbackError; // the connection is unusable: the pool must drop it
      });
      throw error;
    } finally {
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  private statement(text: string, values: readonly unknown[], name: string | undefined) {
    return this.named && name ? { name, text, values: values as unknown[] } : { text, values: values as unknown[] };
  }
}
