import { Global, Module } from '@nestjs/common';
import { DatabaseMetrics } from './database-metrics';
import { Metrics } from './metrics';
import { MetricsServer } from './metrics.server';

/** Prometheus metrics: counted where things happen, served on METRICS_PORT (see MetricsServer). */
@Global()
@Module({
  providers: [Metrics, MetricsServer, DatabaseMetrics],
  exports: [Metrics, MetricsServer],
})
export class MetricsModule {}
