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

/** Reads `now` options: a valid Date, or the current time. Throws TypeError otherwise. */
export function nowSeconds(now: unknown): number {
  if (now === undefined) return Math.floor(Date.now() / 1000);
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new TypeError('now must be a valid Date');
  }
  return toUnixSeconds(now);
}
