/**
 * The rate limiter: one sliding-window algorithm in memory and in Redis, driven by an injected clock.
 * One process, one Redis client and ten replicas' clients must give the same answer to the same traffic.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, type RedisLink } from '../src/cache/redis.js';
import type { RateLimitWindow } from '../src/config.js';
import type { RateLimiter } from '../src/limits/limiter.js';
import { memoryRateLimiter } from '../src/limits/memory.js';
import { redisRateLimiter } from '../src/limits/redis.js';
import { LEASE_SHARE } from '../src/limits/window.js';
import { REDIS_URL, randomPrefix } from './helpers.js';

const DAILY: RateLimitWindow[] = [
  { max: 20, windowSeconds: 1 },
  { max: 100, windowSeconds: 5 },
];
const T0 = 1_800_000_000_000; // a multiple of every window: fixed windows would start a slot here

/** Outcome of one request: 'ok' or the Retry-After it was refused with. */
async function outcome(limiter: RateLimiter, subject: string, windows: readonly RateLimitWindow[], now: number) {
  try {
    await limiter.check(subject, windows, now);
    return 'ok';
  } catch (e) {
    const err = e as { status?: number; headers?: Record<string, string> };
    if (err.status !== 429) throw e;
    return `429 retry-after ${err.headers?.['retry-after']}`;
  }
}

/** Requests at `rate` per second for `seconds`, starting at `start` ms. */
const steady = (rate: number, seconds: number, start = T0) =>
  Array.from({ length: Math.round(rate * seconds) }, (_, i) => Math.floor(start + (i * 1000) / rate));

async function run(limiters: RateLimiter[], times: number[], windows = DAILY, subject = 's') {
  const out: string[] = [];
  for (const [i, t] of times.entries())
    out.push(await outcome(limiters[i % limiters.length] as RateLimiter, subject, windows, t));
  return out;
}

/** For every window, no interval of its length holds more than `max` accepted requests. */
function assertNeverOver(times: number[], outcomes: string[], windows: readonly RateLimitWindow[]) {
  const accepted = times.filter((_, i) => outcomes[i] === 'ok');
  for (const w of windows) {
    for (let i = 0; i < accepted.length; i++) {
      const inWindow = accepted.filter(
        (t) => t >= (accepted[i] as number) && t < (accepted[i] as number) + w.windowSeconds * 1000,
      );
      expect(inWindow.length).toBeLessThanOrEqual(w.max);
    }
  }
}

describe('sliding window in memory', () => {
  it('binds the 100 per 5 s window that refused requests used to slip past (30 req/s for 5 s → 100)', async () => {
    const times = steady(30, 5);
    const out = await run([memoryRateLimiter()], times);
    expect(out.filter((o) => o === 'ok')).toHaveLength(100);
    assertNeverOver(times, out, DAILY);
  });

  it('accepts traffic under both limits in full (19 req/s for 6 s → all 114)', async () => {
    const times = steady(19, 6);
    const out = await run([memoryRateLimiter()], times);
    // no 5 s holds more than 96 of them, and no second more than 19
    expect(out.filter((o) => o === 'ok')).toHaveLength(114);
  });

  it('lets 20, not 40, through across a window boundary (40 requests within 121 ms)', async () => {
    const times = Array.from({ length: 40 }, (_, i) => T0 - 60 + Math.floor((i * 121) / 40));
    const out = await run([memoryRateLimiter()], times, [{ max: 20, windowSeconds: 1 }]);
    expect(out.filter((o) => o === 'ok')).toHaveLength(20);
  });

  it('says when to retry: when the oldest request of the full window leaves it', async () => {
    const limiter = memoryRateLimiter();
    const w = [{ max: 2, windowSeconds: 10 }];
    await limiter.check('a', w, T0);
    await limiter.check('a', w, T0 + 1);
    await limiter.check('b', w, T0 + 2);
    expect(await outcome(limiter, 'a', w, T0 + 3_500)).toBe('429 retry-after 7');
    expect(await outcome(limiter, 'a', w, T0 + 9_999)).toBe('429 retry-after 1');
    // refused requests cost nothing: the first slot frees exactly 10 s after the first request
    expect(await outcome(limiter, 'a', w, T0 + 10_000)).toBe('ok');
    expect(await outcome(limiter, 'a', w, T0 + 10_000)).toBe('429 retry-after 1');
    expect(await outcome(limiter, 'a', w, T0 + 10_001)).toBe('ok');
  });

  it('keeps window sets apart: a tier with other windows has its own budget for the same subject', async () => {
    const limiter = memoryRateLimiter();
    const strict = [{ max: 1, windowSeconds: 60 }];
    const loose = [{ max: 3, windowSeconds: 60 }];
    expect(await run([limiter], [T0, T0 + 1], strict)).toEqual(['ok', '429 retry-after 60']);
    expect(await run([limiter], [T0 + 2, T0 + 3, T0 + 4, T0 + 5], loose)).toEqual([
      'ok',
      'ok',
      'ok',
      '429 retry-after 60',
    ]);
  });

  it('copes with a clock that steps back', async () => {
    const limiter = memoryRateLimiter();
    const w = [{ max: 2, windowSeconds: 1 }];
    expect(await run([limiter], [T0 + 500, T0 + 100, T0 + 200, T0 + 1_101, T0 + 1_200], w)).toEqual([
      'ok',
      'ok',
      '429 retry-after 1',
      'ok',
      '429 retry-after 1',
    ]);
  });
  it('reads the clock it is given when a decision names no time, check and peek alike', async () => {
    let now = T0;
    const limiter = memoryRateLimiter({ now: () => now });
    const w = [{ max: 2, windowSeconds: 10 }];
    limiter.checkSync('c', w);
    await limiter.check('c', w);
    expect(() => limiter.checkSync('c', w)).toThrow(/retry after 10 s/);
    expect(await limiter.peek('c', w)).toBe(10_000);
    now += 10_000; // the given clock moved, the real one did not: the window has room again
    expect(limiter.peekSync('c', w)).toBe(0);
    expect(() => limiter.checkSync('c', w)).not.toThrow();
    // a time named in the call still wins over the clock
    expect(() => limiter.checkSync('c', w, T0 + 10_000)).not.toThrow();
    expect(() => limiter.checkSync('c', w, T0 + 10_000)).toThrow(/rate limit/);
  });
});

