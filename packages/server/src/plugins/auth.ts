/**
 * `Authorization: Bearer <api key>` → the caller's domain. Missing or malformed header: 400
 * authorization-header-error; unknown or inactive key: 401 authentication-error (as Daily).
 * Then the per-key rate limit (or the route's tier), keyed by the key's id, never the key itself.
 */
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import type { RateLimitWindow } from '../config.js';
import { ApiError } from '../errors.js';
import { RATE_TIERS } from './rate-tiers.js';

/** Failed authentications allowed per client address before 429. */
export const AUTH_FAILURE_LIMIT: readonly RateLimitWindow[] = [{ max: 30, windowSeconds: 60 }];

const BEARER = /^Bearer +([\x21-\x7e]{1,512})\s*$/i;

/** The rate-limit subject of failed logins (API keys and admin tokens alike) from the request's address. */
export const failedLoginSubject = (request: FastifyRequest) => `authfail:${request.ip}`;

export function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (header === undefined || header === '') {
    throw new ApiError(
      400,
      'authorization-header-error',
      'missing Authorization header; send Authorization: Bearer <your API key>',
    );
  }
  const m = BEARER.exec(header);
  if (!m?.[1]) {
    throw new ApiError(
      400,
      'authorization-header-error',
      'bad Authorization header format; it must be "Bearer <your API key>"',
    );
  }
  return m[1];
}

export function authHook(ctx: AppContext) {
  return async (request: FastifyRequest): Promise<void> => {
    const apiKey = bearerToken(request);
    const resolved = await ctx.keys.resolve(apiKey);
    if (!resolved) {
      // unknown keys are not rate limited by key, so guessing is limited by address
      await ctx.limiter?.check(failedLoginSubject(request), AUTH_FAILURE_LIMIT);
      throw new ApiError(401, 'authentication-error', 'the API key is not valid');
    }
    if (!resolved.active) {
      throw new ApiError(
        401,
        'authentication-error',
        'the API key has been deactivated or rotated out; use the current key of your domain',
      );
    }
    request.auth = resolved;
    if (ctx.limiter) {
      try {
        // a tiered route has its own budget per key and route; the others share the configured one
        const tier = request.routeOptions.config.rateLimitTier;
        if (tier) await ctx.limiter.check(`key:${resolved.keyId}:${tier}`, RATE_TIERS[tier]);
        else await ctx.limiter.check(`key:${resolved.keyId}`, ctx.config.rateLimit);
      } catch (e) {
        ctx.metrics.inc('daily_tokens_rate_limited_total');
        throw e;
      }
    }
  };
}
