/**
 * Opens what the service operations run on: the store, Redis (when configured) or Postgres notifications
 * (key changes between replicas), the key cache, the rate limiter and failed-login throttle, the metrics.
 */
import { sql } from 'kysely';
import { KeyCache } from '../cache/key-cache.js';
import { listenForKeyChanges, type PgNotifyLink } from '../cache/pg-notify.js';
import { connectRedis, type RedisLink } from '../cache/redis.js';
import type { ServerConfig } from '../config.js';
import { withFallback } from '../limits/fallback.js';
import type { RateLimiter } from '../limits/limiter.js';
import { LoginThrottle } from '../limits/login-throttle.js';
import { memoryRateLimiter } from '../limits/memory.js';
import { redisRateLimiter } from '../limits/redis.js';
import { Metrics } from '../metrics/registry.js';
import { openStore } from '../store/index.js';
import type { AppContext, ServiceLog } from './context.js';

export interface OpenOptions {
  /** The service's clock (tests and the emulator move it). Default: the real time. */
  clock?: () => Date;
  /** The log, once there is one: Redis comes and goes, and key changes may fail to reach other replicas. */
  log: () => ServiceLog | undefined;
}

/** The context, and what closes it (Redis, the Postgres listener, the store). */
export interface OpenedService {
  ctx: AppContext;
  close(): Promise<void>;
}

/**
 * Opens the store first, then Redis or the Postgres listener; a failure after the store is open closes it.
 *
 * @example
 * ```ts
 * const { ctx, close } = await openService(config, { clock: () => new Date(), log: () => undefined });
 * ```
 */
export async function openService(config: ServerConfig, options: OpenOptions): Promise<OpenedService> {
  const { log } = options;
  const clock = options.clock ?? (() => new Date());
  // the limits' windows move with the service's clock (the emulator's virtual one too); the real time is
  // read without a Date per request
  const given = options.clock;
  const clockMs = given ? () => given().getTime() : Date.now;
  const store = await openStore(config);
  const metrics = new Metrics();
  // created before Redis so the subscription can clear it
  const holder: { keys?: KeyCache } = {};
  let redis: RedisLink | undefined;
  try {
    if (config.redisUrl) {
      redis = await connectRedis(config.redisUrl, config.redisPrefix, () => holder.keys?.clear(), {
        commandTimeoutMs: config.redisTimeoutMs,
        retryMs: config.redisRetryMs,
        // once per change of state, not once per request
        onStateChange: (up, error) => {
          if (up) log()?.info('Redis is back: rate limits are shared across replicas again');
          else
            log()?.warn(
              { err: { message: error?.message } },
              'Redis unavailable: rate limits are counted per replica until it is back; key changes reach other replicas within their cache TTL',
            );
        },
      });
    }
  } catch (e) {
    await store.close();
    throw e;
  }
  const keys = new KeyCache(store, config.keyCacheTtlMs, clock, { allowExpired: config.allowPastExp === true });
  holder.keys = keys;
  let pgNotify: PgNotifyLink | undefined;
  if (!redis && store.engine === 'postgres' && config.databaseUrl) {
    try {
      pgNotify = await listenForKeyChanges(config.databaseUrl, config.databaseSchema, () => keys.clear());
    } catch (e) {
      await store.close();
      throw e;
    }
  }

  let limiter: RateLimiter | undefined;
  if (config.rateLimit.length > 0) {
    limiter = redis
      ? withFallback(redisRateLimiter(redis), memoryRateLimiter({ now: clockMs }), () =>
          metrics.inc('daily_tokens_rate_limit_fallback_total'),
        )
      : memoryRateLimiter({ now: clockMs });
  }
  const announceFailed = (e: unknown) =>
    log()?.warn(
      { err: { message: (e as Error).message } },
      'could not announce a key change; other replicas see it within their cache TTL',
    );

  const ctx: AppContext = {
    config,
    store,
    keys,
    ...(limiter ? { limiter } : {}),
    throttle: new LoginThrottle(limiter, clockMs),
    metrics,
    ...(redis ? { redis } : {}),
    clock,
    state: { shuttingDown: false, storeUp: true },
    async keysChanged() {
      keys.clear();
      if (pgNotify) {
        try {
          await sql`select pg_notify(${pgNotify.channel}, '')`.execute(store.db);
        } catch (e) {
          announceFailed(e);
        }
      }
      if (redis) {
        try {
          await redis.publishKeyChange();
        } catch (e) {
          announceFailed(e);
        }
      }
    },
  };
  return {
    ctx,
    async close() {
      await redis?.close();
      await pgNotify?.close();
      await store.close();
    },
  };
}
