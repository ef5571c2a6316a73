import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Pool, QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Metrics } from '../metrics/metrics';

/**
 * Named prepared statements on the pg pool that TypeORM already holds. PostgreSQL plans a named
 * statement once per connection, where TypeORM's unnamed statements are planned on every call:
 * for queries on every request (authentication) that planning is most of the cost.
 *
 * Through a transaction-mode pooler (PgBouncer before 1.21, or max_prepared_statements = 0) a
 * named statement prepared on one server connection is missing, or already exists, on the next:
 * with DATABASE_PREPARED_STATEMENTS off the same queries are sent unnamed (parse, bind and execute
 * in one round trip, planned on each call).
 */
@Injectable()
export class PgStatements {
  private readonly named: boolean;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    @Optional() private readonly metrics?: Metrics,
  ) {
    this.named = config.databasePreparedStatements;
  }

  private get pool(): Pool {
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }

  async query<R extends QueryResultRow>(name: string, text: string, values: unknown[]): Promise<R[]> {
    try {
      const result = await this.pool.query<R>(this.named ? { name, text, values } : { text, values });
      return result.rows;
    } catch (error) {
      this.metrics?.dbQueryErrors.inc();
      throw error;
    }
  }
}
