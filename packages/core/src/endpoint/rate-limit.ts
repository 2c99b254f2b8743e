/** A per-user rate limit kept in memory: a token bucket per key, with a bounded number of keys. */
import { parseDuration } from '../util/duration.js';
import { isPlainObject } from '../util/object.js';
import { assertKnownOptions, optionNames } from '../util/options.js';
import type { RateLimitVerdict, TokenRequestContext } from './types.js';

export interface MemoryRateLimitOptions<Req, Session> {
  /** Requests allowed per `window` (the bucket size: a burst of this many is allowed at once). */
  limit: number;
  /** The window, e.g. `'1m'` or 60. */
  window: number | string;
  /** Whose budget a call spends: usually the user id from the session. */
  key: (request: Req, context: TokenRequestContext<Session>) => string;
  /** Most keys remembered; the least recently seen are forgotten first. Default 10,000. */
  maxKeys?: number;
  /** The clock, in milliseconds (for tests). Default `Date.now`. */
  now?: () => number;
}

const RATE_LIMIT_OPTIONS = optionNames<MemoryRateLimitOptions<unknown, unknown>>()([
  'limit',
  'window',
  'key',
  'maxKeys',
  'now',
]);

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Makes a `rateLimit` hook that allows each key `limit` calls per `window`, refilling smoothly. State
 * lives in this process: behind several replicas, use a shared store (Redis) with the same hook shape.
 *
 * @example
 * ```ts
 * createTokenEndpoint({ ..., rateLimit: memoryRateLimit({ limit: 10, window: '1m', key: (_, { session }) => session.userId }) });
 * ```
 */
export function memoryRateLimit<Req, Session>(
  options: MemoryRateLimitOptions<Req, Session>,
): (request: Req, context: TokenRequestContext<Session>) => RateLimitVerdict {
  if (!isPlainObject(options)) throw new TypeError('memoryRateLimit needs options { limit, window, key }');
  assertKnownOptions(options, RATE_LIMIT_OPTIONS, 'memoryRateLimit');
  const { limit, key } = options;
  if (!Number.isInteger(limit) || limit < 1) throw new TypeError('limit must be a whole number of calls, at least 1');
  const windowSeconds = parseDuration(options.window, 'window');
  if (windowSeconds === 0) throw new TypeError('window must be more than 0');
  if (typeof key !== 'function') throw new TypeError('key must be a function (request, { session, room }) => string');
  const maxKeys = options.maxKeys ?? 10_000;
  if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new TypeError('maxKeys must be a whole number, at least 1');
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw new TypeError('now must be a function returning milliseconds');

  const perMs = limit / (windowSeconds * 1000);
  const buckets = new Map<string, Bucket>();
  return (request, context) => {
    const id = key(request, context);
    if (typeof id !== 'string') throw new TypeError('the rate limit key must be a string');
    const t = now();
    let bucket = buckets.get(id);
    if (bucket === undefined) {
      bucket = { tokens: limit, at: t };
      if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value as string);
    } else {
      bucket.tokens = Math.min(limit, bucket.tokens + (t - bucket.at) * perMs);
      bucket.at = t;
      // Re-inserting keeps the Map in least-recently-seen order, so eviction drops the idlest key.
      buckets.delete(id);
    }
    buckets.set(id, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return true;
    }
    return { allowed: false, retryAfter: Math.ceil((1 - bucket.tokens) / perMs / 1000) };
  };
}
