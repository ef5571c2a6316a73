import type { FastifyInstance } from 'fastify';
import type { Metrics } from './metrics';

/** Every answered request, by route template (`unmatched` when no route matched) and status: no URL, user or address. */
export function recordRequests(fastify: FastifyInstance, metrics: Metrics): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.request(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
