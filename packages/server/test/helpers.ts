/** Test helpers: real services on 127.0.0.1 (port 0), temporary SQLite folders, Postgres schemas. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll } from 'vitest';
import {
  type App,
  buildApp,
  type BuildOptions,
  loadConfig,
  type ServerConfig,
  type ServerFlags,
} from '../src/index.js';

export const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const MASTER_KEY = 'test-master-key-0123456789abcdef0123456789';

export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'dt-server-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Data folders for a test file, each removed after the test that made it: `fresh()` names a folder inside
 * a new temporary one (not created, as a first start finds it).
 */
export function freshDataDirs(): () => string {
  const dirs: ReturnType<typeof tempDir>[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) d.remove();
  });
  return () => {
    const t = tempDir();
    dirs.push(t);
    return join(t.dir, 'data');
  };
}

/**
 * One service per test: a test sets `each.tmp` and `each.svc`; after it, the service is closed and the
 * folder removed (either may be missing).
 */
export function servicePerTest(): { tmp?: ReturnType<typeof tempDir>; svc?: Running } {
  const each: { tmp?: ReturnType<typeof tempDir>; svc?: Running } = {};
  afterEach(async () => {
    await each.svc?.close();
    each.tmp?.remove();
    each.svc = undefined;
    each.tmp = undefined;
  });
  return each;
}

export function config(flags: ServerFlags, env: Record<string, string> = {}): ServerConfig {
  return loadConfig({ port: '0', rateLimit: 'off', ...flags }, { DAILY_TOKENS_LOG_LEVEL: 'silent', ...env });
}

export interface Running {
  app: App;
  url: string;
  close(): Promise<void>;
}

export async function start(cfg: ServerConfig, options: BuildOptions = {}): Promise<Running> {
  const app = await buildApp(cfg, options);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url, close: () => app.close() };
}

/**
 * One service on SQLite in a temporary folder, seeded with `apiKey`, for a whole test file: started before
 * the first test, closed and removed after the last. Read `.svc` inside tests.
 */
export function serviceForFile(apiKey: string, env: Record<string, string> = {}): { svc: Running } {
  const holder = {} as { svc: Running };
  let tmp: ReturnType<typeof tempDir> | undefined;
  beforeAll(async () => {
    tmp = tempDir();
    holder.svc = await start(config({ data: tmp.dir }, { DAILY_API_KEY: apiKey, ...env }));
  });
  afterAll(async () => {
    await holder.svc?.close();
    tmp?.remove();
  });
  return holder;
}

export interface Reply {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: reply bodies are arbitrary JSON, checked by the assertions
  body: any;
}

/** A request as Daily clients send it: JSON content type, Bearer key. */
export async function call(
  url: string,
  method: string,
  path: string,
  {
    key,
    body,
    raw,
    headers = {},
  }: { key?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(key !== undefined ? { authorization: `Bearer ${key}` } : {}),
      ...headers,
    },
    ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: res.status, headers: res.headers, body: parsed };
}

/** A Postgres schema of its own for one test file, dropped afterwards. */
export async function pgSchema(): Promise<{ schema: string; drop(): Promise<void> }> {
  const schema = `dt_${randomBytes(6).toString('hex')}`;
  return {
    schema,
    async drop() {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}

export const randomPrefix = () => `dt-test-${randomBytes(6).toString('hex')}:`;

export interface RawReply {
  /** 0 when the server closed without a reply */
  status: number;
  head: string;
  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON or the raw text, checked by the assertions
  body: any;
  raw: string;
}

/** Parses the first HTTP reply of a raw socket's bytes. */
export function parseRaw(raw: string): RawReply {
  const at = raw.indexOf('\r\n\r\n');
  const head = at >= 0 ? raw.slice(0, at) : raw;
  const text = at >= 0 ? raw.slice(at + 4) : '';
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0), head, body, raw };
}

/**
 * Writes `chunks` to a raw socket (waiting `gapMs` between them) and resolves with what the server sent
 * once it closes the connection, or after `timeoutMs` (then the socket is destroyed).
 */
export async function rawRequest(
  url: string,
  chunks: (string | Buffer)[],
  { gapMs = 0, timeoutMs = 5000 }: { gapMs?: number; timeoutMs?: number } = {},
): Promise<RawReply & { closedByServer: boolean }> {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  socket.on('error', () => {});
  let raw = '';
  socket.on('data', (d) => {
    raw += d.toString('latin1');
  });
  let closedByServer = false;
  const closed = new Promise<void>((resolve) => {
    socket.once('close', () => resolve());
    socket.once('end', () => {
      closedByServer = true;
    });
  });
  const timer = setTimeout(() => socket.destroy(), timeoutMs);
  await new Promise((r) => socket.once('connect', r));
  for (const [i, chunk] of chunks.entries()) {
    if (socket.destroyed) break;
    if (i > 0 && gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
    socket.write(chunk);
  }
  await closed;
  clearTimeout(timer);
  return { ...parseRaw(raw), closedByServer };
}

/**
 * A GET with an API key from another loopback address (`127.0.0.2` …; all of 127/8 is loopback on Linux):
 * a client of its own for the per-client budgets. Resolves with the status.
 */
export function getFrom(url: string, localAddress: string, path: string, key: string): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: hostname, port, path, localAddress, headers: { authorization: `Bearer ${key}` } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Daily's error shape and nothing else. */
export function isDailyError(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const keys = Object.keys(body).sort();
  const b = body as Record<string, unknown>;
  return keys.join(',') === 'error,info' && typeof b.error === 'string' && typeof b.info === 'string';
}

/** Polls `check` every `everyMs` until it holds or `ms` have passed; whether it held. */
export async function until(check: () => Promise<boolean>, ms = 5000, everyMs = 50): Promise<boolean> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return false;
}

/** Polls `probe` until it answers `want` or `ms` have passed; the last status it answered. */
export async function untilStatus(
  probe: () => Promise<{ status: number }>,
  want: number,
  ms = 5000,
  everyMs = 50,
): Promise<number> {
  let status = 0;
  await until(
    async () => {
      status = (await probe()).status;
      return status === want;
    },
    ms,
    everyMs,
  );
  return status;
}
