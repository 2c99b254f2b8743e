/** What every route and plugin shares: config, store, caches, limits, metrics, the clock. */
import type { ResolvedKey, KeyCache } from './cache/key-cache.js';
import type { RedisLink } from './cache/redis.js';
import type { ServerConfig } from './config.js';
import type { EmulatorControls } from './emulator/index.js';
import type { LoginThrottle } from './plugins/login-throttle.js';
import type { Metrics } from './plugins/metrics.js';
import type { RateLimiter } from './plugins/rate-limit.js';
import type { Store } from './store/index.js';

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
  /** Emulator mode only (config.emulator): the virtual clock, fault rules and request journal. */
  emulator?: EmulatorControls;
  /** Drops cached keys here and on every replica. */
  keysChanged(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's domain and keyring, set by the auth hook on /v1 routes. */
    auth: ResolvedKey | null;
    /** Lint findings of the token this request minted, for its log line. */
    lint: { rule: string; severity: string; message: string }[] | null;
  }
}
