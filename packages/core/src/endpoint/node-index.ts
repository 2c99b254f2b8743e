/**
 * `daily-tokens/endpoint/node`: the token endpoint as a Node `(req, res)` handler, for node:http and Express.
 * @packageDocumentation
 */
export { createNodeTokenEndpoint } from './node.js';
export type {
  NodeRequestLike,
  NodeResponseLike,
  NodeTokenEndpointHandler,
  NodeTokenEndpointOptions,
} from './node.js';
export { memoryRateLimit } from './rate-limit.js';
export type { MemoryRateLimitOptions } from './rate-limit.js';
export type * from './types.js';
