/**
 * The in-memory limiter keeps a count per millisecond, not a log of every accepted timestamp. These tests hold
 * it to the sliding log it replaced: a tiny reference model (every accepted timestamp in a sorted array) must
 * give the same decision and the same refusal (window and Retry-After) to random traffic under random window
 * sets, and a huge budget under a long burst must stay within the window's milliseconds in memory.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RateLimitWindow } from '../src/config.js';
import { memoryRateLimiter } from '../src/limits/memory.js';

const T0 = 1_800_000_000_000;

/**
 * The sliding log, as plainly as it can be written: accepted timestamps per window set and subject, pruned to
 * the longest window before each decision (pruned entries never come back), idle logs forgotten every 10 s.
 */
function referenceLimiter() {
  // each log with the longest window of its own set: a sweep judges every log by its own windows
  const logs = new Map<string, { log: number[]; longest: number }>();
  let sweepAt = 0;
  return (subject: string, windows: readonly RateLimitWindow[], nowMs: number): string => {
    const now = Math.floor(nowMs);
    const longest = Math.max(...windows.map((w) => w.windowSeconds * 1000));
    if (now >= sweepAt) {
      for (const [key, entry] of logs) if (entry.log.every((t) => t <= now - entry.longest)) logs.delete(key);
      sweepAt = now + 10_000;
    }
    const key = `${windows.map((w) => `${w.max}/${w.windowSeconds}`).join(',')} ${subject}`;
    const log = (logs.get(key)?.log ?? []).filter((t) => t > now - longest);
    logs.set(key, { log, longest });
    let refusal: { window: RateLimitWindow; waitMs: number } | undefined;
    for (const window of windows) {
      const ms = window.windowSeconds * 1000;
      const inWindow = log.filter((t) => t > now - ms);
      if (inWindow.length < window.max) continue;
      // room appears when the (n - max + 1)-th oldest of the window leaves it
      const waitMs = (inWindow[inWindow.length - window.max] as number) + ms - now;
      if (!refusal || waitMs > refusal.waitMs) refusal = { window, waitMs };
    }
    if (refusal) {
      const retryAfter = Math.max(1, Math.ceil(refusal.waitMs / 1000));
      return `429 ${refusal.window.max}/${refusal.window.windowSeconds} retry-after ${retryAfter}`;
    }
    log.push(now);
    log.sort((a, b) => a - b);
    return 'ok';
  };
}

/** What the limiter under test says, in the reference's words (the refusing window is in the message). */
function outcome(
  limiter: ReturnType<typeof memoryRateLimiter>,
  subject: string,
  windows: readonly RateLimitWindow[],
  now: number,
): string {
  try {
    limiter.checkSync(subject, windows, now);
    return 'ok';
  } catch (e) {
    const err = e as { status?: number; message: string; headers?: Record<string, string> };
    if (err.status !== 429) throw e;
    const m = /rate limit of (\d+) requests per (\d+) s exceeded; retry after (\d+) s/.exec(err.message);
    expect(m?.[3]).toBe(err.headers?.['retry-after']);
    return `429 ${m?.[1]}/${m?.[2]} retry-after ${err.headers?.['retry-after']}`;
  }
}

const windowArb = fc.record({ max: fc.integer({ min: 1, max: 40 }), windowSeconds: fc.integer({ min: 1, max: 6 }) });
const windowSetArb = fc.array(windowArb, { minLength: 1, maxLength: 3 });

/** A step of traffic: time moves by `dt` ms (mostly forward, sometimes far, rarely back), then `burst` requests. */
const stepArb = fc.record({
  dt: fc.oneof(
    { weight: 10, arbitrary: fc.integer({ min: 0, max: 40 }) },
    { weight: 3, arbitrary: fc.integer({ min: 0, max: 2_500 }) },
    { weight: 1, arbitrary: fc.integer({ min: 5_000, max: 15_000 }) },
    { weight: 2, arbitrary: fc.integer({ min: -1_500, max: -1 }) },
  ),
  fraction: fc.double({ min: 0, max: 0.999, noNaN: true }),
  burst: fc.oneof({ weight: 5, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 60 }) }),
  subject: fc.integer({ min: 0, max: 2 }),
  set: fc.integer({ min: 0, max: 1 }),
});

