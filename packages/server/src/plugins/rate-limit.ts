/**
 * Rate limits as sliding-window logs: a request is accepted only if, for every window, fewer than `max`
 * requests were accepted in the last `windowSeconds`; only accepted requests are recorded. So "100 per 5 s"
 * holds over any 5 s, not per fixed slot (a fixed window lets 2×max through across a boundary), and a
 * refused request costs no budget. The same algorithm runs in memory (one process) and in Redis (one Lua
 * script, atomic across replicas), so one node and ten replicas give the same answers.
 *
 * The log of a subject keeps at most the longest window's `max` timestamps, so memory is bounded.
 */
import { randomBytes } from 'node:crypto';
import type { RedisLink } from '../cache/redis.js';
import type { RateLimitWindow } from '../config.js';
import { ApiError, OUTAGE_RETRY_AFTER } from '../errors.js';

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
  /** Forgets every counter (`POST /admin/reset`), so a test suite starts with full budgets. */
  reset(): Promise<void>;
}

/** Which window refused and how long until it has room (ms); `undefined` when accepted. */
export interface Refusal {
  window: RateLimitWindow;
  waitMs: number;
}

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

/** A stable name of a window set, part of every counter's key. */
export function windowSetId(windows: readonly RateLimitWindow[]): string {
  return windows.map((w) => `${w.max}/${w.windowSeconds}`).join(',');
}

const longestMs = (windows: readonly RateLimitWindow[]) => Math.max(...windows.map((w) => w.windowSeconds * 1000));

/** What a window set means to the limiters, worked out once per set (the config's arrays live as long as the app). */
interface PreparedWindows {
  id: string;
  longest: number;
  /** max and window (ms) per window, the tail of the Redis script's arguments */
  args: number[];
}
const preparedWindows = new WeakMap<readonly RateLimitWindow[], PreparedWindows>();
function prepareWindows(windows: readonly RateLimitWindow[]): PreparedWindows {
  let p = preparedWindows.get(windows);
  if (!p) {
    p = {
      id: windowSetId(windows),
      longest: longestMs(windows),
      args: windows.flatMap((w) => [w.max, w.windowSeconds * 1000]),
    };
    preparedWindows.set(windows, p);
  }
  return p;
}

