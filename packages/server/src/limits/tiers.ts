/**
 * Per-route rate-limit tiers like Daily's. Most calls share the per-key limit of the configuration
 * (Daily: 20/s, 100 per 5 s); a few expensive calls have a tighter budget of their own, per key and
 * route, on the same limiter. A route opts in with `config: { rateLimitTier: 'room-delete' }`.
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

/** Route options for a tier; the sentence documents it in the route's OpenAPI description. */
export function tierRoute(tier: RateTier): { config: { rateLimitTier: RateTier }; note: string } {
  const windows = RATE_TIERS[tier].map(
    (w) => `${w.max} per ${w.windowSeconds === 1 ? 'second' : `${w.windowSeconds} s`}`,
  );
  return {
    config: { rateLimitTier: tier },
    note: `Rate limit of its own, as at Daily: ${windows.join(' and ')} per API key.`,
  };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    rateLimitTier?: RateTier;
  }
}
