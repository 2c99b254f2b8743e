/**
 * Daily's error vocabulary, once: every failure of its REST API is `{ "error": <type>, "info": <text> }`.
 * A module of its own, so the endpoint and the token service share it without loading the REST client.
 */

/**
 * The `error` values Daily's REST API sends (its docs and replies); Daily may add more.
 *
 * @example
 * ```ts
 * import { DAILY_ERROR_TYPES } from 'daily-tokens/rest';
 * DAILY_ERROR_TYPES.includes('rate-limit-error'); // true
 * ```
 */
export const DAILY_ERROR_TYPES = [
  'authentication-error',
  'authorization-header-error',
  'forbidden-error',
  'json-parsing-error',
  'invalid-request-error',
  'rate-limit-error',
  'server-error',
  'not-found',
] as const;

/** One of {@link DAILY_ERROR_TYPES}. */
export type DailyErrorType = (typeof DAILY_ERROR_TYPES)[number];
