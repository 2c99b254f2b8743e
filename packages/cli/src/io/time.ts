/** Times on the command line: unix seconds, ISO 8601 dates, or a duration from now ("15m", "+2h"). */
import { parseDuration } from 'daily-tokens';
import { usage } from '../errors.js';

/** Seconds since the epoch for `--now`, or the real clock. */
export function parseNow(value: string | undefined): number {
  if (value === undefined) return Math.floor(Date.now() / 1000);
  return parseInstant(value, '--now', Math.floor(Date.now() / 1000), false);
}

/**
 * An instant: digits are unix seconds (a 13-digit value is left for validation to call out as
 * milliseconds), an ISO date (`2024-03-09T17:00:00Z`), or, when `relative`, a duration after `now`.
 */
export function parseInstant(value: string, flag: string, now: number, relative = true): number {
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const durationText = v.startsWith('+') ? v.slice(1) : v;
  if (relative && /^(\d+[smhdw])+$/.test(durationText)) return now + parseDuration(durationText, flag);
  if (/^\d{4}-\d{2}-\d{2}/.test(v)) {
    const ms = Date.parse(v);
    if (!Number.isNaN(ms)) return Math.floor(ms / 1000);
  }
  const forms = relative
    ? 'unix seconds (1710000000), an ISO date (2024-03-09T17:00:00Z) or a duration from now (15m, 2h, 1d)'
    : 'unix seconds (1710000000) or an ISO date (2024-03-09T17:00:00Z)';
  throw usage(`${flag} ${JSON.stringify(value)} is not a time; use ${forms}`);
}

/** The Date form core's `now` options take. */
export const dateOf = (seconds: number): Date => new Date(seconds * 1000);
