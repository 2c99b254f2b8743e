/**
 * The fast path (src/http/fast-path.ts) against odd and hostile clients over raw sockets. Each request is sent as
 * the fast path takes it (`/v1/meeting-tokens`) and with an empty query string (`/v1/meeting-tokens?`), which
 * only Fastify serves, on the same route: status, body and headers must agree, and the fast-path counter
 * says which path ran. Also: a key deactivated or rotated while a body is still arriving, clients that
 * leave mid-body, and no key or token in any log line or error body.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  config,
  isDailyError,
  MASTER_KEY,
  parseRaw,
  type RawReply,
  type Running,
  rawRequest,
  start,
  tempDir,
} from './helpers.js';

const KEY = 'hot-hostile-key-0123456789abcdef0123';
const ADMIN = 'admin-token-hot-hostile-0123456789';
const REQUEST_MS = 800;
const exp = () => Math.floor(Date.now() / 1000) + 3600;

let tmp: ReturnType<typeof tempDir>;
let svc: Running;
const logs: string[] = [];

beforeAll(async () => {
  tmp = tempDir();
  const cfg = config(
    { data: tmp.dir },
    {
      DAILY_API_KEY: KEY,
      DAILY_TOKENS_ADMIN_TOKEN: ADMIN,
      DAILY_TOKENS_MASTER_KEY: MASTER_KEY,
      DAILY_TOKENS_LOG_LEVEL: 'info',
      DAILY_TOKENS_REQUEST_TIMEOUT: `${REQUEST_MS}ms`,
      DAILY_TOKENS_HEADERS_TIMEOUT: `${REQUEST_MS}ms`,
    },
  );
  // a long TTL: only an invalidation can make the cache forget a key here
  svc = await start({ ...cfg, keyCacheTtlMs: 60_000 }, { logStream: { write: (line) => logs.push(line) } });
  // loads KEY into the key cache (through Fastify); from then on the fast path may serve it
  expect((await call(svc.url, 'GET', '/v1/', { key: KEY })).status).toBe(200);
});
afterAll(async () => {
  await svc?.close();
  tmp?.remove();
});

async function fastCount(): Promise<number> {
  const text = await (await fetch(`${svc.url}/metrics`)).text();
  let n = 0;
  for (const m of text.matchAll(/^daily_tokens_fast_path_requests_total\{[^}]*\} (\d+)$/gm)) n += Number(m[1]);
  return n;
}

const BODY = JSON.stringify({ properties: { room_name: 'odd-client', exp: exp() } });

/** The request line and headers; `Connection: close` so the raw reader knows when the reply is complete. */
function head(method: string, path: string, headers: string[], key = KEY): string {
  return `${method} ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nConnection: close\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`;
}

/** Headers that must agree (date and keep-alive timing are Node's own). */
function headers(r: RawReply): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of r.head.split('\r\n').slice(1)) {
    const at = line.indexOf(':');
    const name = line.slice(0, at).toLowerCase();
    if (name !== 'date' && name !== 'keep-alive') out[name] = line.slice(at + 1).trim();
  }
  return out;
}

/** A JWT's claims without iat (which may tick between two requests). */
function claims(token: string): Record<string, unknown> {
  const { iat: _i, ...rest } = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString());
  return rest;
}

/**
 * A reply body with each token in it replaced by its claims without iat, so that two mints a second apart
 * compare alike: a parsed `{ token }`, or raw text (after a `100 Continue` the body is not parsed).
 */
function comparable(body: unknown): unknown {
  if (typeof body === 'string')
    return body.replace(
      /"token":"([\w-]+\.[\w-]+\.[\w-]+)"/g,
      (_, t: string) => `"token":${JSON.stringify(claims(t))}`,
    );
  if (typeof body === 'object' && body !== null && typeof (body as { token?: unknown }).token === 'string')
    return { ...body, token: claims((body as { token: string }).token) };
  return body;
}

/**
 * Sends `build(path)` down the fast path's URL and down Fastify's (the same route with an empty query),
 * expects the same answer, and returns both with how many the fast path served.
 */
