/**
 * `daily-tokens serve`: build, listen, print the ready lines (URL, inspector, a new key once),
 * and drain in-flight requests on SIGTERM/SIGINT.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import net from 'node:net';
import { dirname } from 'node:path';
import { type BuildOptions, buildApp } from './app.js';
import { assertServerConfig, ConfigError, type ServerConfig } from './config.js';
import {
  checkSnapshot,
  type EmulatorSnapshot,
  restoreSnapshot,
  SnapshotError,
  takeSnapshot,
  writeSnapshotFile,
} from './emulator/snapshot.js';
import { assertKnownOptions, optionNames } from 'daily-tokens';
import { inspectorLine } from './routes/inspector.js';

export interface ServeOptions {
  /** Where the ready lines go (stdout by default). */
  out?: (line: string) => void;
  /** Install SIGTERM/SIGINT handlers (default true). */
  signals?: boolean;
  /**
   * Frame the one-time key in a box set apart by blank lines, so a person finds it among the JSON log lines
   * that share the terminal (default: when stdout is a terminal; scripts reading a pipe get plain lines).
   */
  framed?: boolean;
  /** Passed to buildApp (tests: the inspector package to look for). */
  build?: BuildOptions;
}

const SERVE_OPTIONS = optionNames<ServeOptions>()(['out', 'signals', 'framed', 'build']);

/** The first-start lines, boxed when a person reads them. */
function keyBlock(lines: string[], framed: boolean): string[] {
  if (!framed) return lines;
  const width = Math.max(...lines.map((l) => l.length)) + 2;
  return ['', `┌${'─'.repeat(width)}`, ...lines.map((l) => `│ ${l}`), `└${'─'.repeat(width)}`, ''];
}

/**
 * Starts the service and resolves once it listens.
 *
 * @example
 * ```ts
 * const { url, close } = await serve(loadConfig({ port: '0' }));
 * ```
 */
