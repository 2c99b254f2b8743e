/**
 * Authenticates every request of the scope it is registered in (/v1) with the service's `authenticate` and
 * `keyLimit` (service/auth.ts), the functions the fast path calls too, and sets `request.auth`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ResolvedKey } from '../../cache/key-cache.js';
import { RATE_TIERS, type RateTier } from '../../limits/tiers.js';
import { authenticate, keyLimit, parseBearer } from '../../service/auth.js';
import type { AppContext } from '../../service/context.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's domain and keyring, set by the auth plugin on /v1 routes. */
    auth: ResolvedKey | null;
  }
  interface FastifyContextConfig {
    /** A route's own rate-limit tier (limits/tiers.ts), checked by this plugin after the key's limit. */
    rateLimitTier?: RateTier;
  }
}

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

/** The caller of an authenticated route (the plugin has run: its hook comes before every handler). */
export function callerOf(request: FastifyRequest): ResolvedKey {
  const auth = request.auth;
  if (!auth) throw new Error('auth plugin missing');
  return auth;
}

export const authPlugin = fp(
  async (app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> => {
    app.decorateRequest('auth', null);
    // After the body is read (replying before it would reset a client still sending), before any check of it:
    // an unauthenticated request gets 400/401, never a body error.
    app.addHook('preValidation', async (request) => {
      // a client over its failed-login budget is refused whatever it sends, a missing header included
      const refused = ctx.throttle.refusal(request.ip);
      if (refused) throw refused;
      const resolved = await authenticate(ctx, parseBearer(request.headers.authorization), request.ip);
      request.auth = resolved;
      await keyLimit(ctx, resolved, request.routeOptions.config.rateLimitTier);
    });
  },
  { name: 'auth' },
);