async function bothPaths(
  build: (path: string) => (string | Buffer)[],
  path = '/v1/meeting-tokens',
  opts: { gapMs?: number; timeoutMs?: number } = {},
): Promise<{ fast: RawReply; slow: RawReply; servedFast: number }> {
  const before = await fastCount();
  const fast = await rawRequest(svc.url, build(path), opts);
  const servedFast = (await fastCount()) - before;
  const slow = await rawRequest(svc.url, build(`${path}?`), opts);
  expect((await fastCount()) - before - servedFast, 'a query string must go to Fastify').toBe(0);
  expect(fast.status, fast.raw).toBe(slow.status);
  expect(headers(fast)).toEqual(headers(slow));
  expect(comparable(fast.body)).toEqual(comparable(slow.body));
  if (fast.status >= 400 && !fast.raw.startsWith('HTTP/1.1 100') && fast.body !== '')
    expect(isDailyError(fast.body), fast.raw).toBe(true);
  return { fast, slow, servedFast };
}

const len = (b: string) => `Content-Length: ${Buffer.byteLength(b)}`;

describe('odd headers on POST /v1/meeting-tokens: the same answer on both paths', () => {
  it.each([
    ['Content-Type: application/json', 200],
    ['Content-Type: text/plain', 200],
    ['Content-Type: application/x-www-form-urlencoded', 200],
    ['Content-Type: APPLICATION/JSON; charset=UTF-8', 200],
    // not a media type at all: Fastify refuses it before reading the body
    ['Content-Type: json', 400],
    ['Content-Type: application/json/x', 400],
    ['Content-Type: ', 400],
    ['Content-Type: ; charset=utf-8', 400],
  ])('%s → %i', async (contentType, status) => {
    const { fast, servedFast } = await bothPaths((p) => [head('POST', p, [contentType, len(BODY)]) + BODY]);
    expect(fast.status, fast.raw).toBe(status);
    // a media type the fast path reads; anything else is Fastify's to refuse
    expect(servedFast).toBe(status === 200 ? 1 : 0);
  });

  it('duplicate Content-Type headers', async () => {
    const { fast } = await bothPaths((p) => [
      head('POST', p, ['Content-Type: application/json', 'Content-Type: text/plain', len(BODY)]) + BODY,
    ]);
    expect(fast.status).toBe(200);
  });

  it('duplicate Content-Length headers (equal, then different) are refused by Node as malformed', async () => {
    for (const second of [len(BODY), 'Content-Length: 3']) {
      const { fast, servedFast } = await bothPaths((p) => [
        head('POST', p, ['Content-Type: application/json', len(BODY), second]) + BODY,
      ]);
      expect(fast.status, fast.raw).toBe(400);
      expect(servedFast).toBe(0);
    }
  });

  it('Expect: 100-continue gets 100 Continue, then the token', async () => {
    const { fast, servedFast } = await bothPaths((p) => [
      head('POST', p, ['Content-Type: application/json', 'Expect: 100-continue', len(BODY)]),
      BODY,
    ]);
    expect(fast.raw).toMatch(/^HTTP\/1\.1 100 Continue\r\n/);
    expect(servedFast).toBe(1);
  });

  it('Transfer-Encoding: chunked goes to Fastify and mints the same token', async () => {
    const chunked = `${Buffer.byteLength(BODY).toString(16)}\r\n${BODY}\r\n0\r\n\r\n`;
    const { fast, servedFast } = await bothPaths((p) => [
      head('POST', p, ['Content-Type: application/json', 'Transfer-Encoding: chunked']) + chunked,
    ]);
    expect(fast.status).toBe(200);
    expect(servedFast).toBe(0);
  });

  it('a body over the size limit → 413 on both paths', async () => {
    const big = JSON.stringify({ properties: { room_name: 'r', user_name: 'x'.repeat(70_000) } });
    const { fast } = await bothPaths((p) => [head('POST', p, ['Content-Type: application/json', len(big)]) + big]);
    expect(fast.status).toBe(413);
  });

  it('Content-Length smaller than the body: the rest is read as the next request, refused as malformed', async () => {
    const { fast } = await bothPaths((p) => [
      head('POST', p, ['Content-Type: application/json', `Content-Length: ${BODY.length - 5}`]) + BODY,
    ]);
    // Node's parser meets the leftover bytes before the first reply is written: one 400, then closed
    expect(fast.status, fast.raw).toBe(400);
    expect(fast.body.info).toMatch(/not valid HTTP\/1\.1/);
  });

  it('Content-Length larger than the body, then a stall → Daily-shaped 408 after the request timeout, closed', async () => {
    const t0 = Date.now();
    const { fast, servedFast } = await bothPaths(
      (p) => [head('POST', p, ['Content-Type: application/json', `Content-Length: ${BODY.length + 20}`]) + BODY],
      undefined,
      { timeoutMs: 5000 },
    );
    expect(fast.status, fast.raw).toBe(408);
    expect(fast.body.error).toBe('invalid-request-error');
    expect(Date.now() - t0).toBeLessThan(4 * REQUEST_MS + 2000);
    expect(servedFast).toBe(0);
  });

  it('headers, then no body at all → 408 as well', async () => {
    const { fast } = await bothPaths((p) => [head('POST', p, ['Content-Type: application/json', len(BODY)])]);
    expect(fast.status, fast.raw).toBe(408);
  });

  it('invalid UTF-8 inside a JSON string is read alike on both paths', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"properties":{"room_name":"r","user_name":"a'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}}'),
    ]);
    await bothPaths((p) => [
      Buffer.concat([
        Buffer.from(head('POST', p, ['Content-Type: application/json', `Content-Length: ${bytes.length}`])),
        bytes,
      ]),
    ]);
  });
});

