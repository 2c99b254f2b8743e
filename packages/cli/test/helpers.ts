/** Runs the real `daily-tokens` binary as a subprocess, building it first when dist is missing or stale. */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const PKG = resolve(here, '..');
export const ROOT = resolve(PKG, '../..');
export const BIN = join(PKG, 'bin/daily-tokens.js');
const MAIN = join(PKG, 'dist/main.cjs');
const CORE_DIST = join(ROOT, 'packages/core/dist/esm/index.js');
const LOCK = join(PKG, '.build-lock');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

const isStale = () =>
  existsSync(LOCK) ||
  !existsSync(CORE_DIST) ||
  !existsSync(MAIN) ||
  statSync(MAIN).mtimeMs < newestMtime(join(PKG, 'src')) ||
  // the library is bundled into the CLI's build
  statSync(MAIN).mtimeMs < statSync(CORE_DIST).mtimeMs;

/** Builds core (if missing) and the CLI (if stale), once across parallel test files. */
export async function ensureBuilt(): Promise<void> {
  // A build in progress writes dist file by file: wait for it to finish before judging staleness.
  await waitForLock();
  if (!isStale()) return;
  try {
    mkdirSync(LOCK);
  } catch {
    await waitForLock();
    return;
  }
  try {
    if (!existsSync(CORE_DIST))
      execFileSync('npm', ['run', 'build', '-w', 'daily-tokens'], { cwd: ROOT, stdio: 'ignore' });
    execFileSync('npm', ['run', 'build', '-w', '@daily-tokens/cli'], { cwd: ROOT, stdio: 'ignore' });
  } finally {
    rmdirSync(LOCK);
  }
}

async function waitForLock(): Promise<void> {
  const deadline = Date.now() + 170_000;
  while (existsSync(LOCK) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  input?: string | Buffer;
  cwd?: string;
  /** A file descriptor for stdout, for outputs too big to hold. */
  stdoutFd?: number;
}

/** A clean environment: nothing of the developer's DAILY_* or colour settings leaks into tests. */
export function baseEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8' };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

export function runCli(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: baseEnv(opts.env),
      stdio: ['pipe', opts.stdoutFd ?? 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin?.on('error', () => {});
    child.stdin?.end(opts.input ?? '');
  });
}

/** Shared test data: Daily's documented example token, a frozen clock, and keys. */
export const DOCS_TOKEN =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJuYmYiOjE1NDg3MjE1NjksImV4cCI6MTg2NDA4MTUzOCwiciI6ImhlbGxvIiwibyI6dHJ1ZSwic3MiOnRydWUsImVyIjoibG9jYWwiLCJkIjoiMjVkZjUwNTctZWYwZC00ZDk3LWJkZTYtMGNmMjg3Mjc2Y2JiIiwiaWF0IjoxNTQ4NzIxODMxfQ.mvVciAengBR4xCblhFpo4mKYftQv1skYO4Y6IKr9Zgo';
export const NOW_ISO = '2024-03-09T15:00:00Z';
export const NOW_S = Date.parse(NOW_ISO) / 1000;
export const KEY = 'cli-test-domain-api-key-0123456789-abcdefghij';
export const OLD_KEY = 'cli-test-rotated-out-key-0123456789-zyxwvuts';
export const DOMAIN = '25df5057-ef0d-4d97-bde6-0cf287276cbb';
export const KEY_ENV = { DAILY_API_KEY: KEY, DAILY_DOMAIN_ID: DOMAIN };

export function payloadOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}
