/**
 * Per-API-key rate limits like Daily's (20/s and 100 per 5 s by default), as fixed windows.
 * In memory for one process; in Redis when configured, so the limits hold across replicas.
 */
import type { RateLimitWindow } from '../config.js';
import { ApiError } from '../errors.js';
import type { RedisLink } from '../cache/redis.js';

export interface RateLimiter {
  /** Throws a 429 ApiError when `subject` (a key's lookup hash) is over any window. */
  check(subject: string, nowMs?: number): Promise<void>;
}

function tooMany(window: RateLimitWindow, retryAfter: number): ApiError {
  return new ApiError(
    429,
    'rate-limit-error',
    `rate limit of ${window.max} requests per ${window.windowSeconds} s for this API key exceeded; retry after ${retryAfter} s`,
    { 'retry-after': String(retryAfter) },
  );
}

export function memoryRateLimiter(windows: RateLimitWindow[]): RateLimiter {
  const counters = new Map<string, number>();
  let sweepAt = 0;
  return {
    async check(subject, nowMs = Date.now()) {
      if (nowMs > sweepAt) {
        // windows are at most minutes long; dropping everything older than the current slots is enough
        counters.clear();
        sweepAt = nowMs + Math.max(...windows.map((w) => w.windowSeconds)) * 1000 * 10;
      }
      for (const w of windows) {
        const slot = Math.floor(nowMs / (w.windowSeconds * 1000));
        const key = `${subject}:${w.windowSeconds}:${slot}`;
        const n = (counters.get(key) ?? 0) + 1;
        counters.set(key, n);
        if (n > w.max) throw tooMany(w, Math.max(1, Math.ceil(((slot + 1) * w.windowSeconds * 1000 - nowMs) / 1000)));
      }
    },
  };
}

export function redisRateLimiter(
  windows: RateLimitWindow[],
  redis: RedisLink,
  onError: (e: Error) => void,
): RateLimiter {
  return {
    async check(subject, nowMs = Date.now()) {
      const multi = redis.client.multi();
      const slots = windows.map((w) => {
        const slot = Math.floor(nowMs / (w.windowSeconds * 1000));
        const key = `${redis.prefix}rl:${subject}:${w.windowSeconds}:${slot}`;
        multi.incr(key).pexpire(key, w.windowSeconds * 1000 + 1000);
        return slot;
      });
      let results: [Error | null, unknown][] | null;
      try {
        results = await multi.exec();
      } catch (e) {
        // Redis down: serve rather than refuse everyone; the outage is logged and visible in /readyz
        onError(e as Error);
        return;
      }
      windows.forEach((w, i) => {
        const n = Number(results?.[i * 2]?.[1] ?? 0);
        const slot = slots[i] ?? 0;
        if (n > w.max) throw tooMany(w, Math.max(1, Math.ceil(((slot + 1) * w.windowSeconds * 1000 - nowMs) / 1000)));
      });
    },
  };
}
