/**
 * `buildApp(config)`: the service (service/open.ts) under its two front ends, the Fastify app with one
 * plugin per concern and the fast path for the hot token routes, on one node:http server. Used by
 * `daily-tokens serve` and by the tests through real sockets.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { assertKnownOptions, optionNames } from 'daily-tokens';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { assertServerConfig, type ServerConfig } from '../config.js';
import { loggerOptions, logsAt } from '../logging/logger.js';
import { requestLogger } from '../logging/request-log.js';
import { type LogStream, stderrLog } from '../logging/writer.js';
import type { Metrics } from '../metrics/registry.js';
import { replyCounter } from '../metrics/replies.js';
import type { AppContext } from '../service/context.js';
import { meetingTokenOps } from '../service/meeting-tokens.js';
import { openService } from '../service/open.js';
import { BODY_LIMIT } from './body.js';
import { clientErrorHandler, frameworkErrors, MAX_PARAM_LENGTH } from './client-errors.js';
import { limitConnectionsPerClient, requestIds } from './connections.js';
import { fastPath } from './fast-path.js';
import { authPlugin } from './plugins/auth.js';
import { drainPlugin } from './plugins/drain.js';
import { errorsPlugin } from './plugins/errors.js';
import { openApiPlugin } from './plugins/openapi.js';
import { replyHeadersPlugin } from './plugins/reply-headers.js';
import { requestLogPlugin } from './plugins/request-log.js';
import { validationPlugin } from './plugins/validation.js';
import { type VirtualClock, virtualClock } from '../emulator/clock.js';
import { type EmulatorControls, emulatorControls, emulatorListener } from '../emulator/index.js';
import { adminRoutes } from './routes/admin.js';
import { doctorRoutes } from './routes/doctor.js';
import { domainRoutes } from './routes/domain.js';
import { healthRoutes } from './routes/health.js';
import { findInspector, type InspectorStatus, inspectorRoutes } from './routes/inspector.js';
import { meetingTokenRoutes } from './routes/meeting-tokens.js';
import { openApiRoutes } from './routes/openapi.js';
import { roomRoutes } from './routes/rooms.js';

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

export type App = FastifyInstance & {
  ctx: AppContext;
  inspector: InspectorStatus;
  /** Emulator mode only (config.emulator): the virtual clock, fault rules and request journal. */
  emulator: EmulatorControls | undefined;
};

const BUILD_OPTIONS = optionNames<BuildOptions>()(['clock', 'logStream', 'inspectorPackage', 'virtualClock']);

/** The Fastify instance: logging, limits and timeouts from the config, failures before a route in Daily's shape. */
function fastify(config: ServerConfig, metrics: Metrics, logStream: LogStream, genReqId: () => string): App {
  const app = Fastify({
    logger: { ...loggerOptions(config.logLevel), stream: logStream },
    genReqId,
    // one line per request from the request-log plugin, not Fastify's two ("incoming request", "request completed")
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT,
    trustProxy: config.trustProxy,
    // the drain plugin answers during shutdown, in Daily's error shape
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
  return app;
}

/**
 * Opens the service (store, Redis …), then builds the app over it. Closing the app closes both.
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
  // the emulator's virtual clock is the service's clock: tokens, rooms and rate-limit windows follow it
  const clock = emulator ? emulator.clock.now : options.clock;
  let log: FastifyBaseLogger | undefined;
  const service = await openService(config, { ...(clock ? { clock } : {}), log: () => log });
  const { ctx } = service;
  const { metrics, state } = ctx;
  const logStream =
    options.logStream ??
    stderrLog(undefined, (lines) => metrics.inc('daily_tokens_log_lines_dropped_total', {}, lines));
  const nextRequestId = requestIds();
  const app = fastify(config, metrics, logStream, nextRequestId);
  log = app.log;
  for (const warning of ctx.store.notes.warnings) app.log.warn(warning);
  app.decorate('ctx', ctx);
  app.decorate('emulator', emulator);

  const onOutage = () => {
    state.storeUp = false;
  };
  // the functions the fast path counts and logs with too
  const countReply = replyCounter(metrics);
  const logRequest = requestLogger(app.log, logStream);
  await app.register(errorsPlugin, { onOutage });
  await app.register(validationPlugin);
  await app.register(requestLogPlugin, { countReply, logRequest });
  await app.register(drainPlugin, { state });
  await app.register(replyHeadersPlugin, { state });

  const ops = meetingTokenOps(ctx, logsAt(app.log, 'warn'));
  // The hot routes' plain requests are answered before Fastify sees them (http/fast-path.ts); every other
  // request reaches Fastify's own listener as before.
  const hot = fastPath({ ctx, ops, log: app.log, nextRequestId, countReply, logRequest, onOutage });
  const fastifyListener = app.server.listeners('request')[0] as (req: IncomingMessage, res: ServerResponse) => void;
  app.server.removeListener('request', fastifyListener);
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    if (!hot(req, res)) fastifyListener(req, res);
  };
  // emulator mode: faults and the journal see every request, fast path included; otherwise nothing is added
  app.server.on('request', emulator ? emulatorListener(emulator, listener) : listener);

  const inspector = await findInspector(options.inspectorPackage);
  app.decorate('inspector', { getter: () => inspector });
  await app.register(openApiPlugin);
  await app.register(
    async (v1) => {
      // first of the scope's preValidation hooks, so an unauthenticated request never gets a body error
      await v1.register(authPlugin, { ctx });
      await v1.register(domainRoutes(ctx));
      await v1.register(meetingTokenRoutes(ops), { prefix: '/meeting-tokens' });
      await v1.register(roomRoutes(ctx), { prefix: '/rooms' });
      await v1.register(doctorRoutes(ctx));
    },
    { prefix: '/v1' },
  );
  await app.register(adminRoutes(ctx, emulator), { prefix: '/admin' });
  await app.register(healthRoutes(ctx));
  await app.register(openApiRoutes);
  await app.register(inspectorRoutes(inspector));

  app.addHook('onClose', async () => {
    state.shuttingDown = true;
    await service.close();
    // the last lines queued (the drain, the final requests) reach stderr before the process exits
    logStream.flush?.();
  });
  return app;
}
