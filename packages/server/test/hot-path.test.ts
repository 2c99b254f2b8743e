/**
 * The token routes' fast path (src/http/fast-path.ts) and Fastify answer alike: every request here is sent twice,
 * once as the fast path takes it and once in a form it hands to Fastify (a chunked body, a query string),
 * and status, body, headers, log line and metrics must agree. The fast-path counter proves which path ran.
 */
import http from 'node:http';
import { createMeetingToken } from 'daily-tokens';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config, type Running, start, tempDir } from './helpers.js';

const KEY = 'hot-path-key-0123456789abcdef0123';
const OTHER_KEY = 'some-other-domain-key-0123456789ab';

interface Sent {
  status: number;
  headers: http.IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: reply bodies are arbitrary JSON, checked by the assertions
  body: any;
}

/** One request through node:http, the body sent with Content-Length or chunked. */
function send(
  url: string,
  method: string,
  path: string,
  { body, chunked = false, key = KEY }: { body?: string; chunked?: boolean; key?: string | null } = {},
): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (key !== null) headers.authorization = `Bearer ${key}`;
    if (body !== undefined && !chunked) headers['content-length'] = String(Buffer.byteLength(body));
    const req = http.request(`${url}${path}`, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        text += d;
      });
      res.on('end', () => {
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {}
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
      });
    });
    req.on('error', reject);
    if (body !== undefined) {
      if (chunked) {
        // two writes without a length: Transfer-Encoding: chunked, which only Fastify reads
        const cut = Math.floor(body.length / 2);
        req.write(body.slice(0, cut));
        req.write(body.slice(cut));
      } else req.write(body);
    }
    req.end();
  });
}

/** Headers that must agree between the paths (date and connection management are Node's own). */
const compared = (h: http.IncomingHttpHeaders) => {
  const { date: _d, connection: _c, 'keep-alive': _k, ...rest } = h;
  return rest;
};

