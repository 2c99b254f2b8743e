/**
 * What every service operation shares: config, store, caches, limits, metrics, the clock. Both front ends (the
 * Fastify app and the fast path, in http/) hand it to the operations; nothing here knows about HTTP.
 */
import type { KeyCache } from '../cache/key-cache.js';
import type { RedisLink } from '../cache/redis.js';
import type { ServerConfig } from '../config.js';
import type { LoginThrottle } from '../limits/login-throttle.js';
import type { Metrics } from '../metrics/registry.js';
import type { RateLimiter } from '../limits/limiter.js';
import type { Store } from '../store/index.js';

export interface AppContext {
  config: ServerConfig;
  store: Store;
  keys: KeyCache;
  /** Per-key limits (config.rateLimit) and failed logins per address (AUTH_FAILURE_LIMIT); absent when limits are off. */
  limiter?: RateLimiter;
  /** Failed logins per client (address, IPv6 /64): refuses a client over budget before any secret is compared. */
  throttle: LoginThrottle;
  metrics: Metrics;
  redis?: RedisLink;
  clock: () => Date;
  state: { shuttingDown: boolean; storeUp: boolean };
  /** Drops cached keys here and on every replica. */
  keysChanged(): Promise<void>;
}

/** What an operation writes to the service's log (the Fastify app's pino logger fits). */
export interface ServiceLog {
  info(message: string): void;
  warn(fields: object, message: string): void;
}

/** A warning an operation found in a request it carried out anyway, for the request's log line. */
export type LintFindings = { rule: string; severity: string; message: string }[];