export async function serve(config: ServerConfig, options: ServeOptions = {}) {
  assertServerConfig(config, 'serve');
  if (typeof options !== 'object' || options === null) throw new TypeError('serve options must be an object');
  assertKnownOptions(options, SERVE_OPTIONS, 'serve');
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  // both files are checked before anything starts: a typo fails at once, not when the service stops
  const imported = config.importFile ? readSnapshotFile(config.importFile) : undefined;
  if (config.exportOnExit) checkExportTarget(config.exportOnExit);
  // logs go to stderr (buildApp's default) so stdout carries only the ready lines, which scripts read
  const app = await buildApp(config, options.build);
  let restored: Awaited<ReturnType<typeof restoreSnapshot>> | undefined;
  let address: string;
  try {
    if (imported) restored = await restoreSnapshot(app.ctx, imported);
    address = await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    await app.close();
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new Error(
        `port ${config.port} on ${config.host} is in use; pick another with --port or PORT (0 picks a free one)`,
      );
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
      throw new Error(`cannot listen on host ${config.host}; check --host`);
    throw e;
  }
  const url = address.replace('://[::1]', '://localhost');
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      // from now on every reply says Connection: close and new requests get 503 (see app.ts)
      app.ctx.state.shuttingDown = true;
      const timer = setTimeout(() => {
        app.log.warn('drain timeout: closing remaining connections');
        app.server.closeAllConnections();
      }, config.drainTimeoutMs);
      timer.unref();
      await linger(app.server, Math.min(config.drainLingerMs, config.drainTimeoutMs));
      // Stop accepting without http.Server.close(), which would also destroy every idle connection at once,
      // a connection just accepted included, whose request would then be reset. Resolves once all are gone.
      const allClosed = new Promise<void>((resolve) => net.Server.prototype.close.call(app.server, () => resolve()));
      // just-accepted connections send their request within moments (and get 503 + close); then the
      // connections still idle are kept-alive ones whose clients are not sending
      await linger(app.server, SETTLE_MS);
      app.server.closeIdleConnections();
      await allClosed;
      // after the last request (the state is final), before the store closes
      let exportFailed: unknown;
      if (config.exportOnExit) {
        try {
          writeSnapshotFile(config.exportOnExit, await takeSnapshot(app.ctx));
          app.log.info({ file: config.exportOnExit }, 'state written (mode 0600: it holds API keys)');
        } catch (e) {
          exportFailed = e;
          app.log.error(
            { err: { message: (e as Error).message } },
            `could not write the state to ${config.exportOnExit}`,
          );
        }
      }
      // no connection is left: the store closes after the last reply
      await app.close();
      clearTimeout(timer);
      if (exportFailed) throw exportFailed;
    })();
    return closing;
  };
  // before the ready line: a SIGTERM that arrives before a handler exists kills the process outright
  if (options.signals !== false) {
    const onSignal = (signal: string) => {
      app.log.info({ signal }, 'draining in-flight requests');
      close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGTERM', () => onSignal('SIGTERM'));
    process.once('SIGINT', () => onSignal('SIGINT'));
  }
  const { store } = app.ctx;
  const notes = store.notes;
  out(`listening on ${url}`);
  out(inspectorLine(app.inspector, url));
  out(`store: ${store.engine} (${store.location})${config.redisUrl ? ', Redis for limits and key invalidation' : ''}`);
  if (config.allowPastExp) {
    out('for tests: POST /v1/meeting-tokens also mints tokens whose exp has passed (--allow-past-exp)');
  }
  if (config.emulator) {
    out(
      config.adminToken
        ? `emulator mode: faults, journal, clock and snapshot at ${url}/admin/ (Authorization: Bearer $DAILY_TOKENS_ADMIN_TOKEN)`
        : 'emulator mode: virtual clock on; set DAILY_TOKENS_ADMIN_TOKEN to use its controls (faults, journal, clock, snapshot) under /admin/',
    );
  }
  if (restored && config.importFile) {
    out(
      `imported ${restored.domains} domains, ${restored.keys} keys and ${restored.rooms} rooms from ${config.importFile}`,
    );
  }
  if (config.exportOnExit) {
    out(`on exit the state is written to ${config.exportOnExit} (mode 0600: it holds API keys)`);
  }
  if (notes.masterKeyFile?.created) {
    out(
      `generated DAILY_TOKENS_MASTER_KEY in ${notes.masterKeyFile.path} (mode 0600); keep it with the data, or set the variable yourself`,
    );
  }
  // an import replaced whatever the store held at start: its first or seeded key is gone
  if (notes.firstKey && !restored) {
    const framed = options.framed ?? (options.out === undefined && process.stdout.isTTY === true);
    const block = [
      `created domain ${notes.firstKey.domain.name} (domain_id ${notes.firstKey.domain.id})`,
      `API key (shown once, store it now): ${notes.firstKey.apiKey}`,
      `try: curl -H "Authorization: Bearer <that key>" ${url}/v1/`,
    ];
    for (const line of keyBlock(block, framed)) out(line);
  }
  if (!notes.firstKey && !notes.seeded && !restored) {
    out('keys are printed only when created; for a new one run: npx daily-tokens keys create [--domain <name>]');
  }
  if (notes.seeded?.createdKey && !restored)
    out(`seeded domain ${notes.seeded.domain.name} (${notes.seeded.domain.id}) with DAILY_API_KEY`);
  const dead = restored ? undefined : notes.seeded?.inactive;
  if (dead && notes.seeded) {
    const domain = notes.seeded.domain.name;
    const what =
      dead.how === 'deactivated'
        ? `was deactivated (or rotated out without grace) at ${dead.at}`
        : `was rotated out (its grace ended at ${dead.at})`;
    const line = `warning: DAILY_API_KEY (${dead.keyId} of domain ${domain}) ${what}, so every call with it gets 401. Set DAILY_API_KEY to an active key of ${domain} (npx daily-tokens keys list --domain ${domain}; a new one: npx daily-tokens keys create --domain ${domain}), or start on a fresh --data folder to seed it again`;
    out(line);
    app.log.warn({ keyId: dead.keyId, domain }, line);
  }

  return { app, url, close };
}

/** `--import FILE`: read, parsed and validated entirely, or a ConfigError naming the file and the field. */
function readSnapshotFile(file: string): EmulatorSnapshot {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `--import ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot be read (${code ?? 'error'})`}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(
      `--import ${file}: not JSON (${(e as Error).message}); give a file written by --export-on-exit or GET /admin/snapshot`,
    );
  }
  try {
    return checkSnapshot(json);
  } catch (e) {
    if (e instanceof SnapshotError) throw new ConfigError(`--import ${file}: ${e.message}`);
    throw e;
  }
}

/** `--export-on-exit FILE`: its folder must exist, and the file (if there is one) must not be a folder. */
function checkExportTarget(file: string): void {
  const folder = dirname(file);
  let isDir = false;
  try {
    isDir = statSync(folder).isDirectory();
  } catch {}
  if (!isDir) throw new ConfigError(`--export-on-exit ${file}: the folder ${folder} does not exist`);
  try {
    if (statSync(file).isDirectory()) throw new ConfigError(`--export-on-exit ${file} is a folder; name a file`);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
  }
}

/** After the listener closed, how long just-accepted connections get to send their request. */
const SETTLE_MS = 200;

/**
 * Keeps idle kept-alive connections open for up to `ms` after SIGTERM, so a client that sends on one now
 * is answered 503 + Connection: close rather than reset; ends early once no connection is open.
 */
async function linger(server: Server, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const open = await new Promise<number>((resolve) => server.getConnections((_e, n) => resolve(n ?? 0)));
    if (open === 0) return;
    await new Promise((r) => setTimeout(r, Math.min(50, Math.max(1, until - Date.now()))));
  }
}
