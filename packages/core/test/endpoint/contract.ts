/**
 * What every token endpoint must do over real HTTP, whatever runs it: the examples' servers and the unit
 * tests' node:http servers all pass this one list. Sessions and rules come from examples/shared/policy.js.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeUnverified, verifyMeetingToken } from '../../src/index.js';

export const API_KEY = 'endpoint-test-key-0123456789abcdef0123456789abcdef';
export const DOMAIN_ID = '25df5057-ef0d-4d97-bde6-0cf287276cbb';
export const ENV = { DAILY_API_KEY: API_KEY, DAILY_DOMAIN_ID: DOMAIN_ID };
export const PATH = '/api/daily-token';
export const ALLOWED_ORIGIN = 'http://localhost:5173';

export interface Running {
  /** `http://127.0.0.1:PORT` */
  url: string;
  close(): Promise<void>;
}

interface Call {
  method?: string;
  body?: string;
  cookie?: string;
  origin?: string;
  contentType?: string | null;
  headers?: Record<string, string>;
}

export async function call(base: string, c: Call = {}) {
  const headers: Record<string, string> = { ...c.headers };
  if (c.contentType !== null) headers['content-type'] = c.contentType ?? 'application/json';
  if (c.cookie) headers.cookie = c.cookie;
  if (c.origin) headers.origin = c.origin;
  const method = c.method ?? 'POST';
  const response = await fetch(`${base}${PATH}`, {
    method,
    headers,
    ...(method === 'GET' || method === 'HEAD' || (method === 'OPTIONS' && c.body === undefined)
      ? {}
      : { body: c.body ?? JSON.stringify({ room: 'standup' }) }),
  });
  const text = await response.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

const ada = 'session=session-ada';

/** A POST with headers fetch will not send as given (Host), over node:http. */
function rawPost(base: string, headers: Record<string, string>, body: string): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostname,
        port,
        method: 'POST',
        path: PATH,
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Registers the whole contract for one server. `routesMethods`: the framework answers the methods the app
 * does not export (Next.js does), so only the status of those answers is the endpoint's business.
 */
export function endpointContract(
  name: string,
  start: () => Promise<Running>,
  { routesMethods = false }: { routesMethods?: boolean } = {},
): void {
  describe(name, () => {
    let server: Running;
    beforeAll(async () => {
      server = await start();
    }, 60_000);
    afterAll(() => server?.close());

    it('mints a room-scoped, 15-minute, owner token for Ada, which verifies', async () => {
      const r = await call(server.url, { cookie: ada });
      expect(r.status).toBe(200);
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(r.headers.get('content-type')).toMatch(/^application\/json/);
      const body = r.json as { token: string; expires_at: number; room_name: string };
      expect(Object.keys(body).sort()).toEqual(['expires_at', 'room_name', 'token']);
      expect(body.room_name).toBe('standup');
      const verdict = await verifyMeetingToken(body.token, {
        apiKey: API_KEY,
        domainId: DOMAIN_ID,
        roomName: 'standup',
      });
      expect(verdict.problems).toEqual([]);
      expect(verdict.valid).toBe(true);
      const { claims } = decodeUnverified(body.token);
      expect(claims).toMatchObject({ r: 'standup', u: 'Ada', ud: 'user-ada', o: true, d: DOMAIN_ID });
      expect((claims.exp as number) - (claims.iat as number)).toBe(15 * 60);
      expect(body.expires_at).toBe(claims.exp);
    });

    it('makes Bob no owner: is_owner is only what authorize says', async () => {
      const r = await call(server.url, { cookie: 'session=session-bob', origin: server.url });
      expect(r.status).toBe(200);
      expect(decodeUnverified((r.json as { token: string }).token).properties.is_owner).not.toBe(true);
    });

    it('serves a same-origin browser call and an allowed origin, with CORS headers for the latter', async () => {
      const same = await call(server.url, { cookie: ada, origin: server.url });
      expect(same.status).toBe(200);
      expect(same.headers.get('access-control-allow-origin')).toBeNull();
      const allowed = await call(server.url, { cookie: ada, origin: ALLOWED_ORIGIN });
      expect(allowed.status).toBe(200);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    });

    it('refuses a DNS-rebound call: Host and Origin agree, on a name that is not allowed', async () => {
      const { port } = new URL(server.url);
      const status = await rawPost(
        server.url,
        {
          host: `evil.example:${port}`,
          origin: `http://evil.example:${port}`,
          cookie: ada,
          'content-type': 'application/json',
        },
        JSON.stringify({ room: 'standup' }),
      );
      expect(status).toBe(403);
    });

    it('ignores a leading byte-order mark in the body, whatever the front end', async () => {
      const r = await call(server.url, { cookie: ada, body: `\uFEFF${JSON.stringify({ room: 'standup' })}` });
      expect(r.status).toBe(200);
    });

    it('answers the preflight of an allowed origin and refuses that of another', async () => {
      const ok = await call(server.url, {
        method: 'OPTIONS',
        origin: ALLOWED_ORIGIN,
        contentType: null,
        headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      expect(ok.status).toBe(204);
      expect(ok.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(ok.headers.get('access-control-allow-methods')).toBe('POST');
      expect(ok.headers.get('access-control-allow-headers')).toBe('content-type');
      const bad = await call(server.url, {
        method: 'OPTIONS',
        origin: 'https://evil.example',
        contentType: null,
        headers: { 'access-control-request-method': 'POST' },
      });
      expect(bad.status).toBe(403);
      expect(bad.headers.get('access-control-allow-origin')).toBeNull();
    });

    const refusals: [string, Call, number, string][] = [
      ['no session', {}, 401, 'authentication-error'],
      ['an unknown session', { cookie: 'session=forged' }, 401, 'authentication-error'],
      ['a wrong origin', { cookie: ada, origin: 'https://evil.example' }, 403, 'forbidden-error'],
      ['the origin "null"', { cookie: ada, origin: 'null' }, 403, 'forbidden-error'],
      ['a room not allowed', { cookie: ada, body: '{"room":"board-meeting"}' }, 403, 'forbidden-error'],
      [
        'an oversized body',
        { cookie: ada, body: JSON.stringify({ room: 'standup', pad: 'x'.repeat(4000) }) },
        413,
        'invalid-request-error',
      ],
      ['malformed JSON', { cookie: ada, body: '{"room": "standup"' }, 400, 'json-parsing-error'],
      ['an empty body', { cookie: ada, body: '' }, 400, 'json-parsing-error'],
      ['a body that is not an object', { cookie: ada, body: '["standup"]' }, 400, 'invalid-request-error'],
      [
        'a client asking to be owner',
        { cookie: ada, body: '{"room":"standup","is_owner":true}' },
        400,
        'invalid-request-error',
      ],
      ['a bad room name', { cookie: ada, body: '{"room":"../admin"}' }, 400, 'invalid-request-error'],
      ['no room', { cookie: ada, body: '{}' }, 400, 'invalid-request-error'],
      [
        'a form post',
        { cookie: ada, contentType: 'application/x-www-form-urlencoded', body: 'room=standup' },
        415,
        'invalid-request-error',
      ],
      [
        'text/plain (a CSRF "simple request")',
        { cookie: ada, contentType: 'text/plain', body: '{"room":"standup"}' },
        415,
        'invalid-request-error',
      ],
    ];
    it.each(refusals)('refuses %s', async (_what, c, status, error) => {
      const r = await call(server.url, c);
      expect(r.status).toBe(status);
      expect(r.json).toMatchObject({ error });
      expect(Object.keys(r.json ?? {}).sort()).toEqual(['error', 'info']);
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(r.text).not.toMatch(/\bat .*:\d+:\d+/); // no stack trace
    });

    it('refuses to mint a token that fails the lint checks, and says nothing of why', async () => {
      const r = await call(server.url, { cookie: 'session=session-broken' });
      expect(r.status).toBe(500);
      expect(r.json).toEqual({
        error: 'server-error',
        info: 'the token could not be made; the server log has the details',
      });
    });

    it.each(['GET', 'PUT', 'DELETE'])('answers %s with 405 and Allow', async (method) => {
      const r = await call(server.url, { method, cookie: ada });
      expect(r.status).toBe(405);
      expect(r.headers.get('allow')).toBe('POST, OPTIONS');
      if (!routesMethods) expect(r.json).toMatchObject({ error: 'invalid-request-error' });
    });
  });
}
