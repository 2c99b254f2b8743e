/**
 * Hostile and broken clients against one service on SQLite: deep JSON, malformed URLs and requests
 * (raw sockets), slow clients, tokens in odd places of the URL, guessed admin tokens. Every reply is
 * Daily's `{error, info}` with a 4xx, never a 500, and never echoes a token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskUrl } from '../src/index.js';
import { call, config, isDailyError, type Running, rawRequest, start, tempDir } from './helpers.js';

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

describe('bodies that are not objects', () => {
  it.each(['null', ' null '])('%j is refused like [] or 42, not read as an empty body', async (raw) => {
    const r = await call(svc.url, 'POST', '/v1/meeting-tokens', { key: KEY, raw });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: 'invalid-request-error', info: expect.stringMatching(/JSON null/) });
  });
});

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
    // rooms take only registry properties now: nest inside one whose value is a free-form object
    const raw = `{"properties":{"auto_transcription_settings":{"x":${nested(29)}}}}`;
    const r = await call(svc.url, 'POST', '/v1/rooms', { key: KEY, raw });
    expect(r.status).toBe(200);
  });
});

const TOKEN_LIKE = `eyJhbGciOiJIUzI1NiJ9.${'eyJyIjoieCJ9'.repeat(800)}.c2lnbmF0dXJl`;

describe('requests Fastify or Node refuse before any route runs', () => {
  const cases: [string, number, (string | Buffer)[]][] = [
    [
      'a bad percent-escape in the path',
      400,
      ['GET /v1/meeting-tokens/% HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
    ],
    [
      'a path segment over the limit (a 9.6 KB "token")',
      414,
      [`GET /v1/meeting-tokens/${TOKEN_LIKE} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`],
    ],
    ['headers over 16 KiB', 431, [`GET /v1/ HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(17_000)}\r\n\r\n`]],
    ['a request line that is not HTTP', 400, ['HELLO THERE\r\n\r\n']],
    ['a bad Content-Length', 400, ['POST /v1/rooms HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n']],
    [
      'two Content-Lengths',
      400,
      ['POST /v1/rooms HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab'],
    ],
    ['a bad chunk size', 400, ['POST /v1/rooms HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n']],
    ['a NUL in a header', 400, ['GET /v1/ HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n']],
  ];
  it.each(cases)('%s → %i in Daily’s shape, never echoing the request', async (_name, status, chunks) => {
    const r = await rawRequest(svc.url, chunks);
    expect(r.status).toBe(status);
    expect(isDailyError(r.body), r.raw).toBe(true);
    expect(r.body.error).toBe('invalid-request-error');
    expect(r.raw).not.toContain('eyJyIjoieCJ9');
    expect(r.raw).not.toMatch(/FST_ERR|Client Error/);
  });
});

describe('tokens anywhere in a URL are masked in logs and error bodies', () => {
  const T =
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyIjoic2VjcmV0LXJvb20ifQ.Zm9vYmFyYmF6cXV4cXV1eGZvb2JhcmJhenF1eHF1dXg';
  it.each([
    ['/v1/meeting-tokens/<T>', '/v1/meeting-tokens/eyJhbG…'],
    ['/V1/MEETING-TOKENS/<T>', '/V1/MEETING-TOKENS/eyJhbG…'],
    ['/v1/meeting-tokens%2F<T>', '/v1/meetin…'],
    ['/v1/meeting-tokens/<T>?ignoreNbf=true', '?ignoreNbf=true'],
    ['/join?token=<T>&x=1', '/join?token=eyJhbG…'],
    ['/join?t=<T>x#frag', '?t=eyJhbG…'],
  ])('maskUrl(%s)', (path, kept) => {
    const url = path.replace('<T>', T);
    const masked = maskUrl(url);
    expect(masked).toContain(kept);
    expect(masked).not.toContain(T.slice(20, 40));
  });

  it('masks dots written as %2E, double encoding and API keys in a query, keeps UUIDs and short names', () => {
    const dotted = T.replaceAll('.', '%2E');
    expect(maskUrl(`/v1/meeting-tokens/${dotted}`)).toBe(`/v1/meeting-tokens/eyJhbG…(${dotted.length} chars)`);
    const twice = T.replaceAll('.', '%252E');
    expect(maskUrl(`/x/${twice}`)).not.toContain('InR5cCI6');
    const apiKey = 'a'.repeat(64);
    expect(maskUrl(`/v1/?api_key=${apiKey}`)).toBe('/v1/?api_key=aaaaaa…(64 chars)');
    const id = '3c9d2a10-aaaa-4bbb-8ccc-0123456789ab';
    expect(maskUrl(`/admin/domains/${id}/keys`)).toBe(`/admin/domains/${id}/keys`);
    expect(maskUrl('/v1/rooms/my-room?limit=5')).toBe('/v1/rooms/my-room?limit=5');
  });

  it('over HTTP: none of these URLs puts the token in a log line or a reply', async () => {
    const minted = await call(svc.url, 'POST', '/v1/meeting-tokens', {
      key: KEY,
      body: { properties: { room_name: 'r' } },
    });
    const token = minted.body.token as string;
    for (const path of [
      `/V1/MEETING-TOKENS/${token}`,
      `/v1/meeting-tokens%2F${token}`,
      `/v1/meeting-tokens/${token}?token=${token}`,
      `/nowhere?token=${token}`,
      `/v1/meeting-tokens/${token.replaceAll('.', '%2E')}`,
    ]) {
      const r = await call(svc.url, 'GET', path, { key: KEY });
      expect(r.status).toBeLessThan(500);
      expect(JSON.stringify(r.body)).not.toContain(token.split('.')[1]);
    }
    const all = logs.join('');
    expect(all).toContain('/V1/MEETING-TOKENS/eyJhbG…');
    for (const part of token.split('.')) expect(all).not.toContain(part);
  });
});

describe('tokens with a fake signature', () => {
  it('cost a bounded answer: a 7 KB token full of recording-option typos is refused for its signature alone', async () => {
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    // values of the wrong type: errors, which make Daily drop sro (unknown keys would only be warnings)
    const sro = {
      layout: {
        preset: 'custom',
        composition_params: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`videobitrat${i}`, []])),
      },
    };
    const payload = { r: 'x', exp: Math.floor(Date.now() / 1000) + 600, sro };
    const token = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(payload)}.${'A'.repeat(43)}`;
    expect(token.length).toBeGreaterThan(7000);
    expect(token.length).toBeLessThanOrEqual(8192);
    const r = await call(svc.url, 'GET', `/v1/meeting-tokens/${token}`, { key: KEY });
    expect(r.status).toBe(400);
    expect(isDailyError(r.body)).toBe(true);
    expect(r.body.info).toMatch(/^invalid meeting token: the signature does not match/);
    // The refusal names why Daily refuses (the signature); a claim Daily drops is no reason to refuse.
    expect(r.body.info).not.toMatch(/must be a boolean, number or string|recording option/);
    expect(JSON.stringify(r.body).length).toBeLessThan(8_000);
  });
});
