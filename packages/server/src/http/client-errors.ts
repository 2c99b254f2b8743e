/**
 * Failures before a route runs, in Daily's `{error, info}` shape: URLs Fastify cannot route (bad
 * percent-encoding, a path segment over the limit) and requests Node's HTTP parser refuses (malformed,
 * headers over 16 KiB, too slow). Nothing of the request is echoed: a URL may hold a token.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Metrics } from '../metrics/registry.js';

/** Longest path segment routed (a token is at most 8 KiB; room names 128 characters). */
export const MAX_PARAM_LENGTH = 9000;

/** Fastify's `frameworkErrors` option. */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const [status, info] =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? [414, `a path segment is longer than ${MAX_PARAM_LENGTH} characters; meeting tokens are at most 8 KiB`]
      : [
          400,
          'the URL is not valid: percent signs must start an escape such as %20; encode path segments with encodeURIComponent',
        ];
  reply.code(status).type('application/json; charset=utf-8').send({ error: 'invalid-request-error', info });
}

/** Node's `clientError` codes → status, reason (a metric label) and what to tell the client. */
function describe(err: NodeJS.ErrnoException): [number, string, string] {
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return [408, 'timeout', 'the request was not received in full in time; send the headers and body without pausing'];
  }
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    return [431, 'header_overflow', 'the request headers are larger than 16 KiB; send a shorter request'];
  }
  const code = typeof err.code === 'string' && /^HPE_[A-Z_]{1,40}$/.test(err.code) ? ` (${err.code})` : '';
  return [400, 'malformed', `the request is not valid HTTP/1.1${code}`];
}

/**
 * Fastify's `clientErrorHandler`: answers in Daily's shape where the socket can still take a reply (and no
 * reply was begun on it), then closes the connection.
 */
export function clientErrorHandler(metrics: Metrics) {
  return (err: NodeJS.ErrnoException, socket: Socket): void => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const [status, reason, info] = describe(err);
    metrics.inc('daily_tokens_client_errors_total', { reason });
    const pending = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !pending?.headersSent) {
      const body = JSON.stringify({ error: 'invalid-request-error', info });
      socket.write(
        `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}
