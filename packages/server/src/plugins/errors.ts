/**
 * Turns every failure into Daily's `{error, info}` JSON: API errors as they are, body-parsing
 * problems as json-parsing-error, store outages as 503 server-error with Retry-After, anything
 * unexpected as a 500 without internals. Also owns body parsing, so an empty JSON body is fine.
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { ApiError, isStoreOutage, OUTAGE_RETRY_AFTER } from '../errors.js';
import { maskUrl } from '../logging/redact.js';

/** Largest request body accepted (Daily's own bodies are a few KB). */
export const BODY_LIMIT = 64 * 1024;
/** Deepest nesting of arrays and objects accepted; Daily's deepest properties nest 4 levels. */
export const MAX_JSON_DEPTH = 32;

/** Whether `text` holds more than `max` `{` and `[` characters (inside strings too: an upper bound of the depth). */
function bracketsOver(text: string, max: number): boolean {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c === 123 || c === 91) && ++n > max) return true;
  }
  return false;
}

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

/**
 * A request body as the service reads it: empty (or blank) is no body, anything else must be JSON, not null,
 * nested at most MAX_JSON_DEPTH deep; a 400 ApiError in Daily's shape otherwise. Both paths of a request (the
 * Fastify parser and the hot routes) read bodies with this.
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApiError(
      400,
      'json-parsing-error',
      'the request body is not valid JSON; send a JSON object such as {"properties": {"room_name": "my-room"}}',
    );
  }
  // `?? {}` in the routes would read a literal null as no body at all (and mint an all-rooms token)
  if (parsed === null)
    throw new ApiError(400, 'invalid-request-error', 'the body is JSON null; send a JSON object, or no body');
  // deeper values would overflow the stack later (JSON.stringify when storing a room: a 500); a text with
  // fewer opening brackets than that cannot nest so deep, which spares walking the usual small bodies
  if (bracketsOver(text, MAX_JSON_DEPTH) && jsonDepthOver(parsed, MAX_JSON_DEPTH)) {
    throw new ApiError(
      400,
      'invalid-request-error',
      `the request body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep; flatten it`,
    );
  }
  return parsed;
}

/** The reply to a failure: status, extra headers and the `{error, info}` body. */
export interface ErrorReply {
  status: number;
  headers: Record<string, string>;
  body: { error: string; info: string };
}

/**
 * Any error as the reply Daily would send: API errors as they are, store outages as 503 with Retry-After
 * (calling `onOutage`), Fastify's body errors as 400/413, anything unexpected as a 500 without internals
 * (logged). Fastify's error handler and the hot routes both answer with this.
 */
export function errorReply(error: unknown, log: FastifyBaseLogger, onOutage: () => void): ErrorReply {
  if (error instanceof ApiError)
    return { status: error.status, headers: error.headers, body: { error: error.type, info: error.info } };
  if (isStoreOutage(error)) {
    onOutage();
    log.warn(
      { err: { message: (error as Error).message, code: (error as { code?: string }).code } },
      'store unavailable',
    );
    return {
      status: 503,
      headers: { 'retry-after': String(OUTAGE_RETRY_AFTER) },
      body: { error: 'server-error', info: `the token store is unavailable; retry in ${OUTAGE_RETRY_AFTER} seconds` },
    };
  }
  const e = error as { statusCode?: number; code?: string; message: string };
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return {
      status: 413,
      headers: {},
      body: { error: 'invalid-request-error', info: `the request body is larger than ${BODY_LIMIT} bytes` },
    };
  }
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || e.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') {
    return {
      status: 400,
      headers: {},
      body: { error: 'invalid-request-error', info: 'send the body as JSON with Content-Type: application/json' },
    };
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return { status: e.statusCode, headers: {}, body: { error: 'invalid-request-error', info: e.message } };
  }
  log.error({ err: error }, 'unexpected error');
  return {
    status: 500,
    headers: {},
    body: { error: 'server-error', info: 'unexpected server error; it has been logged' },
  };
}

export function errorsPlugin(app: FastifyInstance, onOutage: () => void): void {
  app.removeAllContentTypeParsers();
  // Any content type is read as JSON: curl -d without -H sends form encoding, yet means JSON.
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(typeof body === 'string' ? body : body.toString('utf8')));
    } catch (e) {
      done(e as Error, undefined);
    }
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({
      error: 'not-found',
      info: `no endpoint ${request.method} ${maskUrl(request.url.split('?')[0] ?? '').slice(0, 100)}; see /openapi.json`,
    });
  });

  app.setErrorHandler((error, request, reply) => {
    const r = errorReply(error, request.log, onOutage);
    return reply.code(r.status).headers(r.headers).send(r.body);
  });
}
