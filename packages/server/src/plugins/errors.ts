/**
 * Turns every failure into Daily's `{error, info}` JSON: API errors as they are, body-parsing
 * problems as json-parsing-error, store outages as 503 server-error with Retry-After, anything
 * unexpected as a 500 without internals. Also owns body parsing, so an empty JSON body is fine.
 */
import type { FastifyInstance } from 'fastify';
import { ApiError, isStoreOutage, OUTAGE_RETRY_AFTER } from '../errors.js';
import { maskUrl } from './logging.js';

/** Largest request body accepted (Daily's own bodies are a few KB). */
export const BODY_LIMIT = 64 * 1024;
/** Deepest nesting of arrays and objects accepted; Daily's deepest properties nest 4 levels. */
export const MAX_JSON_DEPTH = 32;

/** Nesting depth of a parsed JSON value, without recursion (a 64 KB body can nest 32,000 deep). */
export function jsonDepthOver(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

export function errorsPlugin(app: FastifyInstance, onOutage: () => void): void {
  app.removeAllContentTypeParsers();
  // Any content type is read as JSON: curl -d without -H sends form encoding, yet means JSON.
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      done(
        new ApiError(
          400,
          'json-parsing-error',
          'the request body is not valid JSON; send a JSON object such as {"properties": {"room_name": "my-room"}}',
        ),
        undefined,
      );
      return;
    }
    // `?? {}` in the routes would read a literal null as no body at all (and mint an all-rooms token)
    if (parsed === null) {
      done(
        new ApiError(400, 'invalid-request-error', 'the body is JSON null; send a JSON object, or no body'),
        undefined,
      );
      return;
    }
    // deeper values would overflow the stack later (JSON.stringify when storing a room: a 500)
    if (jsonDepthOver(parsed, MAX_JSON_DEPTH)) {
      done(
        new ApiError(
          400,
          'invalid-request-error',
          `the request body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep; flatten it`,
        ),
        undefined,
      );
      return;
    }
    done(null, parsed);
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({
      error: 'not-found',
      info: `no endpoint ${request.method} ${maskUrl(request.url.split('?')[0] ?? '').slice(0, 100)}; see /openapi.json`,
    });
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof ApiError) {
      return reply.code(error.status).headers(error.headers).send({ error: error.type, info: error.info });
    }
    if (isStoreOutage(error)) {
      onOutage();
      request.log.warn(
        { err: { message: (error as Error).message, code: (error as { code?: string }).code } },
        'store unavailable',
      );
      return reply
        .code(503)
        .header('retry-after', String(OUTAGE_RETRY_AFTER))
        .send({
          error: 'server-error',
          info: `the token store is unavailable; retry in ${OUTAGE_RETRY_AFTER} seconds`,
        });
    }
    const e = error as { statusCode?: number; code?: string; message: string };
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply
        .code(413)
        .send({ error: 'invalid-request-error', info: `the request body is larger than ${BODY_LIMIT} bytes` });
    }
    if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || e.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') {
      return reply
        .code(400)
        .send({ error: 'invalid-request-error', info: 'send the body as JSON with Content-Type: application/json' });
    }
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
      return reply.code(e.statusCode).send({ error: 'invalid-request-error', info: e.message });
    }
    request.log.error({ err: error }, 'unexpected error');
    return reply.code(500).send({ error: 'server-error', info: 'unexpected server error; it has been logged' });
  });
}
