/** Daily's error vocabulary: every failure is `{ "error": <type>, "info": <what to do> }`. */

import type { DailyErrorType } from 'daily-tokens/rest';

/** The `error` values Daily's REST API uses: the core's list, re-exported for this package's users. */
export type { DailyErrorType };

/**
 * An error that becomes a Daily-style reply.
 *
 * @example
 * ```ts
 * throw new ApiError(404, 'not-found', 'room "standup" does not exist');
 * ```
 */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly type: DailyErrorType,
    readonly info: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(info);
  }
}

export const badRequest = (info: string) => new ApiError(400, 'invalid-request-error', info);

/** Seconds a client should wait after a store outage before retrying. */
export const OUTAGE_RETRY_AFTER = 2;

const OUTAGE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
  'SQLITE_FULL',
]);

/** True for errors that mean "the database is unreachable right now" rather than a bug. */
export function isStoreOutage(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && (OUTAGE_CODES.has(code) || /^(08|57P)/.test(code))) return true;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|driver has already been destroyed|database connection is not open/i.test(
    e.message,
  );
}
