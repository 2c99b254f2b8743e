/**
 * `@daily-tokens/server/testing`: the Daily emulator as a test dependency. `startDailyEmulator()` starts
 * the service in-process on 127.0.0.1 (port 0), on SQLite in a temporary folder, seeded with one domain and
 * its API key, with a virtual clock that tests move forward: token `exp`/`nbf`, room `exp` and the rate-limit
 * windows (per key, and the failed-login throttle) follow it.
 * `close()` stops it and removes its folder, leaving nothing listening.
 *
 * @example
 * ```ts
 * import { startDailyEmulator } from '@daily-tokens/server/testing';
 * const daily = await startDailyEmulator();
 * process.env.DAILY_API_URL = daily.baseUrl; // your app's Daily client, pointed at the emulator
 * // … create a room and a token through your app …
 * daily.clock.advance('2h');                  // the token has expired now, without waiting
 * await daily.reset();                        // a clean slate for the next test
 * await daily.close();
 * ```
 * @packageDocumentation
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertKnownOptions, type Duration, optionNames, parseDuration } from 'daily-tokens';
import { type App, buildApp } from './http/app.js';
import { loadConfig } from './config.js';
import { resetEmulator } from './emulator/reset.js';

export interface DailyEmulatorOptions {
  /** Default 0: a free port. */
  port?: number;
  /** The domain's API key. Default: a random one (read it from `apiKey`). */
  apiKey?: string;
  /** Where the virtual clock starts: a Date or unix seconds. Default: the real time. */
  now?: Date | number;
  /** Daily's rate limits (`20/1s,100/5s` …) or `off`. Default: off, so a test suite is never throttled. */
  rateLimit?: string;
}

/** The emulator's time: the service reads it for every token, room and rate-limit decision. */
export interface VirtualClock {
  now(): Date;
  /** Moves time forward by a duration (`90s`, `2h`, or seconds); returns the new time. */
  advance(by: Duration): Date;
  /** Sets the time (a Date or unix seconds); returns it. */
  set(to: Date | number): Date;
}

export interface DailyEmulator {
  /** Daily's REST base, `http://127.0.0.1:<port>/v1`: give it to your Daily client. */
  baseUrl: string;
  /** The origin, `http://127.0.0.1:<port>` (admin routes, the inspector). */
  origin: string;
  apiKey: string;
  /** The domain's id (the `d` claim of its tokens). */
  domainId: string;
  clock: VirtualClock;
  /** Deletes every room and domain config set since the start, and clears the rate-limit counters. */
  reset(): Promise<void>;
  /** Stops the service and removes its folder; nothing is left listening. */
  close(): Promise<void>;
  /** The Fastify app, for what the handles above do not cover. */
  app: App;
}

const OPTIONS = optionNames<DailyEmulatorOptions>()(['port', 'apiKey', 'now', 'rateLimit']);

function instant(value: Date | number, name: string): Date {
  const d = typeof value === 'number' ? new Date(value * 1000) : value;
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new TypeError(`${name} must be a Date or unix seconds`);
  return new Date(d.getTime());
}

/**
 * Starts a Daily emulator for a test run. See the module's example.
 */
export async function startDailyEmulator(options: DailyEmulatorOptions = {}): Promise<DailyEmulator> {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('startDailyEmulator options must be an object');
  assertKnownOptions(options, OPTIONS, 'startDailyEmulator');
  const { port = 0, rateLimit = 'off' } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new TypeError('port must be a whole number from 0 to 65535');
  const apiKey = options.apiKey ?? `emu_${randomBytes(24).toString('hex')}`;
  let time = options.now === undefined ? new Date() : instant(options.now, 'now');
  const clock: VirtualClock = {
    now: () => new Date(time.getTime()),
    advance(by) {
      time = new Date(time.getTime() + parseDuration(by, 'advance') * 1000);
      return clock.now();
    },
    set(to) {
      time = instant(to, 'set');
      return clock.now();
    },
  };

  const dir = mkdtempSync(join(tmpdir(), 'daily-emulator-'));
  let app: App | undefined;
  try {
    const config = loadConfig(
      { port: String(port), host: '127.0.0.1', data: dir, rateLimit },
      {
        DAILY_API_KEY: apiKey,
        DAILY_TOKENS_LOG_LEVEL: 'silent',
        DAILY_TOKENS_MASTER_KEY: randomBytes(32).toString('hex'),
      },
    );
    app = await buildApp(config, { clock: clock.now });
    const origin = await app.listen({ port, host: '127.0.0.1' });
    const domain = (await app.ctx.store.domains.list())[0];
    if (!domain) throw new Error('the emulator seeded no domain');
    const running = app;
    return {
      baseUrl: `${origin}/v1`,
      origin,
      apiKey,
      domainId: domain.id,
      clock,
      app: running,
      async reset() {
        await resetEmulator(running.ctx);
      },
      async close() {
        await running.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
