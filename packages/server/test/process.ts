/**
 * The real `daily-tokens serve` in a child process (the CLI's bin, built), for faults that end or signal a
 * process: connection kills, SIGTERM. Output is kept so a failing test can show why.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const BIN = join(here, '../../cli/bin/daily-tokens.js');
const SRC = join(here, '../src');
const DIST = join(here, '../dist/serve.js');

/** The child runs the built code: refuse to test a build older than the sources. */
function assertFreshBuild(): void {
  const newest = (dir: string): number =>
    Math.max(
      ...readdirSync(dir, { withFileTypes: true }).map((e) =>
        e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs,
      ),
    );
  let built = 0;
  try {
    built = statSync(DIST).mtimeMs;
  } catch {}
  if (built < newest(SRC)) throw new Error('packages/server/dist is older than src; run `npm run build` first');
}

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  /** stdout + stderr so far */
  output(): string;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string>;
  /** SIGKILL if still running (for cleanup). */
  kill(): Promise<void>;
}

/**
 * `readStderr: false` leaves the child's stderr unread, as a stalled log shipper would: once the pipe is full
 * the service's log queue fills, and lines past it are dropped (output() then holds stdout only).
 */
export async function spawnServe(
  env: Record<string, string>,
  args: string[] = [],
  { readStderr = true }: { readStderr?: boolean } = {},
): Promise<ServeProcess> {
  assertFreshBuild();
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', ...args], {
    env: { PATH: process.env.PATH ?? '', DAILY_TOKENS_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  if (readStderr)
    child.stderr?.on('data', (d) => {
      out += d;
    });
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start within 20 s:\n${out}`)), 20_000);
    const onData = () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code}) before listening:\n${out}`));
    });
  });
  return {
    child,
    url,
    output: () => out,
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
