import * as http from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { ErrorResponse } from '@conduit/contracts';
import { fallbackBody } from './http-exception.filter';

/**
 * Requests that never reach a route still answer in the one error format, with the status they
 * would have had: what Node's HTTP parser refuses, a missing Host, and whatever a plugin answers
 * in plain text (e.g. @fastify/cors for an OPTIONS request that is not a preflight).
 */

function errorFor(code: string | undefined): [number, ErrorResponse] {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return [431, { errors: { headers: ['are too large'] } }];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'ERR_HTTP_HEADERS_TIMEOUT' as string:
      return [408, { errors: { request: ['took too long to arrive'] } }];
    case 'HPE_INVALID_METHOD':
      return [400, { errors: { method: ['is not a valid HTTP method'] } }];
    case 'HPE_INVALID_URL':
      return [400, { errors: { url: ['is not a valid URL'] } }];
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_INVALID_TRANSFER_ENCODING':
      return [400, { errors: { headers: ['give the body length inconsistently (Content-Length and Transfer-Encoding)'] } }];
    case 'HPE_INVALID_HEADER_TOKEN':
    case 'HPE_INVALID_HEADER_VALUE' as string:
    case 'HPE_LF_EXPECTED':
    case 'HPE_CR_EXPECTED' as string:
      return [400, { errors: { headers: ['are malformed'] } }];
    default:
      return [400, { errors: { request: ['is not valid HTTP'] } }];
  }
}

/** Fastify's `clientErrorHandler`: Node's HTTP parser refused the request (there is no route, no reply). */
export function clientErrorHandler(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, body] = errorFor(error.code);
  this.log.debug({ code: error.code }, 'refused by the HTTP parser');
  if (socket.writable) {
    const text = JSON.stringify(body);
    socket.write(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy(error);
}

/** Registers the hooks: Host required on HTTP/1.1, and no plain-text error bodies. */
export function answerProtocolErrorsInFormat(fastify: FastifyInstance): void {
  // Node's own check (`requireHostHeader`) answers an empty 400; this one names the header.
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.headers.host === undefined && request.raw.httpVersionMinor === 1 && request.raw.httpVersionMajor === 1) {
      void reply.status(400).header('connection', 'close').send({ errors: { host: ['header is required'] } } satisfies ErrorResponse);
      return;
    }
    done();
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (reply.statusCode < 400 || isJson(reply.getHeader('content-type'))) return done(null, payload);
    const body =
      request.method === 'OPTIONS' && reply.statusCode === 400
        ? { errors: { request: ['is not a CORS preflight (Origin and Access-Control-Request-Method are required)'] } }
        : fallbackBody(reply.statusCode, payload);
    reply.header('content-type', 'application/json; charset=utf-8');
    reply.removeHeader('content-length');
    done(null, JSON.stringify(body));
  });
}

function isJson(type: unknown): boolean {
  return typeof type === 'string' && type.startsWith('application/json');
}
