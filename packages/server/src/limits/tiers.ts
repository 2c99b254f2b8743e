/**
 * Per-route rate-limit tiers like Daily's. Most calls share the per-key limit of the configuration
 * (Daily: 20/s, 100 per 5 s); a few expensive calls have a tighter budget of their own, per key and
 * route, on the same limiter. A route opts in through `tierRoute` (http/plugins/auth.ts).
 */
import type { RateLimitWindow } from '../config.js';

/** Daily's documented tiers (REST API → rate limits). */
export const RATE_TIERS = {
  /** `DELETE /rooms/:name` (and, at Daily, `GET /recordings`): about 2/s, or 50 per 30 s. */
  'room-delete': [
    { max: 2, windowSeconds: 1 },
    { max: 50, windowSeconds: 30 },
  ],
} as const satisfies Record<string, readonly RateLimitWindow[]>;

export type RateTier = keyof typeof RATE_TIERS;
