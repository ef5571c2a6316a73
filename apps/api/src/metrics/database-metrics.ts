import { Injectable, OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { Metrics } from './metrics';

/**
 * The database pool (total, idle and waiting clients, read from the pool TypeORM holds when
 * Prometheus scrapes) and failed queries (TypeORM's, counted by a query subscriber; the named
 * statements count theirs in PgStatements).
 */
@Injectable()
export class DatabaseMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    const pool = () => (this.dataSource.driver as unknown as { master?: Pool }).master;
    this.metrics.gauge({
      name: 'conduit_db_pool_connections',
      help: 'Database pool clients: total (open), idle, and waiting (requests queued for a client)',
      labelNames: ['state'] as const,
      collect: (gauge) => {
        const p = pool();
        gauge.set({ state: 'total' }, p?.totalCount ?? 0);
        gauge.set({ state: 'idle' }, p?.idleCount ?? 0);
        gauge.set({ state: 'waiting' }, p?.waitingCount ?? 0);
      },
    });
    const errors = this.metrics.dbQueryErrors;
    this.dataSource.subscribers.push({
      afterQuery(event: { success: boolean }) {
        if (!event.success) errors.inc();
      },
    });
  }
}
