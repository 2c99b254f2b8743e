/** Test helpers: real services on 127.0.0.1 (port 0), temporary SQLite folders, Postgres schemas. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
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