describe('keep-alive after a reply', () => {
  it.each([
    ['a token', BODY],
    ['no JSON', '{"properties": '],
    ['JSON null', 'null'],
    ['nesting 40 deep', `{"properties":{"x":${'['.repeat(40)}${']'.repeat(40)}}}`],
    ['a flat body', JSON.stringify({ room_name: 'r' })],
  ])('%s: the connection is kept or closed alike', async (_name, body) => {
    // no Connection: close from the client; a kept connection is read until the timeout
    const build = (p: string) => [
      head('POST', p, ['Content-Type: application/json', len(body)]).replace('Connection: close\r\n', '') + body,
    ];
    const { fast } = await bothPaths(build, undefined, { timeoutMs: 600 });
    expect(headers(fast).connection).toBeDefined();
  });
});

describe('odd URLs and methods on the token routes', () => {
  let token: string;
  beforeAll(async () => {
    const r = await call(svc.url, 'POST', '/v1/meeting-tokens', { key: KEY, raw: BODY });
    expect(r.status).toBe(200);
    token = r.body.token;
  });

  it('GET of a valid token is served fast, and alike', async () => {
    const r = await bothPaths((p) => [head('GET', p, [])], `/v1/meeting-tokens/${token}`);
    expect(r.fast.status).toBe(200);
    expect(r.servedFast).toBe(1);
  });

  it.each([
    ['HEAD', 'GET route'],
    ['OPTIONS', 'GET route'],
    ['DELETE', 'GET route'],
  ])('%s on the %s goes to Fastify', async (method) => {
    const r = await bothPaths((p) => [head(method, p, [])], `/v1/meeting-tokens/${'t'.repeat(40)}`);
    expect(r.servedFast).toBe(0);
  });

  it('HEAD and OPTIONS on the mint route go to Fastify', async () => {
    for (const method of ['HEAD', 'OPTIONS']) {
      const r = await bothPaths((p) => [head(method, p, [])]);
      expect(r.servedFast).toBe(0);
    }
  });

  it('a percent-encoded token, a trailing slash, an overlong token', async () => {
    const before = await fastCount();
    const encoded = token.replaceAll('.', '%2E');
    const a = await rawRequest(svc.url, [head('GET', `/v1/meeting-tokens/${encoded}`, [])]);
    const b = await rawRequest(svc.url, [head('GET', `/v1/meeting-tokens/${token}`, [])]);
    expect(a.status).toBe(b.status);
    expect(a.body).toEqual(b.body);
    const slash = await rawRequest(svc.url, [head('GET', `/v1/meeting-tokens/${token}/`, [])]);
    expect(slash.status, slash.raw).toBe(404);
    expect(isDailyError(slash.body)).toBe(true);
    const empty = await rawRequest(svc.url, [head('GET', '/v1/meeting-tokens/', [])]);
    expect(isDailyError(empty.body)).toBe(true);
    const long = await rawRequest(svc.url, [head('GET', `/v1/meeting-tokens/${'a'.repeat(9001)}`, [])]);
    expect(long.status, long.raw).toBe(414);
    expect(isDailyError(long.body)).toBe(true);
    const justUnder = await bothPaths((p) => [head('GET', p, [])], `/v1/meeting-tokens/${'a'.repeat(8192)}`);
    expect(justUnder.fast.status).toBe(400);
    // only the plain token was served fast
    expect((await fastCount()) - before).toBe(2);
    const slashMint = await rawRequest(svc.url, [
      head('POST', '/v1/meeting-tokens/', ['Content-Type: application/json', len(BODY)]) + BODY,
    ]);
    expect(slashMint.status).toBe(200);
  });

  it('a GET with a body (Content-Length) goes to Fastify', async () => {
    const r = await bothPaths((p) => [`${head('GET', p, ['Content-Length: 2'])}{}`], `/v1/meeting-tokens/${token}`);
    expect(r.servedFast).toBe(0);
  });

  it('two pipelined requests on one connection, both fast', async () => {
    const before = await fastCount();
    const keep = (m: string, p: string, h: string[]) => head(m, p, h).replace('Connection: close\r\n', '');
    const r = await rawRequest(
      svc.url,
      [
        keep('POST', '/v1/meeting-tokens', ['Content-Type: application/json', len(BODY)]) +
          BODY +
          head('GET', `/v1/meeting-tokens/${token}`, []),
      ],
      { timeoutMs: 3000 },
    );
    expect(r.raw.match(/HTTP\/1\.1 200 OK/g)?.length, r.raw).toBe(2);
    expect((await fastCount()) - before).toBe(2);
  });
});