describe('count per millisecond = sliding log', () => {
  it('gives the same decisions and refusals as the reference log to random traffic and window sets', () => {
    fc.assert(
      fc.property(windowSetArb, windowSetArb, fc.array(stepArb, { minLength: 1, maxLength: 120 }), (a, b, steps) => {
        const limiter = memoryRateLimiter();
        const reference = referenceLimiter();
        const sets = [a, b];
        let t = T0;
        for (const step of steps) {
          t += step.dt;
          const windows = sets[step.set] as RateLimitWindow[];
          for (let i = 0; i < step.burst; i++) {
            const now = t + step.fraction;
            const subject = `s${step.subject}`;
            expect(outcome(limiter, subject, windows, now)).toBe(reference(subject, windows, now));
          }
        }
      }),
      {
        numRuns: 300,
        // Found on CI: two sets, and a sweep between them must judge each log by its own set's windows.
        examples: [
          [
            [{ max: 1, windowSeconds: 1 }],
            [{ max: 1, windowSeconds: 3 }],
            [
              { dt: -1, fraction: 0, burst: 1, subject: 0, set: 0 },
              { dt: 7696, fraction: 0, burst: 1, subject: 2, set: 1 },
              { dt: 10, fraction: 0, burst: 1, subject: 0, set: 0 },
              { dt: 2256, fraction: 0, burst: 1, subject: 0, set: 0 },
              { dt: 38, fraction: 0, burst: 2, subject: 0, set: 0 },
              { dt: 0, fraction: 0, burst: 2, subject: 2, set: 1 },
            ],
          ],
        ],
      },
    );
  });

  it('agrees with the reference at a budget that the traffic fills, waits of every length included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 50, max: 400 }),
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 200, maxLength: 1_500 }),
        (max, gaps) => {
          const windows = [
            { max, windowSeconds: 1 },
            { max: 3 * max, windowSeconds: 5 },
          ];
          const limiter = memoryRateLimiter();
          const reference = referenceLimiter();
          let t = T0;
          for (const gap of gaps) {
            // gaps of 0 are requests in the same ms: many share a slot
            t += gap === 0 ? 0 : Math.floor(gap / 10);
            expect(outcome(limiter, 'busy', windows, t)).toBe(reference('busy', windows, t));
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('agrees where a clock stepping back finds a short window over-full (Retry-After from the right request)', () => {
    const windows = [
      { max: 2, windowSeconds: 1 },
      { max: 10, windowSeconds: 5 },
    ];
    const limiter = memoryRateLimiter();
    const reference = referenceLimiter();
    const times = [T0 + 100, T0 + 101, T0 + 1_200, T0 + 1_201, T0 + 150, T0 + 150, T0 + 1_250, T0 + 2_300];
    const out = times.map((t) => outcome(limiter, 'back', windows, t));
    expect(out).toEqual(times.map((t) => reference('back', windows, t)));
    // at T0 + 150 the 1 s window holds four: room when the third oldest (T0 + 1,200) leaves it, 2.05 s on
    expect(out.slice(4)).toEqual(['429 2/1 retry-after 3', '429 2/1 retry-after 3', '429 2/1 retry-after 1', 'ok']);
  });

  it('forgets every counter on reset', () => {
    const limiter = memoryRateLimiter();
    const w = [{ max: 2, windowSeconds: 60 }];
    expect([T0, T0 + 1, T0 + 2].map((t) => outcome(limiter, 'r', w, t))).toEqual([
      'ok',
      'ok',
      '429 2/60 retry-after 60',
    ]);
    limiter.reset();
    expect(limiter.footprint()).toEqual({ subjects: 0, slots: 0, capacity: 0 });
    expect(outcome(limiter, 'r', w, T0 + 3)).toBe('ok');
  });
});

describe('memory', () => {
  it('stays within the window in milliseconds under a huge budget and a long burst, and forgets idle subjects', () => {
    const limiter = memoryRateLimiter();
    const windows = [{ max: 1_000_000, windowSeconds: 1 }];
    // 30 requests a millisecond for 5 s (what the service bench sends, and more): 150,000 accepted
    let accepted = 0;
    let most = 0;
    for (let ms = 0; ms < 5_000; ms++) {
      for (let i = 0; i < 30; i++) {
        if (outcome(limiter, 'busy', windows, T0 + ms + i / 30) === 'ok') accepted++;
      }
      most = Math.max(most, limiter.footprint().capacity);
    }
    expect(accepted).toBe(150_000);
    const { subjects, slots, capacity } = limiter.footprint();
    expect(subjects).toBe(1);
    // one slot per ms of the 1 s window, however many requests each ms held
    expect(slots).toBe(1_000);
    expect(most).toBeLessThanOrEqual(1_000);
    expect(capacity).toBeLessThanOrEqual(1_000);
    // a minute later another subject's request sweeps the idle one away
    outcome(limiter, 'other', windows, T0 + 65_000);
    expect(limiter.footprint()).toEqual({ subjects: 1, slots: 1, capacity: 4 });
  });

  it('holds no more slots than a small budget accepts, whatever the window', () => {
    const limiter = memoryRateLimiter();
    const windows = [{ max: 30, windowSeconds: 3_600 }];
    for (let i = 0; i < 10_000; i++) outcome(limiter, 'few', windows, T0 + 7 * i);
    expect(limiter.footprint().slots).toBe(30);
    expect(limiter.footprint().capacity).toBeLessThanOrEqual(32);
  });
});
