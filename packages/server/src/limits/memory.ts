/** The in-process limiter: every decision synchronous, on a `Slots` log per subject and window set. */
import type { RateLimitWindow } from '../config.js';
import { MAX_SUBJECTS, type RateLimiter, tooMany } from './limiter.js';
import { Slots } from './slots.js';
import { prepareWindows } from './window.js';

const SWEEP_EVERY_MS = 10_000;

/** The in-process limiter: decides synchronously, and says how much it holds (for tests and diagnostics). */
export interface MemoryRateLimiter extends RateLimiter {
  checkSync(subject: string, windows: readonly RateLimitWindow[], nowMs?: number): void;
  /** `peek` without a promise. */
  peekSync(subject: string, windows: readonly RateLimitWindow[], nowMs?: number): number;
  /** Subjects held, slots in use and slots allocated, across all of them. */
  footprint(): { subjects: number; slots: number; capacity: number };
}

export interface MemoryRateLimiterOptions {
  /** The time in ms since the epoch. Default: `Date.now`. */
  now?: () => number;
}

/**
 * In-process limiter. Its windows move with `now` (ms since the epoch), read once per decision that is not
 * given a time: the service passes its own clock, so the emulator's virtual clock moves them too.
 *
 * @example
 * ```ts
 * const limiter = memoryRateLimiter();
 * await limiter.check('key-id', [{ max: 20, windowSeconds: 1 }]); // throws a 429 ApiError when full
 * const emulated = memoryRateLimiter({ now: () => clock().getTime() }); // windows on a test's clock
 * ```
 */
export function memoryRateLimiter(options: MemoryRateLimiterOptions = {}): MemoryRateLimiter {
  const clock = options.now ?? Date.now;
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
  const checkSync = (subject: string, windows: readonly RateLimitWindow[], nowMs = clock()): void => {
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
  const peekSync = (subject: string, windows: readonly RateLimitWindow[], nowMs = clock()): number => {
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