/** Index of the first timestamp in the sorted `log` (from index `lo` on) greater than `t`. */
function firstAfter(log: readonly number[], t: number, from = 0): number {
  let lo = from;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((log[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The decision on a sorted log of accepted timestamps, pruned to the longest window. The refusal with the
 * longest wait wins, so Retry-After is a time at which every window has room (absent other traffic).
 */
export function decide(
  log: readonly number[],
  windows: readonly RateLimitWindow[],
  now: number,
  from = 0,
): Refusal | undefined {
  let refusal: Refusal | undefined;
  for (const window of windows) {
    const ms = window.windowSeconds * 1000;
    const start = firstAfter(log, now - ms, from);
    const n = log.length - start;
    if (n < window.max) continue;
    // room appears when the (n - max + 1)-th oldest entry of the window leaves it
    const waitMs = (log[start + n - window.max] as number) + ms - now;
    if (!refusal || waitMs > refusal.waitMs) refusal = { window, waitMs };
  }
  return refusal;
}

/** Subjects kept at most; past it the least recently started logs go first (only under a flood of subjects). */
const MAX_SUBJECTS = 100_000;
const SWEEP_EVERY_MS = 10_000;

/**
 * In-process limiter.
 *
 * @example
 * ```ts
 * const limiter = memoryRateLimiter();
 * await limiter.check('key-id', [{ max: 20, windowSeconds: 1 }]); // throws a 429 ApiError when full
 * ```
 */
export function memoryRateLimiter(): RateLimiter {
  /**
   * Sorted accepted timestamps (ms) per window set and subject, from index `head` on (entries before it have
   * left the longest window: dropped in bulk, not shifted out one by one, as a busy key's log holds
   * thousands), and the longest window of the set.
   */
  const logs = new Map<string, { log: number[]; head: number; longest: number }>();
  let sweepAt = 0;
  const checkSync = (subject: string, windows: readonly RateLimitWindow[], nowMs = Date.now()): void => {
    if (windows.length === 0) return;
    const now = Math.floor(nowMs);
    if (now >= sweepAt || logs.size >= MAX_SUBJECTS) {
      for (const [key, entry] of logs) {
        const last = entry.log[entry.log.length - 1];
        if (last === undefined || last <= now - entry.longest) logs.delete(key);
      }
      for (const key of logs.keys()) {
        if (logs.size < MAX_SUBJECTS) break;
        logs.delete(key);
      }
      sweepAt = now + SWEEP_EVERY_MS;
    }
    const prepared = prepareWindows(windows);
    const key = `${prepared.id}\u0000${subject}`;
    let entry = logs.get(key);
    if (!entry) {
      entry = { log: [], head: 0, longest: prepared.longest };
      logs.set(key, entry);
    }
    const { log } = entry;
    entry.head = firstAfter(log, now - entry.longest, entry.head);
    // compact once the dropped part is most of the array: amortised O(1) per request
    if (entry.head > 64 && entry.head * 2 > log.length) {
      log.splice(0, entry.head);
      entry.head = 0;
    }
    const refusal = decide(log, windows, now, entry.head);
    if (refusal) throw tooMany(refusal);
    // an injected clock may step back; keep the log sorted
    if (log.length === entry.head || (log[log.length - 1] as number) <= now) log.push(now);
    else log.splice(firstAfter(log, now, entry.head), 0, now);
  };
  return {
    checkSync,
    async check(subject, windows, nowMs) {
      checkSync(subject, windows, nowMs);
    },
    async reset() {
      logs.clear();
    },
  };
}

/**
 * The same decision as `decide`, atomically in Redis on a sorted set per subject and window set.
 * KEYS[1] the log; ARGV: now (ms, or '' for Redis's own clock, so replicas with skewed clocks agree),
 * a unique member, the longest window (ms), then max and window (ms) per window.
 * Returns {0} when accepted, or {index of the refusing window (1-based), wait ms}.
 */
const SLIDING_LOG_LUA = `
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local longest = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - longest)
local refused, wait = 0, -1
for i = 4, #ARGV, 2 do
  local max, ms = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
  local from = '(' .. string.format('%d', now - ms)
  local n = redis.call('ZCOUNT', KEYS[1], from, '+inf')
  if n >= max then
    local e = redis.call('ZRANGEBYSCORE', KEYS[1], from, '+inf', 'WITHSCORES', 'LIMIT', n - max, 1)
    local w = tonumber(e[2]) + ms - now
    if w > wait then refused, wait = (i - 2) / 2, w end
  end
end
if refused > 0 then return {refused, wait} end
redis.call('ZADD', KEYS[1], now, string.format('%d', now) .. ':' .. ARGV[2])
redis.call('PEXPIRE', KEYS[1], longest)
return {0}
`;

type SlidingLogCommand = (key: string, ...args: (string | number)[]) => Promise<[number, number?]>;

/**
 * Limiter shared by every replica through Redis. Errors (Redis down, command timeout, circuit open) reject
 * the check's promise with that error, so the caller decides what an outage means (see `withFallback`).
 *
 * @example
 * ```ts
 * const limiter = redisRateLimiter(await connectRedis(url, 'daily-tokens:', () => {}));
 * await limiter.check('key-id', [{ max: 20, windowSeconds: 1 }]);
 * ```
 */
export function redisRateLimiter(redis: RedisLink): RateLimiter {
  const client = redis.client as typeof redis.client & { dailyTokensSlidingLog?: SlidingLogCommand };
  if (!client.dailyTokensSlidingLog) {
    // defineCommand sends EVALSHA and loads the script once when Redis does not know it yet
    client.defineCommand('dailyTokensSlidingLog', { numberOfKeys: 1, lua: SLIDING_LOG_LUA });
  }
  // members of the sorted set must be unique per request: this process's random prefix and a counter
  const member = randomBytes(6).toString('hex');
  let seq = 0;
  const run = client.dailyTokensSlidingLog as SlidingLogCommand;
  /**
   * Checks wait for the end of the event-loop turn and are written to Redis together (the socket corked: one
   * write for all the requests a turn read, not one each; under load that is what the service spends its
   * time on). Each check is still its own command, with its own timeout and answer.
   */
  type Pending = {
    key: string;
    args: (string | number)[];
    resolve: (r: [number, number?]) => void;
    reject: (e: unknown) => void;
  };
  let queue: Pending[] = [];
  const send = () => {
    const batch = queue;
    queue = [];
    const stream = (client as { stream?: { cork(): void; uncork(): void } }).stream;
    stream?.cork();
    // (through redis.run: a Redis known to be down is not asked, and a frozen one times out)
    for (const x of batch) redis.run((c) => run.call(c, x.key, ...x.args)).then(x.resolve, x.reject);
    stream?.uncork();
  };
  return {
    async check(subject, windows, nowMs) {
      if (windows.length === 0) return;
      const prepared = prepareWindows(windows);
      seq = (seq + 1) % Number.MAX_SAFE_INTEGER;
      const args: (string | number)[] = [
        nowMs === undefined ? '' : Math.floor(nowMs),
        `${member}${seq.toString(36)}`,
        prepared.longest,
        ...prepared.args,
      ];
      const key = `${redis.prefix}rl:${prepared.id}:${subject}`;
      const [refused, waitMs] = await new Promise<[number, number?]>((resolve, reject) => {
        queue.push({ key, args, resolve, reject });
        if (queue.length === 1) setImmediate(send);
      });
      const window = windows[refused - 1];
      if (refused > 0 && window) throw tooMany({ window, waitMs: Number(waitMs) });
    },
    async reset() {
      // only this service's counters (its prefix), found by SCAN, not KEYS (which blocks Redis)
      await redis.run(async (c) => {
        let cursor = '0';
        do {
          const [next, keys] = await c.scan(cursor, 'MATCH', `${redis.prefix}rl:*`, 'COUNT', 1000);
          cursor = next;
          if (keys.length > 0) await c.del(...keys);
        } while (cursor !== '0');
      });
    },
  };
}

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
