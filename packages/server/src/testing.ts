/**
 * `@daily-tokens/server/testing`: the Daily emulator as a test dependency. `startDailyEmulator()` starts
 * the service in-process on 127.0.0.1 (port 0), on SQLite in memory (nothing written to disk), seeded with one domain and
 * its API key, with a virtual clock that tests move forward: token `exp`/`nbf`, room `exp` and the rate-limit
 * windows (per key, and the failed-login throttle) follow it.
 * `close()` stops it, leaving nothing listening and nothing on disk.
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
import { assertKnownOptions, optionNames } from 'daily-tokens';
import { type App, buildApp } from './http/app.js';
import { IN_MEMORY, loadConfig } from './config.js';
import { instant, type VirtualClock, virtualClock } from './emulator/clock.js';
import type { FaultInjector } from './emulator/faults.js';
import type { RequestJournal } from './emulator/journal.js';
import { resetEmulator } from './emulator/reset.js';
import { type EmulatorSnapshot, restoreSnapshot, takeSnapshot } from './emulator/snapshot.js';

export type { VirtualClock } from './emulator/clock.js';
export type { Fault, FaultRule } from './emulator/faults.js';
export type { JournalEntry, JournalQuery } from './emulator/journal.js';
export type { EmulatorSnapshot, SnapshotDomain, SnapshotRoom } from './emulator/snapshot.js';

export interface DailyEmulatorOptions {
  /** Default 0: a free port. */
  port?: number;
  /** The domain's API key. Default: a random one (read it from `apiKey`). */
  apiKey?: string;
  /** Where the virtual clock starts: a Date or unix seconds. Default: the real time. */
  now?: Date | number;
  /** Daily's rate limits (`20/1s,100/5s` …) or `off`. Default: off, so a test suite is never throttled. */
  rateLimit?: string;
  /**
   * The admin token of the HTTP controls (`Authorization: Bearer <token>` on `/admin/…`), at least 16
   * characters. Default: a random one (read it from `adminToken`).
   */
  adminToken?: string;
}

export interface DailyEmulator {
  /** Daily's REST base, `http://127.0.0.1:<port>/v1`: give it to your Daily client. */
  baseUrl: string;
  /** The origin, `http://127.0.0.1:<port>` (admin routes, the inspector). */
  origin: string;
  apiKey: string;
  /** The admin token of the HTTP controls under `${origin}/admin/` (faults, journal, clock, snapshot). */
  adminToken: string;
  /** The domain's id (the `d` claim of its tokens). */
  domainId: string;
  /** The virtual time, frozen: it moves only when a test advances or sets it. */
  clock: VirtualClock;
  /**
   * Fault rules: make the next calls (or a share of them) answer 429/5xx, slowly, or drop the connection.
   *
   * @example
   * ```ts
   * daily.faults.add({ method: 'POST', path: '/v1/rooms', status: 429, retryAfter: 1, times: 2 });
   * ```
   */
  faults: Pick<FaultInjector, 'add' | 'list' | 'remove' | 'clear'>;
  /**
   * What was called, with bodies and replies, secrets masked; the last 1000 requests.
   *
   * @example
   * ```ts
   * expect(daily.journal.list({ method: 'POST', path: '/v1/rooms' })).toHaveLength(1);
   * ```
   */
  journal: Pick<RequestJournal, 'list' | 'clear'>;
  /**
   * The whole state (domains, their config, API keys with their secrets, rooms) as a JSON-able object with
   * a `version`. It holds keys: keep it out of logs and shared places.
   *
   * @example
   * ```ts
   * const state = await daily.snapshot();
   * // … the test changes rooms …
   * await daily.restore(state); // back to where it was
   * ```
   */
  snapshot(): Promise<EmulatorSnapshot>;
  /**
   * Replaces the whole state with a snapshot (validated first; `TypeError` naming the field when it is not
   * one, and nothing changes). `apiKey` and `domainId` above stay what they were: read the restored ones from
   * the snapshot if it has others.
   */
  restore(snapshot: EmulatorSnapshot): Promise<void>;
  /**
   * Deletes every room and domain config set since the start, clears the rate-limit counters, removes
   * every fault rule and empties the journal.
   */
  reset(): Promise<void>;
  /** Stops the service; nothing is left listening, and its state (in memory) is gone. */
  close(): Promise<void>;
  /** The Fastify app, for what the handles above do not cover. */
  app: App;
}

const OPTIONS = optionNames<DailyEmulatorOptions>()(['port', 'apiKey', 'now', 'rateLimit', 'adminToken']);

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
  const adminToken = options.adminToken ?? `emuadm_${randomBytes(24).toString('hex')}`;
  if (typeof adminToken !== 'string' || adminToken.length < 16)
    throw new TypeError('adminToken must be a string of at least 16 characters');
  const clock: VirtualClock = virtualClock({
    frozen: true,
    ...(options.now === undefined ? {} : { start: instant(options.now, 'now') }),
  });

  let app: App | undefined;
  try {
    const config = loadConfig(
      { port: String(port), host: '127.0.0.1', data: IN_MEMORY, rateLimit, emulator: true },
      {
        DAILY_API_KEY: apiKey,
        DAILY_TOKENS_ADMIN_TOKEN: adminToken,
        DAILY_TOKENS_LOG_LEVEL: 'silent',
        DAILY_TOKENS_MASTER_KEY: randomBytes(32).toString('hex'),
      },
    );
    app = await buildApp(config, { virtualClock: clock });
    const origin = await app.listen({ port, host: '127.0.0.1' });
    const domain = (await app.ctx.store.domains.list())[0];
    if (!domain) throw new Error('the emulator seeded no domain');
    const running = app;
    const controls = running.emulator;
    if (!controls) throw new Error('the emulator started without its controls');
    const { faults, journal } = controls;
    return {
      baseUrl: `${origin}/v1`,
      origin,
      apiKey,
      adminToken,
      domainId: domain.id,
      clock,
      faults: {
        add: (rule) => faults.add(rule),
        list: () => faults.list(),
        remove: (id) => faults.remove(id),
        clear: () => faults.clear(),
      },
      journal: { list: (query) => journal.list(query), clear: () => journal.clear() },
      snapshot: () => takeSnapshot(running.ctx),
      async restore(snapshot) {
        await restoreSnapshot(running.ctx, snapshot);
      },
      app: running,
      async reset() {
        await resetEmulator(running.ctx, controls);
      },
      async close() {
        await running.close();
      },
    };
  } catch (e) {
    await app?.close();
    throw e;
  }
}