describe('in memory, full of subjects', () => {
  it('makes room for a new subject at a bounded cost (no pass over all of them per decision)', () => {
    const limiter = memoryRateLimiter();
    const w: RateLimitWindow[] = [{ max: 5, windowSeconds: 60 }];
    // full: 100,000 subjects, none idle (their window is a minute)
    for (let i = 0; i < 100_000; i++) limiter.checkSync(`flood-${i}`, w, T0);
    expect(limiter.footprint().subjects).toBe(100_000);
    const t0 = performance.now();
    for (let i = 0; i < 5_000; i++) limiter.checkSync(`new-${i}`, w, T0 + 1);
    const perDecision = (performance.now() - t0) / 5_000;
    // a sweep of all of them costs milliseconds; evicting the oldest a few µs
    expect(perDecision).toBeLessThan(0.2);
    expect(limiter.footprint().subjects).toBe(100_000);
    // the oldest went first, the newest are kept with their counts
    for (let k = 0; k < 4; k++) limiter.checkSync('new-4999', w, T0 + 2);
    expect(() => limiter.checkSync('new-4999', w, T0 + 2)).toThrow(/rate limit/);
    expect(() => limiter.checkSync('flood-0', w, T0 + 2)).not.toThrow();
  });

  it('peeks without recording', () => {
    const limiter = memoryRateLimiter();
    const w: RateLimitWindow[] = [{ max: 2, windowSeconds: 10 }];
    expect(limiter.peekSync('a', w, T0)).toBe(0);
    limiter.checkSync('a', w, T0);
    expect(limiter.peekSync('a', w, T0 + 1)).toBe(0);
    limiter.checkSync('a', w, T0 + 1);
    expect(limiter.peekSync('a', w, T0 + 2)).toBe(9_998);
    expect(limiter.peekSync('a', w, T0 + 2)).toBe(9_998);
    expect(limiter.peekSync('a', w, T0 + 9_999)).toBe(1);
    expect(limiter.peekSync('a', w, T0 + 10_000)).toBe(0);
  });
});

