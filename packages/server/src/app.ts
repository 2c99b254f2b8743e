/**
 * `buildApp(config)`: the Fastify app with one plugin per concern. Used by `daily-tokens serve`
 * and by the tests through real sockets.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { sql } from 'kysely';
import { KeyCache } from './cache/key-cache.js';
import { listenForKeyChanges, type PgNotifyLink } from './cache/pg-notify.js';
import { connectRedis, type RedisLink } from './cache/redis.js';
import { assertServerConfig, type ServerConfig } from './config.js';
import { assertKnownOptions, optionNames } from 'daily-tokens';
import type { AppContext } from './context.js';
import { ApiError, OUTAGE_RETRY_AFTER } from './errors.js';
import { authHook } from './plugins/auth.js';
import { clientErrorHandler, frameworkErrors, MAX_PARAM_LENGTH } from './plugins/client-errors.js';
import { BODY_LIMIT, errorsPlugin } from './plugins/errors.js';
import { type LogStream, loggerOptions, logsAt, requestLogger, stderrLog } from './plugins/logging.js';
import { clientOf, LoginThrottle } from './plugins/login-throttle.js';
import { Metrics, replyCounter } from './plugins/metrics.js';
import { memoryRateLimiter, type RateLimiter, redisRateLimiter, withFallback } from './plugins/rate-limit.js';
import { screenRoomBodies } from './plugins/property-screen.js';
import { validationPlugin } from './plugins/validation.js';
import { adminRoutes } from './routes/admin.js';
import { healthRoutes } from './routes/health.js';
import { findInspector, type InspectorStatus, inspectorRoutes } from './routes/inspector.js';
import { openApiRoutes, registerOpenApi } from './routes/openapi.js';
import { v1DoctorRoutes } from './routes/v1-doctor.js';
import { v1DomainRoutes } from './routes/v1-domain.js';
import { meetingTokenOps, v1MeetingTokenRoutes } from './routes/v1-meeting-tokens.js';
import { v1RoomRoutes } from './routes/v1-rooms.js';
import { openStore } from './store/index.js';
import { EMULATOR_HEADER, EMULATOR_HEADER_VALUE } from './version.js';
import { hotPath } from './hot-path.js';
import { type VirtualClock, virtualClock } from './emulator/clock.js';
import { emulatorControls, emulatorListener } from './emulator/index.js';

/** Request ids as Fastify makes them (`req-1`, `req-2` …), one sequence for both paths of a request. */
function requestIds(): () => string {
  let seq = 0;
  return () => {
    seq = (seq + 1) % Number.MAX_SAFE_INTEGER;
    return `req-${seq.toString(36)}`;
  };
}

/**
 * At most `max` open connections per client (address, IPv6 /64): without it one client could hold every
 * connection the server allows (with half-sent requests, reopened after each 408) and keep everyone else,
 * /healthz included, out. A client at its share that opens another loses its oldest connection with no
 * request in progress (idle, or still sending its headers), so a flood churns only its own connections and
 * a real request from the same address still gets in; when all of them are busy the new one is closed.
 */
function limitConnectionsPerClient(server: Server, max: number, onDrop: () => void): void {
  const open = new Map<string, Set<Socket>>();
  server.on('connection', (socket: Socket) => {
    const client = clientOf(socket.remoteAddress);
    let mine = open.get(client);
    if (!mine) {
      mine = new Set();
      open.set(client, mine);
    }
    if (mine.size >= max) {
      let idle: Socket | undefined;
      // Node keeps the response being written on the socket while a request is in progress
      for (const s of mine) {
        if (!(s as Socket & { _httpMessage?: unknown })._httpMessage) {
          idle = s;
          break;
        }
      }
      onDrop();
      if (!idle) {
        socket.destroy();
        return;
      }
      mine.delete(idle);
      idle.destroy();
    }
    mine.add(socket);
    const set = mine;
    socket.once('close', () => {
      set.delete(socket);
      if (set.size === 0 && open.get(client) === set) open.delete(client);
    });
  });
}

export interface BuildOptions {
  /** The service's clock (tests freeze it). Default: the real time. */
  clock?: () => Date;
  /**
   * Where log lines go; tests capture them to check that secrets never appear. Default: stderr, written
   * asynchronously, JSON when piped and short lines on a terminal.
   */
  logStream?: LogStream;
  /** The inspector package to serve at `/` (tests name one that is not installed). */
  inspectorPackage?: string;
  /**
   * Emulator mode only: the virtual clock to run on (`startDailyEmulator` passes a frozen one). Default: one
   * that runs with the real time until a test moves it.
   */
  virtualClock?: VirtualClock;
}

