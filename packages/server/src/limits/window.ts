/**
 * The arithmetic of a window set that every limiter shares: its stable id (part of every counter's key), its
 * longest window, the (max, ms) pairs the Redis script takes, and how much of it one lease may hold. Worked
 * out once per set: the config's arrays live as long as the app, so the limiters look them up by identity.
 */
import type { RateLimitWindow } from '../config.js';

/** A stable name of a window set, part of every counter's key. */
export function windowSetId(windows: readonly RateLimitWindow[]): string {
  return windows.map((w) => `${w.max}/${w.windowSeconds}`).join(',');
}

const longestMs = (windows: readonly RateLimitWindow[]) => Math.max(...windows.map((w) => w.windowSeconds * 1000));

/** What a window set means to the limiters, worked out once per set (the config's arrays live as long as the app). */
export interface PreparedWindows {
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
export function prepareWindows(windows: readonly RateLimitWindow[]): PreparedWindows {
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
