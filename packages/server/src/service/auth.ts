/**
 * Who is calling: `Authorization: Bearer <api key>` → the caller's domain. Missing or malformed header: 400
 * authorization-header-error; unknown or inactive key: 401 authentication-error (as Daily).
 * Then the per-key rate limit (or the route's tier), keyed by the key's id, never the key itself.
 * Both front ends authenticate with these: the Fastify auth plugin and the fast path.
 */
import type { ResolvedKey } from '../cache/key-cache.js';
import { safeEqual } from '../crypto/secrets.js';
import { ApiError } from '../errors.js';
import { RATE_TIERS, type RateTier } from '../limits/tiers.js';
import type { AppContext } from './context.js';

const BEARER = /^Bearer +([\x21-\x7e]{1,512})\s*$/i;

/** The API key of an `Authorization` header value; a 400 ApiError saying what is wrong when there is none. */
export function parseBearer(header: string | undefined): string {
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

/** The API key of a well-formed header, or undefined (then the full hook answers with the 400). */
export function bearerOrUndefined(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const m = BEARER.exec(header);
  return m?.[1] || undefined;
}

/**
 * `key:<id>` per resolved key (the key cache hands out the same object while it holds the key), built once:
 * a string made afresh per request is hashed afresh by the limiter's map, most of an in-memory decision.
 */
const keySubjects = new WeakMap<ResolvedKey, string>();
function keySubject(resolved: ResolvedKey): string {
  let subject = keySubjects.get(resolved);
  if (subject === undefined) {
    subject = `key:${resolved.keyId}`;
    keySubjects.set(resolved, subject);
  }
  return subject;
}

/**
 * The per-key rate limit of an authenticated request (a tiered route's own budget, else the configured one),
 * counting refusals. Synchronous with an in-process limiter (no promise on the request path), a promise
 * with Redis. Throws (or rejects with) the 429 ApiError.
 */
export function keyLimit(ctx: AppContext, resolved: ResolvedKey, tier: RateTier | undefined): void | Promise<void> {
  const limiter = ctx.limiter;
  if (!limiter) return;
  const subject = tier ? `key:${resolved.keyId}:${tier}` : keySubject(resolved);
  const windows = tier ? RATE_TIERS[tier] : ctx.config.rateLimit;
  if (limiter.checkSync) {
    try {
      limiter.checkSync(subject, windows);
    } catch (e) {
      ctx.metrics.inc('daily_tokens_rate_limited_total');
      throw e;
    }
    return;
  }
  // a permit this replica already holds (a lease from Redis) decides without a promise
  if (limiter.tryTake?.(subject, windows)) return;
  return limiter.check(subject, windows).catch((e: unknown) => {
    ctx.metrics.inc('daily_tokens_rate_limited_total');
    throw e;
  });
}

/**
 * The caller of `apiKey` (from the key cache, else the store), or the 401 saying why not; unknown keys count
 * against the failed-login budget of the client at `address`. A client over that budget is refused (429)
 * before the key is looked up, so the right key and a wrong one get the same answer. The auth plugin
 * (http/plugins/auth.ts) and the fast path (http/fast-path.ts) both authenticate with this.
 */
export async function authenticate(ctx: AppContext, apiKey: string, address: string | undefined): Promise<ResolvedKey> {
  const cached = ctx.keys.cached(apiKey);
  // before a compare against the store, the shared count too (failures other replicas saw); a key this
  // replica holds is checked against what this replica knows (see limits/login-throttle.ts)
  await ctx.throttle.gate(address, !cached?.active);
  const resolved = cached ?? (await ctx.keys.resolve(apiKey));
  if (!resolved) {
    // unknown keys are not rate limited by key, so guessing is limited by address
    await ctx.throttle.failed(address);
    throw new ApiError(401, 'authentication-error', 'the API key is not valid');
  }
  if (!resolved.active) {
    throw new ApiError(
      401,
      'authentication-error',
      'the API key has been deactivated or rotated out; use the current key of your domain',
    );
  }
  return resolved;
}

/**
 * The admin API's guard: 404 when it is disabled, the failed-login 429 before the token is compared (so the
 * right token and a wrong one get the same answer), then the constant-time compare; a wrong token counts
 * against the client's failed-login budget, shared with API-key guesses.
 */
export async function checkAdminToken(ctx: AppContext, header: string | undefined, address: string): Promise<void> {
  const expected = ctx.config.adminToken;
  if (!expected)
    throw new ApiError(404, 'not-found', 'the admin API is disabled; set DAILY_TOKENS_ADMIN_TOKEN to enable it');
  await ctx.throttle.gate(address, true);
  if (!safeEqual(parseBearer(header), expected)) {
    await ctx.throttle.failed(address);
    throw new ApiError(401, 'authentication-error', 'the admin token is not valid');
  }
}
