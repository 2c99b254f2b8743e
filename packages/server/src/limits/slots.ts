/**
 * The in-memory limiter's log of one subject under one window set: a count per millisecond of the longest
 * window, so memory is bounded by the window, not by the budget.
 */
import type { RateLimitWindow } from '../config.js';
import type { Refusal } from './limiter.js';

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
export class Slots {
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
