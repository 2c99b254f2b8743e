/**
 * What a rate limiter is: a sliding-window log per subject and window set, deciding a request (record it, or
 * refuse it with a 429 saying when to retry). A request is accepted only if, for every window, fewer than
 * `max` requests were accepted in the last `windowSeconds`; only accepted requests are recorded. So "100 per
 * 5 s" holds over any 5 s, not per fixed slot (a fixed window lets 2×max through across a boundary), and a
 * refused request costs no budget. The same algorithm runs in memory (`memory.ts`, one process) and in Redis
 * (`redis.ts`, one Lua script, atomic across replicas), so one node and ten replicas give the same answers.
 */
import type { RateLimitWindow } from '../config.js';
import { ApiError } from '../errors.js';

export interface RateLimiter {
  /**
   * Records one request of `subject` under `windows`, or throws a 429 ApiError (with Retry-After) when any
   * window is full. Counters are per subject and window set, so routes with different windows (tiers)
   * never share a budget.
   */
  check(subject: string, windows: readonly RateLimitWindow[], nowMs?: number): Promise<void>;
  /**
   * The same decision without a promise, for limiters that decide in this process (the in-memory one); absent
   * on those that must ask elsewhere (Redis). The request path uses it when it is there.
   */
  checkSync?(subject: string, windows: readonly RateLimitWindow[], nowMs?: number): void;
  /**
   * Records one request from a permit this process already holds (the Redis limiter's leases), and says so;
   * false when it holds none, and then nothing is recorded: call `check`. Lets the request path skip a
   * promise per request. Absent where there are no leases.
   */
  tryTake?(subject: string, windows: readonly RateLimitWindow[]): boolean;
  /**
   * How long until `subject` has room under `windows` (ms), recording nothing: 0 when a check now would be
   * accepted. The failed-login throttle asks this before it compares a secret.
   */
  peek(subject: string, windows: readonly RateLimitWindow[], nowMs?: number): Promise<number>;
  /** Forgets every counter (`POST /admin/reset`), so a test suite starts with full budgets. */
  reset(): Promise<void>;
}

/** Which window refused and how long until it has room (ms); `undefined` when accepted. */
export interface Refusal {
  window: RateLimitWindow;
  waitMs: number;
}

/** The 429 of a refusal, its Retry-After in whole seconds (at least 1). */
export function tooMany(refusal: Refusal): ApiError {
  const { window, waitMs } = refusal;
  const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
  return new ApiError(
    429,
    'rate-limit-error',
    `rate limit of ${window.max} requests per ${window.windowSeconds} s exceeded; retry after ${retryAfter} s`,
    { 'retry-after': String(retryAfter) },
  );
}

/** Subjects a limiter keeps at most; past it the least recently started go first (only under a flood of subjects). */
export const MAX_SUBJECTS = 100_000;
