/**
 * Rate limits as sliding-window logs: a request is accepted only if, for every window, fewer than `max`
 * requests were accepted in the last `windowSeconds`; only accepted requests are recorded. So "100 per 5 s"
 * holds over any 5 s, not per fixed slot (a fixed window lets 2×max through across a boundary), and a
 * refused request costs no budget. The same algorithm runs in memory (one process) and in Redis (one Lua
 * script, atomic across replicas), so one node and ten replicas give the same answers.
 *
 * In memory a subject keeps a count per millisecond of the longest window (see `Slots`), so memory is bounded by
 * the window, not by the budget. In Redis its log keeps at most the longest window's `max` timestamps.
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
  /** The most permits one lease of the Redis limiter may hold (1: no leases, every request asks Redis). */
  leaseCap: number;
  /** How long a lease's permits may be used (ms). */
  leaseMs: number;
}

/**
 * Permit leases (Redis limiter). A replica that sends many requests of one subject reserves several permits
 * in one Redis call and spends them locally, instead of one call per request. The share of a budget a lease
 * may hold is at most 1/LEASE_SHARE of the tightest window's max, and at most LEASE_MAX, so a budget below
 * 2 × LEASE_SHARE (the default 20/1s,100/5s) never leases: every request is decided in Redis, as before.
 */
export const LEASE_SHARE = 100;
export const LEASE_MAX = 64;
/** A lease's permits are used within this long (or a twentieth of the shortest window, if less). */
export const LEASE_MS = 50;
const preparedWindows = new WeakMap<readonly RateLimitWindow[], PreparedWindows>();
function prepareWindows(windows: readonly RateLimitWindow[]): PreparedWindows {
  let p = preparedWindows.get(windows);
  if (!p) {
    const tightest = Math.min(...windows.map((w) => w.max));
    const shortest = Math.min(...windows.map((w) => w.windowSeconds * 1000));
    p = {
      id: windowSetId(windows),
      longest: longestMs(windows),
      args: windows.flatMap((w) => [w.max, w.windowSeconds * 1000]),
      leaseCap: Math.max(1, Math.min(LEASE_MAX, Math.floor(tightest / LEASE_SHARE))),
      leaseMs: Math.max(1, Math.min(LEASE_MS, Math.floor(shortest / 20))),
    };
    preparedWindows.set(windows, p);
  }
  return p;
}

/**
 * One subject's accepted requests under one window set, as a count per millisecond: a ring of slots, one per
 * millisecond that accepted anything, in time order, each holding its millisecond and the running total of
 * accepted requests up to and including it (so a window's count is a difference of two totals).
 *
 * Exact, not an approximation of the sliding log: the clock is in whole ms (`Math.floor`), so requests
 * accepted in the same ms are indistinguishable to every window (the window (now - w, now] holds all of them
 * or none) and give the same Retry-After (a timestamp + w - now); the k-th oldest accepted request of the log
 * is the slot where the running total first reaches k.
 *
 * Small: after pruning, the slots are distinct ms inside the longest window, so a subject holds at most the
 * longest window's ms (a 1 s window: 1,000 slots) however large the budget, and at most its accepted requests
 * when the budget is small (more only while an injected clock steps back). A decision is O(1) amortised: each
 * window remembers where it started last time, and time moves forward.
 */
class Slots {
  /** [ms, running total] per slot, `cap` slots, logical slot 0 at physical slot `start`. */
  ring: number[];
  cap: number;
  start = 0;
  len = 0;
  /** Accepted requests in slots already pruned: the running total before logical slot 0. */
  base = 0;
  /** Per window, the first slot inside it at the last decision: where to look first next time. */
  readonly hints: number[];
  /** Slots the ring never needs beyond, time moving forward: the ms of the longest window. */
  readonly most: number;
  constructor(
    readonly longest: number,
    windows: number,
    /** When the log started, in the limiter's count of logs started. */
    readonly born: number,
  ) {
    this.most = Math.max(1, Math.ceil(longest));
    this.cap = Math.min(4, this.most);
    this.ring = new Array<number>(2 * this.cap).fill(0);
    this.hints = new Array<number>(windows).fill(0);
  }

  private at(i: number): number {
    const p = this.start + i;
    return 2 * (p >= this.cap ? p - this.cap : p);
  }
  time(i: number): number {
    return this.ring[this.at(i)] as number;
  }
  total(i: number): number {
    return this.ring[this.at(i) + 1] as number;
  }
  private bump(i: number): void {
    const a = this.at(i) + 1;
    this.ring[a] = (this.ring[a] as number) + 1;
  }
  /** Accepted requests before slot `i`. */
  before(i: number): number {
    return i === 0 ? this.base : this.total(i - 1);
  }

