/**
 * @daily-tokens/server: a Daily-compatible meeting-token service.
 *
 * @example
 * ```ts
 * import { buildApp, loadConfig } from '@daily-tokens/server';
 * const app = await buildApp(loadConfig({ port: '0', data: './.daily-tokens' }));
 * console.log(await app.listen({ port: 0, host: '127.0.0.1' }));
 * ```
 * @packageDocumentation
 */
export { buildApp } from './app.js';
export type { App, BuildOptions } from './app.js';
export { ConfigError, DEFAULT_RATE_LIMIT, loadConfig, parseRateLimit } from './config.js';
export type { RateLimitWindow, ServerConfig, ServerFlags } from './config.js';
export { virtualClock } from './emulator/clock.js';
export type { VirtualClock } from './emulator/clock.js';
export { ApiError } from './errors.js';
export type { DailyErrorType } from './errors.js';
export { serve } from './serve.js';
export { openStore } from './store/index.js';
export type { OpenStoreOptions, Store } from './store/index.js';
export { registerServerCommands } from './cli.js';
export { maskUrl } from './plugins/logging.js';