describe('sliding window in Redis: one node and ten replicas agree with memory', () => {
  const prefix = randomPrefix();
  const links: RedisLink[] = [];
  let one: RateLimiter;
  let ten: RateLimiter[];
  beforeAll(async () => {
    for (let i = 0; i < 10; i++) links.push(await connectRedis(REDIS_URL, prefix, () => {}));
    ten = links.map((l) => redisRateLimiter(l));
    one = ten[0] as RateLimiter;
  });
  afterAll(async () => {
    for (const l of links) await l.close();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  const schedules: [string, number[], RateLimitWindow[]][] = [
    ['30 req/s for 5 s', steady(30, 5), DAILY],
    ['19 req/s for 6 s', steady(19, 6), DAILY],
    ['40 across a boundary', Array.from({ length: 40 }, (_, i) => T0 - 60 + 3 * i), [{ max: 20, windowSeconds: 1 }]],
    [
      'bursts and pauses',
      Array.from({ length: 300 }, (_, i) => T0 + Math.floor(i / 25) * 700 + (i % 25) * 3),
      [
        { max: 7, windowSeconds: 1 },
        { max: 30, windowSeconds: 10 },
      ],
    ],
  ];
  for (const [name, times, windows] of schedules) {
    it(`gives the same answers, Retry-After included: ${name}`, async () => {
      const subject = `${name}-${Math.random()}`;
      const expected = await run([memoryRateLimiter()], times, windows, subject);
      expect(await run([one], times, windows, `${subject}-one`)).toEqual(expected);
      expect(await run(ten, times, windows, `${subject}-ten`)).toEqual(expected);
      assertNeverOver(times, expected, windows);
    });
  }

  it('is atomic: 200 concurrent requests from ten replicas at one instant → exactly max accepted', async () => {
    const w = [{ max: 37, windowSeconds: 5 }];
    const out = await Promise.all(
      Array.from({ length: 200 }, (_, i) => outcome(ten[i % 10] as RateLimiter, 'concurrent', w, T0)),
    );
    expect(out.filter((o) => o === 'ok')).toHaveLength(37);
    expect(out.filter((o) => o === '429 retry-after 5')).toHaveLength(163);
  });

  describe('budgets large enough to lease permits', () => {
    const big = [{ max: 4 * LEASE_SHARE, windowSeconds: 1 }];

    it('never admit more than the limit in any window, across ten replicas (900 req/s for 3 s)', async () => {
      const times = steady(900, 3);
      const exact = await run([memoryRateLimiter()], times, big, `lease-exact-${Math.random()}`);
      const leased = await run(ten, times, big, `lease-ten-${Math.random()}`);
      assertNeverOver(times, leased, big);
      // what unused permits cost: the exact limiter admits 400 a second; leases may leave a few unused
      const admitted = leased.filter((o) => o === 'ok').length;
      expect(admitted).toBeLessThanOrEqual(exact.filter((o) => o === 'ok').length);
      expect(admitted).toBeGreaterThan(0.9 * exact.filter((o) => o === 'ok').length);
    });

    it('admit exactly the limit to 2,000 concurrent requests from ten replicas at one instant', async () => {
      const out = await Promise.all(
        Array.from({ length: 2000 }, (_, i) => outcome(ten[i % 10] as RateLimiter, 'lease-burst', big, T0)),
      );
      expect(out.filter((o) => o === 'ok')).toHaveLength(400);
      // leased permits count from T0 + the lease's 50 ms, so the window has room again 1.05 s on: 2 s
      expect(out.filter((o) => o === '429 retry-after 2')).toHaveLength(1600);
    });

    it('spend leased permits without asking Redis (tryTake), and record each in Redis before it is spent', async () => {
      const limiter = ten[4] as RateLimiter;
      let taken = 0;
      let asked = 0;
      for (let i = 0; i < 40; i++) {
        if (limiter.tryTake?.('lease-take', big)) taken++;
        else {
          await limiter.check('lease-take', big);
          asked++;
        }
      }
      // leases double while they run out early: most of 40 quick requests need no call of their own
      expect(taken).toBeGreaterThan(asked);
      const members = await links[0]?.client.zcard(`${prefix}rl:${big[0]?.max}/1:lease-take`);
      expect(members).toBeGreaterThanOrEqual(40);
    });

    it('answer from Redis alone for the default budget (no leases below 2 × LEASE_SHARE)', async () => {
      const limiter = ten[5] as RateLimiter;
      await limiter.check('no-lease', DAILY);
      expect(limiter.tryTake?.('no-lease', DAILY)).toBe(false);
      expect(await links[0]?.client.zcard(`${prefix}rl:20/1,100/5:no-lease`)).toBe(1);
    });
  });

  it("without an injected time uses Redis's clock, and keeps tiers' counters apart", async () => {
    const strict = [{ max: 1, windowSeconds: 30 }];
    const loose = [{ max: 2, windowSeconds: 30 }];
    expect(await outcome(ten[1] as RateLimiter, 'clock', strict, undefined as unknown as number)).toBe('ok');
    expect(await outcome(ten[2] as RateLimiter, 'clock', strict, undefined as unknown as number)).toMatch(
      /^429 retry-after (29|30)$/,
    );
    expect(await outcome(ten[3] as RateLimiter, 'clock', loose, undefined as unknown as number)).toBe('ok');
    const keys = await links[0]?.client.keys(`${prefix}rl:*clock`);
    expect(keys?.sort()).toEqual([`${prefix}rl:1/30:clock`, `${prefix}rl:2/30:clock`]);
    const ttl = await links[0]?.client.pttl(`${prefix}rl:1/30:clock`);
    expect(ttl).toBeGreaterThan(25_000);
    expect(ttl).toBeLessThanOrEqual(30_000);
  });
});