describe('clients that leave', () => {
  it('mid-body: no reply, nothing logged as served, the service serves on', async () => {
    const linesBefore = logs.length;
    for (let i = 0; i < 20; i++) {
      const { port } = new URL(svc.url);
      const s = net.connect(Number(port), '127.0.0.1');
      s.on('error', () => {});
      await new Promise((r) => s.once('connect', r));
      s.write(head('POST', '/v1/meeting-tokens', ['Content-Type: application/json', len(BODY)]) + BODY.slice(0, 10));
      await new Promise((r) => setTimeout(r, 5));
      if (i % 2) s.destroy();
      else s.resetAndDestroy();
    }
    await new Promise((r) => setTimeout(r, 100));
    const served = logs
      .slice(linesBefore)
      .map((l) => JSON.parse(l))
      .filter((o) => o.msg === 'request' && o.route === '/v1/meeting-tokens');
    expect(served).toEqual([]);
    expect((await call(svc.url, 'POST', '/v1/meeting-tokens', { key: KEY, raw: BODY })).status).toBe(200);
  });
});

describe('clients that leave before the answer', () => {
  // the fast path answers in the check phase after reading: a whole request followed at once by FIN or RST
  // often has its socket gone by the time the answer is written
  it('whole request, then FIN or RST at once: no crash, no error logged, the service serves on', async () => {
    const linesBefore = logs.length;
    const fastBefore = await fastCount();
    const { port } = new URL(svc.url);
    const request = (path: string, extra: string[], body = '') =>
      head(path === '/v1/meeting-tokens' ? 'POST' : 'GET', path, extra) + body;
    const token = (await call(svc.url, 'POST', '/v1/meeting-tokens', { key: KEY, raw: BODY })).body as {
      token: string;
    };
    await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const s = net.connect(Number(port), '127.0.0.1');
        s.on('error', () => {});
        await new Promise((r) => s.once('connect', r));
        s.write(
          i % 4 < 2
            ? request('/v1/meeting-tokens', ['Content-Type: application/json', len(BODY)], BODY)
            : request(`/v1/meeting-tokens/${token.token}`, []),
        );
        if (i % 2) s.destroy();
        else s.resetAndDestroy();
      }),
    );
    await new Promise((r) => setTimeout(r, 150));
    // the fast path took (some of) them: the case under test was reached
    expect((await fastCount()) - fastBefore).toBeGreaterThan(0);
    const lines = logs.slice(linesBefore).map((l) => JSON.parse(l));
    expect(lines.filter((o) => o.level >= 50 || o.err !== undefined)).toEqual([]);
    expect(lines.filter((o) => o.msg === 'request' && o.status !== 200)).toEqual([]);
    expect((await call(svc.url, 'POST', '/v1/meeting-tokens', { key: KEY, raw: BODY })).status).toBe(200);
    const again = await call(svc.url, 'GET', `/v1/meeting-tokens/${token.token}`, { key: KEY });
    expect(again.status).toBe(200);
  });
});

