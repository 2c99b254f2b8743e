/** The Redis limiter with the in-memory one behind it, for when Redis does not answer. */
import { ApiError, OUTAGE_RETRY_AFTER } from '../errors.js';
import type { RateLimiter } from './limiter.js';

/**
 * `primary` (Redis) while it answers; `fallback` (in memory, per process) when it fails, so limits hold
 * (per replica) during a Redis outage instead of switching off.
 *
 * @example
 * ```ts
 * const limiter = withFallback(redisRateLimiter(link), memoryRateLimiter());
 * ```
 */
export function withFallback(
  primary: RateLimiter,
  fallback: RateLimiter,
  onFallback: () => void = () => {},
): RateLimiter {
  return {
    ...(primary.tryTake ? { tryTake: primary.tryTake.bind(primary) } : {}),
    async peek(subject, windows, nowMs) {
      try {
        return await primary.peek(subject, windows, nowMs);
      } catch (e) {
        if (e instanceof ApiError) throw e;
        onFallback();
        return fallback.peek(subject, windows, nowMs);
      }
    },
    async check(subject, windows, nowMs) {
      try {
        await primary.check(subject, windows, nowMs);
      } catch (e) {
        if (e instanceof ApiError) throw e;
        onFallback();
        await fallback.check(subject, windows, nowMs);
      }
    },
    async reset() {
      await fallback.reset();
      try {
        await primary.reset();
      } catch {
        throw new ApiError(
          503,
          'server-error',
          `Redis did not answer, so its rate-limit counters were not cleared; retry in ${OUTAGE_RETRY_AFTER} seconds`,
          { 'retry-after': String(OUTAGE_RETRY_AFTER) },
        );
      }
    },
  };
}
