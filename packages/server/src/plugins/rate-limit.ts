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
  /** count and the end of its window (ms), per subject, window and slot */
  const counters = new Map<string, { n: number; until: number }>();
  let sweepAt = 0;
  return {
    async check(subject, nowMs = Date.now()) {
      if (nowMs > sweepAt) {
        // drop finished windows only, so a sweep never hands out a fresh budget mid-window
        for (const [key, c] of counters) if (c.until <= nowMs) counters.delete(key);
        sweepAt = nowMs + 10_000;
      }
      for (const w of windows) {
        const ms = w.windowSeconds * 1000;
        const slot = Math.floor(nowMs / ms);
        const key = `${subject}:${w.windowSeconds}:${slot}`;
        const c = counters.get(key) ?? { n: 0, until: (slot + 1) * ms };
        c.n += 1;
        counters.set(key, c);
        if (c.n > w.max) throw tooMany(w, Math.max(1, Math.ceil((c.until - nowMs) / 1000)));
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
