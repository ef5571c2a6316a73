import type { FastifyReply, FastifyRequest } from 'fastify';

/** How long an oversized body may keep arriving after its 413, so that the client reads the answer. */
export const OVERSIZED_BODY_LINGER_MS = 5000;

/**
 * After a 413 for a body that is still arriving, keep reading (and discarding) it for a few
 * seconds instead of closing at once: closing a socket with unread data resets the connection,
 * and the client, still sending, loses the 413 it was sent.
 */
export function lingerForOversizedBody(request: FastifyRequest, reply: FastifyReply): void {
  const raw = request.raw;
  if (raw.complete) return;
  // Without "Connection: close" Node drains the rest of the body once the reply is sent.
  reply.removeHeader('connection');
  const timer = setTimeout(() => raw.socket?.destroy(), OVERSIZED_BODY_LINGER_MS);
  timer.unref();
  raw.once('end', () => clearTimeout(timer));
  raw.once('close', () => clearTimeout(timer));
}

