import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { ShutdownState } from '../health/shutdown-state';
import { SchedulerService } from '../scheduler/scheduler.service';

/** In-flight requests still running this long after the listener closed are cut. */
const DRAIN_TIMEOUT_MS = 30_000;

/**
 * Graceful shutdown, as orchestrators and load balancers expect it (main.ts calls it on SIGTERM):
 *  1. readiness (/api/health/ready, /api/health) answers 503 at once; everything else is still
 *     served for `graceSeconds`, while load balancers notice and stop sending requests;
 *  2. the listener closes (no new connections), idle keep-alive connections are closed, and
 *     requests still in flight are finished and answered with `Connection: close`;
 *  3. the scheduler stops (running jobs are asked to stop and awaited);
 *  4. app.close(): the batched writers (last use, security events, throttle counters) are
 *     flushed, then the database pool closes.
 */
export async function gracefulClose(app: NestFastifyApplication, graceSeconds: number): Promise<void> {
  const state = app.get(ShutdownState);
  state.begin();
  if (graceSeconds > 0) await new Promise((resolve) => setTimeout(resolve, graceSeconds * 1000));

  state.closeListener();
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  const drainTimer = setTimeout(() => fastify.server.closeAllConnections(), DRAIN_TIMEOUT_MS);
  try {
    await fastify.close();
  } finally {
    clearTimeout(drainTimer);
  }
  await app.get(SchedulerService).beforeApplicationShutdown();
  await app.close();
}

/** Responses sent once the listener is closing tell the client not to reuse the connection. */
export function closeConnectionsWhenDraining(fastify: FastifyInstance, state: ShutdownState): void {
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (state.listenerClosing && !reply.sent) reply.header('Connection', 'close');
    done(null, payload);
  });
}
