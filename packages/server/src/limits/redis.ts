/**
 * The limiter shared by every replica: the sliding-window log as a sorted set per subject and window set in
 * Redis, decided atomically by a Lua script on Redis's own clock (so replicas with skewed clocks agree). Its
 * log keeps at most the longest window's `max` timestamps.
 */
import { randomBytes } from 'node:crypto';
import type { RedisLink } from '../cache/redis.js';
import type { RateLimitWindow } from '../config.js';
import { MAX_SUBJECTS, type RateLimiter, tooMany } from './limiter.js';
import { type PreparedWindows, prepareWindows } from './window.js';

/**
 * The window loop both scripts share, written once: a Lua function `decide(longest, first)` on the log KEYS[1]
 * at now (ARGV[1] in ms, or '' for Redis's own clock, so replicas with skewed clocks agree). It drops what has
 * left the longest window, then for each (max, window ms) pair of ARGV from index `first` counts the log in
 * (now - window, now]. Returns now, the refusing window (1-based; 0 when none is full) with the longest wait,
 * that wait (ms: until its (n - max + 1)-th newest entry leaves it), and the least room left in the others,
 * as the in-memory `Slots.decide` does.
 */
const WINDOW_LOOP = `
local function decide(longest, first)
  local now = tonumber(ARGV[1])
  if not now then
    local t = redis.call('TIME')
    now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  end
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - longest)
  local refused, wait, room = 0, 0, math.huge
  for i = first, #ARGV, 2 do
    local max, ms = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
    local from = '(' .. string.format('%d', now - ms)
    local n = redis.call('ZCOUNT', KEYS[1], from, '+inf')
    if n >= max then
      local e = redis.call('ZRANGEBYSCORE', KEYS[1], from, '+inf', 'WITHSCORES', 'LIMIT', n - max, 1)
      local w = tonumber(e[2]) + ms - now
      if refused == 0 or w > wait then refused, wait = (i - first) / 2 + 1, w end
    elseif max - n < room then
      room = max - n
    end
  end
  return now, refused, wait, room
end
`;

/**
 * The in-memory limiter's decision, atomically in Redis on a sorted set per subject and window set, for up
 * to ARGV[5] requests at once: a lease (one request is a lease of 1 permit for 0 ms). KEYS[1] the log; ARGV:
 * now (ms, or ''), a unique member prefix, the longest window (ms), the lease's length (ms), the permits
 * wanted, then max and window (ms) per window. Grants as many as every window has room for (at least one,
 * or the refusal), recorded at now + the lease's length: a permit is counted from before its request is
 * admitted until a window after the latest moment it can be spent, so leases never admit more than the limit.
 * Returns {0, granted} or {index of the refusing window (1-based), wait ms}.
 */
const LEASE_LUA = `${WINDOW_LOOP}
local longest, lease = tonumber(ARGV[3]), tonumber(ARGV[4])
local now, refused, wait, room = decide(longest, 6)
if refused > 0 then return {refused, wait} end
room = math.min(room, tonumber(ARGV[5]))
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
 * ARGV: now (ms, or ''), the longest window (ms), then max and window (ms) per window.
 */
const PEEK_LUA = `${WINDOW_LOOP}
local _, _, wait = decide(tonumber(ARGV[2]), 3)
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