/** A raw socket that sends the head and part of the body now, the rest on `finish()`. */
async function halfSent(path: string, body: string, key = KEY) {
  const { port } = new URL(svc.url);
  const s = net.connect(Number(port), '127.0.0.1');
  s.on('error', () => {});
  let raw = '';
  s.on('data', (d) => {
    raw += d.toString('latin1');
  });
  const closed = new Promise<void>((r) => s.once('close', () => r()));
  await new Promise((r) => s.once('connect', r));
  s.write(head('POST', path, ['Content-Type: application/json', len(body)], key) + body.slice(0, 10));
  // the request has reached the server (and the fast path looked at its key)
  await new Promise((r) => setTimeout(r, 100));
  return {
    async finish(): Promise<RawReply> {
      s.write(body.slice(10));
      await closed;
      return parseRaw(raw);
    },
  };
}

describe('a key changed while a request body is still arriving', () => {
  async function newDomain(name: string): Promise<{ key: string; id: string }> {
    const created = await call(svc.url, 'POST', '/admin/domains', { key: ADMIN, body: { name } });
    expect(created.status).toBe(200);
    const key = created.body.key.api_key as string;
    // cached, and served fast from here on
    const before = await fastCount();
    expect((await call(svc.url, 'POST', '/v1/meeting-tokens', { key, raw: BODY })).status).toBe(200);
    expect((await call(svc.url, 'POST', '/v1/meeting-tokens', { key, raw: BODY })).status).toBe(200);
    expect(await fastCount()).toBeGreaterThan(before);
    return { key, id: created.body.key.id };
  }

  it('deactivated: refused with 401 once the body is in, as Fastify does', async () => {
    const { key, id } = await newDomain('mid-body-off');
    const fast = await halfSent('/v1/meeting-tokens', BODY, key);
    const slow = await halfSent('/v1/meeting-tokens?', BODY, key);
    expect((await call(svc.url, 'POST', `/admin/keys/${id}/deactivate`, { key: ADMIN })).status).toBe(200);
    const [f, s] = [await fast.finish(), await slow.finish()];
    expect(s.status, s.raw).toBe(401);
    expect(f.status, f.raw).toBe(401);
    expect(f.body).toEqual(s.body);
    expect(headers(f)).toEqual(headers(s));
  });

  it('rotated: the token is signed with the new key, as Fastify does', async () => {
    const { key, id } = await newDomain('mid-body-rotate');
    const fast = await halfSent('/v1/meeting-tokens', BODY, key);
    const rotated = await call(svc.url, 'POST', `/admin/keys/${id}/rotate`, { key: ADMIN, body: { grace: 3600 } });
    expect(rotated.status).toBe(200);
    const newKey = rotated.body.key.api_key as string;
    const f = await fast.finish();
    expect(f.status, f.raw).toBe(200);
    const { verifyMeetingToken } = await import('daily-tokens');
    expect((await verifyMeetingToken(f.body.token, { keys: [{ secret: newKey }] })).valid).toBe(true);
  });
});

describe('secrets', () => {
  it('no API key, admin token or token in any log line or error body of this file', async () => {
    const minted = await call(svc.url, 'POST', '/v1/meeting-tokens', { key: KEY, raw: BODY });
    const token = minted.body.token as string;
    const bad = await call(svc.url, 'GET', `/v1/meeting-tokens/${token.slice(0, -3)}abc`, { key: KEY });
    expect(JSON.stringify(bad.body)).not.toContain(token.split('.')[1]);
    const all = logs.join('');
    expect(all).not.toContain(KEY);
    expect(all).not.toContain(ADMIN);
    expect(all).not.toContain(token.split('.')[1]);
    expect(all).not.toContain(token.split('.')[2]);
  });
});
