/** Errors of Daily's REST API, as `{ error, info }` bodies, plus the client's own transport failures. */
import type { DailyErrorType } from './error-types.js';

/** The client's own failures, when no usable answer came. */
type TransportFailure = 'timeout' | 'network-error' | 'invalid-response';
/** Daily's type, the client's own, or a type Daily adds later (kept as sent). */
type ErrorType = DailyErrorType | TransportFailure | (string & {});

/**
 * A failed call to Daily's REST API (or a compatible service).
 *
 * `type` is Daily's stable `error` string (`authentication-error`, `invalid-request-error`,
 * `rate-limit-error`, `not-found` …) or, when no answer came, `timeout` / `network-error` /
 * `invalid-response`. `info` is Daily's human text; it may change.
 *
 * @example
 * ```ts
 * try { await client.validateMeetingToken(token) } catch (e) {
 *   if (e instanceof DailyApiError && e.status === 400) console.log(e.info)
 * }
 * ```
 */
export class DailyApiError extends Error {
  override name = 'DailyApiError';
  /** HTTP status, or 0 when no response arrived. */
  readonly status: number;
  readonly type: ErrorType;
  readonly info: string;

  constructor(status: number, type: ErrorType, info: string) {
    super(`${status ? `HTTP ${status} ` : ''}${type}: ${info}`);
    this.status = status;
    this.type = type;
    this.info = info;
  }
}