export type App = FastifyInstance & { ctx: AppContext; inspector: InspectorStatus };

const BUILD_OPTIONS = optionNames<BuildOptions>()(['clock', 'logStream', 'inspectorPackage', 'virtualClock']);

/**
 * Opens the store (and Redis), then builds the app. Closing the app closes both.
 *
 * @example
 * ```ts
 * const app = await buildApp(loadConfig({ port: '0' }));
 * const url = await app.listen({ port: 0, host: '127.0.0.1' });
 * ```
 */
export async function buildApp(config: ServerConfig, options: BuildOptions = {}): Promise<App> {
  assertServerConfig(config, 'buildApp');
  if (typeof options !== 'object' || options === null) throw new TypeError('buildApp options must be an object');
  assertKnownOptions(options, BUILD_OPTIONS, 'buildApp');
  if (options.virtualClock && !config.emulator)
    throw new TypeError('buildApp: virtualClock needs emulator mode (config.emulator, --emulator)');
  if (options.virtualClock && options.clock) throw new TypeError('buildApp: give clock or virtualClock, not both');
  const emulator = config.emulator
    ? emulatorControls(
        options.virtualClock ?? virtualClock({ frozen: false }),
        config.adminToken ? [config.adminToken] : [],
      )
    : undefined;
  const clock = emulator ? emulator.clock.now : (options.clock ?? (() => new Date()));
  const store = await openStore(config);
  let redis: RedisLink | undefined;
  const metrics = new Metrics();
  const state = { shuttingDown: false, storeUp: true };
  // created before Redis so the subscription can clear it
  const holder: { keys?: KeyCache; log?: FastifyBaseLogger } = {};
  try {
    if (config.redisUrl) {
      redis = await connectRedis(config.redisUrl, config.redisPrefix, () => holder.keys?.clear(), {
        commandTimeoutMs: config.redisTimeoutMs,
        retryMs: config.redisRetryMs,
        // once per change of state, not once per request
        onStateChange: (up, error) => {
          if (up) holder.log?.info('Redis is back: rate limits are shared across replicas again');
          else
            holder.log?.warn(
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

  const logStream =
    options.logStream ??
    stderrLog(undefined, (lines) => metrics.inc('daily_tokens_log_lines_dropped_total', {}, lines));
  const nextRequestId = requestIds();
  const app = Fastify({
    logger: { ...loggerOptions(config.logLevel), stream: logStream },
    genReqId: nextRequestId,
    // one line per request from requestLogPlugin, not Fastify's two ("incoming request", "request completed")
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT,
    trustProxy: config.trustProxy,
    // our own hook answers during shutdown, in Daily's error shape
    return503OnClosing: false,
    forceCloseConnections: false,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors,
    clientErrorHandler: clientErrorHandler(metrics),
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    http: {
      requestTimeout: config.requestTimeoutMs,
      headersTimeout: config.headersTimeoutMs,
      // Node looks for expired requests only this often (30 s by default, which would double the timeout)
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(config.headersTimeoutMs / 4))),
    },
  }) as unknown as App;
  app.server.maxConnections = config.maxConnections;
  app.server.on('drop', () => metrics.inc('daily_tokens_connections_dropped_total'));
  limitConnectionsPerClient(app.server, config.maxConnectionsPerAddress, () =>
    metrics.inc('daily_tokens_connections_dropped_total'),
  );

  holder.log = app.log;
  for (const warning of store.notes.warnings) app.log.warn(warning);
  let limiter: RateLimiter | undefined;
  if (config.rateLimit.length > 0) {
    limiter = redis
      ? withFallback(redisRateLimiter(redis), memoryRateLimiter(), () =>
          metrics.inc('daily_tokens_rate_limit_fallback_total'),
        )
      : memoryRateLimiter();
  }

  const ctx: AppContext = {
    config,
    store,
    keys,
    ...(limiter ? { limiter } : {}),
    throttle: new LoginThrottle(limiter),
    metrics,
    ...(redis ? { redis } : {}),
    clock,
    state,
    ...(emulator ? { emulator } : {}),
    async keysChanged() {
      keys.clear();
      if (pgNotify) {
        try {
          await sql`select pg_notify(${pgNotify.channel}, '')`.execute(store.db);
        } catch (e) {
          app.log.warn(
            { err: { message: (e as Error).message } },
            'could not announce a key change; other replicas see it within their cache TTL',
          );
        }
      }
      if (redis) {
        try {
          await redis.publishKeyChange();
        } catch (e) {
          app.log.warn(
            { err: { message: (e as Error).message } },
            'could not announce a key change; other replicas see it within their cache TTL',
          );
        }
      }
    },
  };
  app.decorate('ctx', ctx);
  app.decorateRequest('auth', null);
  app.decorateRequest('lint', null);

  const onOutage = () => {
    state.storeUp = false;
  };
  errorsPlugin(app, onOutage);
  validationPlugin(app);
  // one reply hook for the metrics and the log line, the functions the hot path calls too
  const countReply = replyCounter(metrics);
  const logRequest = requestLogger(app.log, logStream);
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url;
    countReply(request.method, route ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    logRequest?.({
      reqId: request.id,
      method: request.method,
      route,
      url: request.url,
      status: reply.statusCode,
      elapsedMs: reply.elapsedTime,
      auth: request.auth,
      lint: request.lint,
    });
    done();
  });
  // Requests that arrive while draining get 503; those already in flight (body still arriving) finish.
  // The 503 is sent once the body is read: closing a connection with a body still unread resets it, and
  // the client never sees the reply.
  const late = new WeakSet<object>();
  // (callback hooks, not async ones: these run on every request and need no promise)
  app.addHook('onRequest', (request, _reply, done) => {
    if (state.shuttingDown && request.url !== '/readyz' && request.url !== '/healthz') late.add(request);
    done();
  });
  app.addHook('preHandler', (request, _reply, done) => {
    if (late.has(request)) {
      done(
        new ApiError(503, 'server-error', 'the service is shutting down; retry on another replica or in a moment', {
          'retry-after': String(OUTAGE_RETRY_AFTER),
          connection: 'close',
        }),
      );
      return;
    }
    done();
  });
  // every API reply is JSON (error bodies included); HTML and metrics set their own types
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (!reply.hasHeader('content-type')) reply.type('application/json; charset=utf-8');
    reply.header(EMULATOR_HEADER, EMULATOR_HEADER_VALUE);
    // replies carry keys, tokens and per-caller data: never stored by a cache, never sniffed as another type
    // (the routes that serve static, public bytes set their own cache-control)
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    // while draining, a kept-alive connection closes after its reply instead of idling until the timeout
    if (state.shuttingDown) reply.header('connection', 'close');
    done(null, payload);
  });

  const ops = meetingTokenOps(ctx, logsAt(app.log, 'warn'));
  // The hot routes' plain requests are answered before Fastify sees them (src/hot-path.ts); every other
  // request reaches Fastify's own listener as before.
  const hot = hotPath({ ctx, ops, log: app.log, nextRequestId, countReply, logRequest, onOutage });
  const fastifyListener = app.server.listeners('request')[0] as (req: IncomingMessage, res: ServerResponse) => void;
  app.server.removeListener('request', fastifyListener);
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    if (!hot(req, res)) fastifyListener(req, res);
  };
  // emulator mode: faults and the journal see every request, fast path included; otherwise nothing is added
  app.server.on('request', emulator ? emulatorListener(emulator, listener) : listener);

  const inspector = await findInspector(options.inspectorPackage);
  app.decorate('inspector', { getter: () => inspector });
  await registerOpenApi(app);
  await app.register(
    async (v1) => {
      // After the body is read (replying before it would reset a client still sending), before any
      // check of it: an unauthenticated request gets 400/401, never a body error. Instance hooks run
      // before the routes' own preValidation, so this comes first.
      v1.addHook('preValidation', authHook(ctx));
      // then a body of many unknown property names is refused before the registry hints at each
      v1.addHook('preValidation', screenRoomBodies);
      await v1.register(v1DomainRoutes(ctx));
      await v1.register(v1MeetingTokenRoutes(ops), { prefix: '/meeting-tokens' });
      await v1.register(v1RoomRoutes(ctx), { prefix: '/rooms' });
      await v1.register(v1DoctorRoutes(ctx));
    },
    { prefix: '/v1' },
  );
  await app.register(adminRoutes(ctx), { prefix: '/admin' });
  await app.register(healthRoutes(ctx));
  await app.register(openApiRoutes);
  await app.register(inspectorRoutes(inspector));

  app.addHook('onClose', async () => {
    state.shuttingDown = true;
    await redis?.close();
    await pgNotify?.close();
    await store.close();
    // the last lines queued (the drain, the final requests) reach stderr before the process exits
    logStream.flush?.();
  });
  return app;
}
