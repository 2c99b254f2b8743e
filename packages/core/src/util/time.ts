import { formatDuration } from './duration.js';

/** Whole unix seconds of a Date. */
export function toUnixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** `2024-03-09T17:00:00Z` for unix seconds (no milliseconds: tokens have none). */
export function isoFromSeconds(seconds: number): string {
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) ? String(seconds) : d.toISOString().replace('.000Z', 'Z');
}

/** "in 42 min" / "3 days ago" / "now", relative to `now` (unix seconds). */
export function relativeTime(seconds: number, now: number): string {
  const delta = seconds - now;
  if (delta === 0) return 'now';
  return delta > 0 ? `in ${formatDuration(delta)}` : `${formatDuration(delta)} ago`;
}

/** Unix seconds beyond this (the year 5138) are certainly milliseconds. */
export const MILLISECONDS_THRESHOLD = 100_000_000_000;

/** An absolute time as options take it: a `Date` or unix seconds. */
export type Instant = Date | number;

/**
 * Reads a `now` option: a valid Date or unix seconds (a fraction is cut off), or the current time when
 * undefined. Throws TypeError otherwise, naming the option.
 */
export function nowSeconds(now: unknown, name = 'now'): number {
  if (now === undefined) return Math.floor(Date.now() / 1000);
  if (typeof now === 'number') {
    if (Number.isFinite(now) && now >= 0 && now < MILLISECONDS_THRESHOLD) return Math.floor(now);
    throw new TypeError(
      now >= MILLISECONDS_THRESHOLD
        ? `${name} ${now} looks like milliseconds; pass unix seconds (Math.floor(Date.now() / 1000)) or a Date`
        : `${name} must be unix seconds (a non-negative number) or a Date, got ${now}`,
    );
  }
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new TypeError(`${name} must be a valid Date or unix seconds`);
  }
  return toUnixSeconds(now);
}