describe('the fast path and Fastify answer alike', () => {
  const tmp = tempDir();
  const lines: Record<string, unknown>[] = [];
  let svc: Running;
  const fastCount = async (route: string): Promise<number> => {
    const text = await (await fetch(`${svc.url}/metrics`)).text();
    const m = new RegExp(
      `^daily_tokens_fast_path_requests_total\\{route="${route.replaceAll('/', '\\/')}"\\} (\\d+)$`,
      'm',
    ).exec(text);
    return Number(m?.[1] ?? 0);
  };
  const lastRequestLine = () => {
    const l = [...lines].reverse().find((x) => x.msg === 'request' && x.route !== '/metrics');
    if (!l) throw new Error('no request line');
    const { time: _t, reqId, ms, ...rest } = l;
    expect(reqId).toMatch(/^req-[0-9a-z]+$/);
    expect(typeof ms).toBe('number');
    return rest;
  };

  beforeAll(async () => {
    svc = await start(
      config({ data: tmp.dir, rateLimit: '100000/60s' }, { DAILY_API_KEY: KEY, DAILY_TOKENS_LOG_LEVEL: 'info' }),
      {
        logStream: { write: (l: string) => lines.push(JSON.parse(l)) },
      },
    );
    // the first request loads the key into the cache (through Fastify); from then on the fast path serves it
    expect((await send(svc.url, 'GET', '/v1/')).status).toBe(200);
  });
  afterAll(async () => {
    await svc.close();
    tmp.remove();
  });

  const exp = Math.floor(Date.now() / 1000) + 3600;
  const bodies: [string, string][] = [
    ['a room token', JSON.stringify({ properties: { room_name: 'standup', user_name: 'Ada', is_owner: true, exp } })],
    ['a token for every room, forever (lint findings on a warn line)', JSON.stringify({ properties: {} })],
    [
      'float timestamps, floored',
      JSON.stringify({ properties: { room_name: 'r', exp: exp + 0.5, nbf: 1.7e9 + 0.25 } }),
    ],
    ['no JSON', '{"properties": '],
    ['JSON null', 'null'],
    ['a blank body (no body at all)', '   '],
    ['a flat body', JSON.stringify({ room_name: 'r', exp })],
    ['a JWT abbreviation', JSON.stringify({ properties: { r: 'r' } })],
    ['a property only the signer sets', JSON.stringify({ properties: { domain_id: 'x' } })],
    ['a bad value', JSON.stringify({ properties: { room_name: 'r', exp: 'soon' } })],
    ['an unknown property', JSON.stringify({ properties: { room: 'r' } })],
    ['nesting 40 deep', `{"properties":{"room_name":"r","x":${'['.repeat(40)}${']'.repeat(40)}}}`],
    ['brackets in strings only', JSON.stringify({ properties: { room_name: 'r', user_name: '['.repeat(40) } })],
  ];

  it.each(bodies)('POST /v1/meeting-tokens: %s', async (_name, body) => {
    const before = await fastCount('/v1/meeting-tokens');
    const fast = await send(svc.url, 'POST', '/v1/meeting-tokens', { body });
    const fastLine = lastRequestLine();
    expect(await fastCount('/v1/meeting-tokens')).toBe(before + 1);
    const slow = await send(svc.url, 'POST', '/v1/meeting-tokens', { body, chunked: true });
    const slowLine = lastRequestLine();
    expect(await fastCount('/v1/meeting-tokens')).toBe(before + 1);

    expect(fast.status).toBe(slow.status);
    expect(compared(fast.headers)).toEqual(compared(slow.headers));
    expect(fastLine).toEqual(slowLine);
    if (fast.status === 200) {
      // same claims (iat may tick between the two)
      const claims = (t: string) => {
        const { iat: _i, ...rest } = JSON.parse(Buffer.from(t.split('.')[1] as string, 'base64url').toString());
        return rest;
      };
      expect(claims(fast.body.token)).toEqual(claims(slow.body.token));
    } else {
      expect(fast.body).toEqual(slow.body);
      expect(Object.keys(fast.body).sort()).toEqual(['error', 'info']);
    }
  });

  it('GET /v1/meeting-tokens/:token: valid, forged, foreign, expired and malformed tokens', async () => {
    const minted = await send(svc.url, 'POST', '/v1/meeting-tokens', {
      body: JSON.stringify({ properties: { room_name: 'standup', exp } }),
    });
    const valid = minted.body.token as string;
    const forged = `${valid.slice(0, valid.lastIndexOf('.'))}.${'A'.repeat(43)}`;
    const domainId = JSON.parse(Buffer.from(valid.split('.')[1] as string, 'base64url').toString()).d as string;
    const foreign = await createMeetingToken({ room_name: 'r', exp }, { apiKey: OTHER_KEY, domainId });
    const expired = await createMeetingToken(
      { room_name: 'r', exp: 1_600_000_000 },
      { apiKey: KEY, domainId, allowExpired: true },
    );
    for (const token of [valid, forged, foreign, expired, 'not-a-jwt', 'a.b.c']) {
      const before = await fastCount('/v1/meeting-tokens/:meeting_token');
      const fast = await send(svc.url, 'GET', `/v1/meeting-tokens/${token}`);
      const fastLine = lastRequestLine();
      expect(await fastCount('/v1/meeting-tokens/:meeting_token')).toBe(before + 1);
      // a query string sends it to Fastify; ignoreNbf=false is the default, so the answer must not change
      const slow = await send(svc.url, 'GET', `/v1/meeting-tokens/${token}?ignoreNbf=false`);
      const slowLine = lastRequestLine();
      expect(await fastCount('/v1/meeting-tokens/:meeting_token')).toBe(before + 1);
      expect(fast.status, token).toBe(slow.status);
      expect(fast.body).toEqual(slow.body);
      expect(compared(fast.headers)).toEqual(compared(slow.headers));
      expect(fastLine).toEqual(slowLine);
    }
  });

  it('leaves to Fastify what it does not serve: no or bad Authorization, unknown keys, other methods', async () => {
    const body = JSON.stringify({ properties: { room_name: 'r' } });
    const before = await fastCount('/v1/meeting-tokens');
    expect((await send(svc.url, 'POST', '/v1/meeting-tokens', { body, key: null })).body.error).toBe(
      'authorization-header-error',
    );
    expect((await send(svc.url, 'POST', '/v1/meeting-tokens', { body, key: OTHER_KEY })).status).toBe(401);
    expect((await send(svc.url, 'PUT', '/v1/meeting-tokens', { body })).status).toBe(404);
    expect(await fastCount('/v1/meeting-tokens')).toBe(before);
    // every reply counted once, whichever path answered
    const text = await (await fetch(`${svc.url}/metrics`)).text();
    expect(text).toMatch(
      /^daily_tokens_http_requests_total\{method="POST",route="\/v1\/meeting-tokens",status="401"\} 1$/m,
    );
  });
});

describe('the fast path under the rate limit', () => {
  it('refuses with the same 429 as Fastify, Retry-After included', async () => {
    const tmp = tempDir();
    const svc = await start(config({ data: tmp.dir, rateLimit: '3/60s' }, { DAILY_API_KEY: KEY }));
    try {
      const body = JSON.stringify({ properties: { room_name: 'r' } });
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await send(svc.url, 'POST', '/v1/meeting-tokens', { body })).status);
      expect(statuses).toEqual([200, 200, 200]);
      const fast = await send(svc.url, 'POST', '/v1/meeting-tokens', { body });
      const slow = await send(svc.url, 'POST', '/v1/meeting-tokens', { body, chunked: true });
      expect(fast.status).toBe(429);
      expect(fast.body).toEqual(slow.body);
      expect(compared(fast.headers)).toEqual(compared(slow.headers));
      expect(Number(fast.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      const text = await (await fetch(`${svc.url}/metrics`)).text();
      expect(text).toMatch(/^daily_tokens_rate_limited_total 2$/m);
      expect(text).toMatch(/^daily_tokens_fast_path_requests_total\{route="\/v1\/meeting-tokens"\} [1-9]\d*$/m);
    } finally {
      await svc.close();
      tmp.remove();
    }
  });
});