  /** The first slot later than `t`, looked for from `hint` on (a few steps, then binary search). */
  firstAfter(t: number, hint: number): number {
    let lo = 0;
    let hi = this.len;
    let i = Math.min(hint, hi); // hints are never negative (prune clamps them)
    if (i > 0 && this.time(i - 1) > t) hi = i - 1;
    else {
      for (let k = 0; k < 4; k++, i++) if (i === hi || this.time(i) > t) return i;
      lo = i;
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.time(mid) <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Drops the slots that have left the longest window (never brought back: a clock stepping back later finds them gone, as the log did). */
  prune(now: number): void {
    const k = this.firstAfter(now - this.longest, 0);
    if (k === 0) return;
    this.base = this.before(k);
    this.len -= k;
    this.start = this.len === 0 ? 0 : (this.start + k) % this.cap;
    const hints = this.hints;
    for (let j = 0; j < hints.length; j++) hints[j] = Math.max(0, (hints[j] as number) - k);
  }

  /**
   * The decision at `now`. The refusal with the longest wait wins, so Retry-After is a time at which every
   * window has room (absent other traffic).
   */
  decide(windows: readonly RateLimitWindow[], now: number): Refusal | undefined {
    let refusal: Refusal | undefined;
    const all = this.len === 0 ? this.base : this.total(this.len - 1);
    for (let j = 0; j < windows.length; j++) {
      const window = windows[j] as RateLimitWindow;
      const ms = window.windowSeconds * 1000;
      const first = this.firstAfter(now - ms, this.hints[j] as number);
      this.hints[j] = first;
      const before = this.before(first);
      const n = all - before;
      if (n < window.max) continue;
      // room appears when the (n - max + 1)-th oldest request of the window leaves it: the slot where the
      // running total reaches it (the window's first slot, unless a clock stepped back)
      const k = before + n - window.max + 1;
      let i = first;
      if (this.total(i) < k) {
        let hi = this.len - 1;
        while (i < hi) {
          const mid = (i + hi) >>> 1;
          if (this.total(mid) < k) i = mid + 1;
          else hi = mid;
        }
      }
      const waitMs = this.time(i) + ms - now;
      if (!refusal || waitMs > refusal.waitMs) refusal = { window, waitMs };
    }
    return refusal;
  }

  /** Records one accepted request at `now`. */
  add(now: number): void {
    const len = this.len;
    if (len > 0) {
      const last = this.time(len - 1);
      if (last === now) {
        this.bump(len - 1);
        return;
      }
      if (last > now) {
        // an injected clock stepped back: into its slot, or a new one, in order; the totals after it grow
        const p = this.firstAfter(now, 0);
        if (p > 0 && this.time(p - 1) === now) {
          for (let i = p - 1; i < len; i++) this.bump(i);
          return;
        }
        this.room();
        for (let i = len; i > p; i--) {
          const to = this.at(i);
          const from = this.at(i - 1);
          this.ring[to] = this.ring[from] as number;
          this.ring[to + 1] = (this.ring[from + 1] as number) + 1;
        }
        const at = this.at(p);
        this.ring[at] = now;
        this.ring[at + 1] = this.before(p) + 1;
        this.len++;
        return;
      }
    }
    this.room();
    const at = this.at(len);
    this.ring[at + 1] = (len === 0 ? this.base : this.total(len - 1)) + 1;
    this.ring[at] = now;
    this.len++;
  }

  /** Makes room for one more slot: doubles the ring, up to the longest window's ms (beyond only if a clock steps back). */
  private room(): void {
    if (this.len < this.cap) return;
    const cap = this.cap < this.most ? Math.min(2 * this.cap, this.most) : 2 * this.cap;
    const ring = new Array<number>(2 * cap).fill(0);
    for (let i = 0; i < this.len; i++) {
      const from = this.at(i);
      ring[2 * i] = this.ring[from] as number;
      ring[2 * i + 1] = this.ring[from + 1] as number;
    }
    this.ring = ring;
    this.cap = cap;
    this.start = 0;
  }

  /** Whether every slot has left the longest window at `now` (the subject can be forgotten). */
  idle(now: number): boolean {
    return this.len === 0 || this.time(this.len - 1) <= now - this.longest;
  }
}

/** Subjects kept at most; past it the least recently started logs go first (only under a flood of subjects). */
const MAX_SUBJECTS = 100_000;
const SWEEP_EVERY_MS = 10_000;

/** The in-process limiter: decides synchronously, and says how much it holds (for tests and diagnostics). */
export interface MemoryRateLimiter extends RateLimiter {
  checkSync(subject: string, windows: readonly RateLimitWindow[], nowMs?: number): void;
  /** `peek` without a promise. */
  peekSync(subject: string, windows: readonly RateLimitWindow[], nowMs?: number): number;
  /** Subjects held, slots in use and slots allocated, across all of them. */
  footprint(): { subjects: number; slots: number; capacity: number };
}

/**
 * In-process limiter.
 *
 * @example
 * ```ts
 * const limiter = memoryRateLimiter();
 * await limiter.check('key-id', [{ max: 20, windowSeconds: 1 }]); // throws a 429 ApiError when full
 * ```
 */
export function memoryRateLimiter(): MemoryRateLimiter {
  /**
   * Per window set (its id) and subject. Two levels, not one `${set}${subject}` key: building and hashing
   * that string was most of a decision's cost.
   */
  const logs = new Map<string, Map<string, Slots>>();
  let subjects = 0;
  /** Start order of the subjects' logs across window sets, so the oldest go first under a flood. */
  let started = 0;
  let sweepAt = 0;
  /** Forgets the idle logs: every SWEEP_EVERY_MS, one pass (its cost spread over that many ms of decisions). */
  const sweep = (now: number) => {
    for (const set of logs.values()) {
      for (const [subject, entry] of set) {
        if (entry.idle(now)) {
          set.delete(subject);
          subjects--;
        }
      }
    }
    sweepAt = now + SWEEP_EVERY_MS;
  };
  /**
   * Makes room for one more log when full: drops the oldest log of all, the first of some set (each set's map
   * is in start order), looking at one log per window set. Not a sweep: under a flood of subjects every new
   * one would pay a pass over all MAX_SUBJECTS (milliseconds per decision); this is O(window sets).
   */
  const evictOldest = (): boolean => {
    let oldest: [Map<string, Slots>, string, Slots] | undefined;
    for (const set of logs.values()) {
      const first = set.entries().next().value;
      if (first && (!oldest || first[1].born < oldest[2].born)) oldest = [set, first[0], first[1]];
    }
    if (!oldest) return false;
    oldest[0].delete(oldest[1]);
    subjects--;
    return true;
  };
  const checkSync = (subject: string, windows: readonly RateLimitWindow[], nowMs = Date.now()): void => {
    if (windows.length === 0) return;
    const now = Math.floor(nowMs);
    if (now >= sweepAt) sweep(now);
    const prepared = prepareWindows(windows);
    let set = logs.get(prepared.id);
    if (!set) {
      set = new Map();
      logs.set(prepared.id, set);
    }
    let entry = set.get(subject);
    if (!entry) {
      while (subjects >= MAX_SUBJECTS && evictOldest()) {}
      entry = new Slots(prepared.longest, windows.length, started++);
      set.set(subject, entry);
      subjects++;
    }
    entry.prune(now);
    const refusal = entry.decide(windows, now);
    if (refusal) throw tooMany(refusal);
    entry.add(now);
  };
  const peekSync = (subject: string, windows: readonly RateLimitWindow[], nowMs = Date.now()): number => {
    if (windows.length === 0) return 0;
    const entry = logs.get(prepareWindows(windows).id)?.get(subject);
    if (!entry) return 0;
    const now = Math.floor(nowMs);
    entry.prune(now);
    return Math.max(0, entry.decide(windows, now)?.waitMs ?? 0);
  };
  return {
    checkSync,
    peekSync,
    async peek(subject, windows, nowMs) {
      return peekSync(subject, windows, nowMs);
    },
    async check(subject, windows, nowMs) {
      checkSync(subject, windows, nowMs);
    },
    async reset() {
      logs.clear();
      subjects = 0;
    },
    footprint() {
      let slots = 0;
      let capacity = 0;
      for (const set of logs.values()) {
        for (const entry of set.values()) {
          slots += entry.len;
          capacity += entry.cap;
        }
      }
      return { subjects, slots, capacity };
    },
  };
}

/**
 * The in-memory limiter's decision (`Slots.decide`), atomically in Redis on a sorted set per subject and
 * window set, for up to ARGV[5] requests at once: a lease (one request is a lease of 1 permit for 0 ms).
 * KEYS[1] the log; ARGV: now (ms, or '' for Redis's own clock, so replicas with skewed clocks agree), a
 * unique member prefix, the longest window (ms), the lease's length (ms), the permits wanted, then max and
 * window (ms) per window. Grants as many as every window has room for (at least one, or the refusal),
 * recorded at now + the lease's length: a permit is counted from before its request is admitted until a
 * window after the latest moment it can be spent, so leases never admit more than the limit.
 * Returns {0, granted} or {index of the refusing window (1-based), wait ms}.
 */
const LEASE_LUA = `
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local longest = tonumber(ARGV[3])
local lease = tonumber(ARGV[4])
local room = tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - longest)
local refused, wait = 0, -1
for i = 6, #ARGV, 2 do
  local max, ms = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
  local from = '(' .. string.format('%d', now - ms)
  local n = redis.call('ZCOUNT', KEYS[1], from, '+inf')
  if n >= max then
    local e = redis.call('ZRANGEBYSCORE', KEYS[1], from, '+inf', 'WITHSCORES', 'LIMIT', n - max, 1)
    local w = tonumber(e[2]) + ms - now
    if w > wait then refused, wait = (i - 4) / 2, w end
  elseif max - n < room then
    room = max - n
  end
end
if refused > 0 then return {refused, wait} end
local at = string.format('%d', now + lease)
local args = {}
for j = 1, room do
  args[#args + 1] = now + lease
  args[#args + 1] = at .. ':' .. ARGV[2] .. ':' .. j
end
redis.call('ZADD', KEYS[1], unpack(args))
redis.call('PEXPIRE', KEYS[1], longest + lease)
return {0, room}
`;

/**
 * `peek` in Redis: the wait (ms) before the log KEYS[1] has room under every window, recording nothing.
 * ARGV: now (ms, or '' for Redis's clock), the longest window (ms), then max and window (ms) per window.
 */
const PEEK_LUA = `
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
local wait = 0
for i = 3, #ARGV, 2 do
  local max, ms = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
  local from = '(' .. string.format('%d', now - ms)
  local n = redis.call('ZCOUNT', KEYS[1], from, '+inf')
  if n >= max then
    local e = redis.call('ZRANGEBYSCORE', KEYS[1], from, '+inf', 'WITHSCORES', 'LIMIT', n - max, 1)
    local w = tonumber(e[2]) + ms - now
    if w > wait then wait = w end
  end
end
return wait
`;

/** One subject's lease in this process: permits left, until when, and the requests waiting for the next one. */
interface Lease {
  left: number;
  /** `performance.now()` (or the injected time) from which, and until which, the permits may be spent. */
  from: number;
  until: number;
  /** Permits the next lease asks for: doubled while leases run out early, halved when they lapse unused. */
  size: number;
  asking: boolean;
  waiting: { resolve: () => void; reject: (e: unknown) => void }[];
}

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
  const client = redis.client as typeof redis.client & {
    dailyTokensLease?: SlidingLogCommand;
    dailyTokensPeek?: (key: string, ...args: (string | number)[]) => Promise<number>;
  };
  // defineCommand sends EVALSHA and loads the script once when Redis does not know it yet
  if (!client.dailyTokensLease) client.defineCommand('dailyTokensLease', { numberOfKeys: 1, lua: LEASE_LUA });
  if (!client.dailyTokensPeek) client.defineCommand('dailyTokensPeek', { numberOfKeys: 1, lua: PEEK_LUA });
  // members of the sorted set must be unique per request: this process's random prefix and a counter
  const member = randomBytes(6).toString('hex');
  let seq = 0;
  const nextMember = () => {
    seq = (seq + 1) % Number.MAX_SAFE_INTEGER;
    return `${member}${seq.toString(36)}`;
  };
  const leaseCommand = client.dailyTokensLease as SlidingLogCommand;
  /**
   * Checks wait for the end of the event-loop turn and are written to Redis together (the socket corked: one
   * write for all the requests a turn read, not one each; under load that is what the service spends its
   * time on). Each check is still its own command, with its own timeout and answer.
   */
  type Pending = {
    run: SlidingLogCommand;
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
    for (const x of batch) redis.run((c) => x.run.call(c, x.key, ...x.args)).then(x.resolve, x.reject);
    stream?.uncork();
  };
  const ask = (run: SlidingLogCommand, key: string, args: (string | number)[]) =>
    new Promise<[number, number?]>((resolve, reject) => {
      queue.push({ run, key, args, resolve, reject });
      if (queue.length === 1) setImmediate(send);
    });
  const keyOf = (prepared: PreparedWindows, subject: string) => `${redis.prefix}rl:${prepared.id}:${subject}`;

  /** Leases by Redis key, for window sets that lease (leaseCap > 1). */
  const leases = new Map<string, Lease>();
  /** Spends a permit of `lease` at `t`, if it holds one still valid then. */
  const spend = (lease: Lease | undefined, t: number): boolean => {
    if (!lease || lease.left === 0 || t < lease.from || t >= lease.until) return false;
    lease.left--;
    return true;
  };
  const askLease = (
    lease: Lease,
    key: string,
    windows: readonly RateLimitWindow[],
    prepared: PreparedWindows,
    nowMs?: number,
  ) => {
    lease.asking = true;
    const want = Math.min(prepared.leaseCap, Math.max(lease.size, lease.waiting.length));
    // the lease is timed from before it was asked: Redis records its permits at (its now) + leaseMs, later
    const from = nowMs ?? performance.now();
    const args = [nowMs === undefined ? '' : Math.floor(nowMs), nextMember(), prepared.longest, prepared.leaseMs, want];
    ask(leaseCommand, key, [...args, ...prepared.args]).then(
      ([refused, n]) => {
        lease.asking = false;
        const waiting = lease.waiting;
        const window = windows[refused - 1];
        if (refused > 0 && window) {
          lease.waiting = [];
          lease.left = 0;
          lease.size = 1;
          const e = tooMany({ window, waitMs: Number(n) });
          for (const w of waiting) w.reject(e);
          return;
        }
        const granted = Number(n);
        lease.left = granted;
        lease.from = from;
        lease.until = from + prepared.leaseMs;
        const served = waiting.splice(0, granted);
        lease.left -= served.length;
        for (const w of served) w.resolve();
        // more waited than Redis granted: ask again for the rest (the answer may be a refusal)
        if (waiting.length > 0) askLease(lease, key, windows, prepared, nowMs);
      },
      (e: unknown) => {
        lease.asking = false;
        const waiting = lease.waiting;
        lease.waiting = [];
        for (const w of waiting) w.reject(e);
      },
    );
  };
  return {
    async peek(subject, windows, nowMs) {
      if (windows.length === 0) return 0;
      const prepared = prepareWindows(windows);
      const peekCommand = client.dailyTokensPeek as NonNullable<typeof client.dailyTokensPeek>;
      const wait = await redis.run((c) =>
        peekCommand.call(
          c,
          keyOf(prepared, subject),
          nowMs === undefined ? '' : Math.floor(nowMs),
          prepared.longest,
          ...prepared.args,
        ),
      );
      return Math.max(0, Number(wait));
    },
    tryTake(subject, windows) {
      const prepared = prepareWindows(windows);
      if (prepared.leaseCap <= 1) return false;
      return spend(leases.get(keyOf(prepared, subject)), performance.now());
    },
    async check(subject, windows, nowMs) {
      if (windows.length === 0) return;
      const prepared = prepareWindows(windows);
      const key = keyOf(prepared, subject);
      if (prepared.leaseCap > 1) {
        let lease = leases.get(key);
        const t = nowMs ?? performance.now();
        if (spend(lease, t)) return;
        if (!lease) {
          if (leases.size >= MAX_SUBJECTS) leases.clear();
          lease = { left: 0, from: 0, until: 0, size: 1, asking: false, waiting: [] };
          leases.set(key, lease);
        } else if (!lease.asking) {
          // ran out within the lease: ask for twice as many; lapsed with permits left: for half
          if (lease.left === 0 && t < lease.until) lease.size = Math.min(prepared.leaseCap, lease.size * 2);
          else if (lease.left > 0) lease.size = Math.max(1, lease.size >> 1);
          lease.left = 0;
        }
        const l = lease;
        await new Promise<void>((resolve, reject) => {
          l.waiting.push({ resolve, reject });
          if (!l.asking) askLease(l, key, windows, prepared, nowMs);
        });
        return;
      }
      // one permit, spent at once: a lease of 1 for 0 ms
      const args: (string | number)[] = [
        nowMs === undefined ? '' : Math.floor(nowMs),
        nextMember(),
        prepared.longest,
        0,
        1,
        ...prepared.args,
      ];
      const [refused, waitMs] = await ask(leaseCommand, key, args);
      const window = windows[refused - 1];
      if (refused > 0 && window) throw tooMany({ window, waitMs: Number(waitMs) });
    },
    async reset() {
      // permits leased before the reset were counted in what is cleared: they go too
      leases.clear();
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
