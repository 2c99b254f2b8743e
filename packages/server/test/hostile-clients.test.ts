/**
 * Hostile and broken clients against one service on SQLite: deep JSON, malformed URLs and requests
 * (raw sockets), slow clients, tokens in odd places of the URL, guessed admin tokens. Every reply is
 * Daily's `{error, info}` with a 4xx, never a 500, and never echoes a token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, config, type Running, start, tempDir } from './helpers.js';

const KEY = 'hostile-key-0123456789abcdef';
const ADMIN = 'admin-token-hostile-0123456789';

let tmp: ReturnType<typeof tempDir>;
let svc: Running;
const logs: string[] = [];

beforeAll(async () => {
  tmp = tempDir();
  svc = await start(
    config({ data: tmp.dir }, { DAILY_API_KEY: KEY, DAILY_TOKENS_ADMIN_TOKEN: ADMIN, DAILY_TOKENS_LOG_LEVEL: 'info' }),
    { logStream: { write: (line) => logs.push(line) } },
  );
});
afterAll(async () => {
  await svc?.close();
  tmp?.remove();
});

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('deeply nested JSON', () => {
  it.each([
    ['POST', '/v1/rooms'],
    ['POST', '/v1/meeting-tokens'],
    ['POST', '/admin/domains'],
  ])('%s %s with 4,200 levels (8 KB) → 400 invalid-request-error, not 500', async (method, path) => {
    const r = await call(svc.url, method, path, {
      key: path.startsWith('/admin') ? ADMIN : KEY,
      raw: `{"properties":{"x":${nested(4200)}}}`,
    });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: 'invalid-request-error', info: expect.stringMatching(/more than 32 levels/) });
  });

  it('accepts nesting up to the limit', async () => {
    const r = await call(svc.url, 'POST', '/v1/rooms', { key: KEY, raw: `{"properties":{"x":${nested(30)}}}` });
    expect(r.status).toBe(200);
  });
});
