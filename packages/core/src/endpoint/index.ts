/**
 * `daily-tokens/endpoint`: the token endpoint of a Daily app in one line, as a Web-standard handler.
 * Node's `(req, res)` adapter is `daily-tokens/endpoint/node`; the browser helper is `daily-tokens/client`.
 *
 * @example
 * ```ts
 * import { createTokenEndpoint } from 'daily-tokens/endpoint';
 * export const POST = createTokenEndpoint({
 *   apiKey: env.DAILY_API_KEY, domainId: env.DAILY_DOMAIN_ID,
 *   authorize: async (request, { room }) => ({ room_name: room, user_name: 'Ada' }),
 * });
 * ```
 * @packageDocumentation
 */
export { createTokenEndpoint } from './web.js';
export type { TokenEndpointHandler } from './web.js';
export { memoryRateLimit } from './rate-limit.js';
export type { MemoryRateLimitOptions } from './rate-limit.js';
export { DEFAULT_EXPIRES_IN, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_LIFETIME } from './options.js';
export type * from './types.js';
