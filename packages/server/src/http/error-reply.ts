/** Any failure as the `{error, info}` reply Daily would send; both front ends answer failures with this. */
import type { FastifyBaseLogger } from 'fastify';
import { ApiError, isStoreOutage, OUTAGE_RETRY_AFTER } from '../errors.js';
import { BODY_LIMIT } from './body.js';

/** The reply to a failure: status, extra headers and the `{error, info}` body. */
export interface ErrorReply {
  status: number;
  headers: Record<string, string>;
  body: { error: string; info: string };
}

/**
 * Any error as the reply Daily would send: API errors as they are, store outages as 503 with Retry-After
 * (calling `onOutage`), Fastify's body errors as 400/413, anything unexpected as a 500 without internals
 * (logged). The errors plugin and the fast path both answer with this.
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
