import { Injectable, Optional } from '@nestjs/common';
import type { Pool, QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';
import { Metrics } from '../metrics/metrics';

/**
 * Named prepared statements on the pg pool that TypeORM already holds. PostgreSQL plans a named
 * statement once per connection, where TypeORM's unnamed statements are planned on every call:
 * for queries on every request (authentication) that planning is most of the cost.
 */
@Injectable()
export class PgStatements {
  constructor(
    private readonly dataSource: DataSource,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  private get pool(): Pool {
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }

  async query<R extends QueryResultRow>(name: string, text: string, values: unknown[]): Promise<R[]> {
    try {
      const result = await this.pool.query<R>({ name, text, values });
      return result.rows;
    } catch (error) {
      this.metrics?.dbQueryErrors.inc();
      throw error;
    }
  }
}
