/**
 * Fault injection of the emulator, in-process (`daily.faults`) and over HTTP (`/admin/faults`), on the fast
 * path's routes (meeting tokens, answered before Fastify) and on Fastify's (rooms): statuses with Daily's
 * error shape and Retry-After, times vs probability, measured latency, dropped connections, and nothing
 * faulted that a rule does not match. Real HTTP on 127.0.0.1, real SQLite.
 */
import http from 'node:http';
import { DailyRestClient } from 'daily-tokens/rest';
import { afterEach, describe, expect, it } from 'vitest';
import { type DailyEmulator, startDailyEmulator } from '../src/testing.js';
import { config, servicePerTest, start, tempDir } from './helpers.js';

const T0 = new Date('2026-03-10T12:00:00Z');
let daily: DailyEmulator | undefined;
afterEach(async () => {
  await daily?.close();
  daily = undefined;
});
async function emulator(): Promise<DailyEmulator> {
  daily = await startDailyEmulator({ now: T0 });
  return daily;
}

function call(d: DailyEmulator, method: string, path: string, body?: unknown) {
  return fetch(`${d.origin}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${d.apiKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}
function admin(d: DailyEmulator, method: string, path: string, body?: unknown) {
  return fetch(`${d.origin}/admin${path}`, {
    method,
    headers: {
      authorization: `Bearer ${d.adminToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}
/** Requests the fast path answered (before Fastify), from /metrics. */
async function fastPathCount(d: DailyEmulator): Promise<number> {
  const text = await (await fetch(`${d.origin}/metrics`)).text();
  const m = /^daily_tokens_fast_path_requests_total\{route="\/v1\/meeting-tokens"\} (\d+)$/m.exec(text);
  return Number(m?.[1] ?? 0);
}
const mint = (d: DailyEmulator) => call(d, 'POST', '/v1/meeting-tokens', { properties: { room_name: 'r' } });

/** A request through node:http, resolving with its status or the socket error's code. */
function rawGet(url: string, apiKey: string): Promise<{ status?: number; error?: string }> {
  return new Promise((resolve) => {
    const req = http.get(url, { headers: { authorization: `Bearer ${apiKey}` }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode as number }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
  });
}

describe('fault injection in-process', () => {
  it('answers the next N calls of the fast path with a 429 in Daily’s shape and Retry-After, then normally', async () => {
    const d = await emulator();
    // the first call caches the key, so the next ones would take the fast path
    expect((await mint(d)).status).toBe(200);
    const id = d.faults.add({ method: 'POST', path: '/v1/meeting-tokens', status: 429, times: 2 });
    expect(d.faults.list()).toEqual([
      { id, method: 'POST', path: '/v1/meeting-tokens', status: 429, times: 2, hits: 0, remaining: 2 },
    ]);
    for (let i = 0; i < 2; i++) {
      const r = await mint(d);
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBe('1');
      expect(r.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await r.json()) as { error: string; info: string };
      expect(body.error).toBe('rate-limit-error');
      expect(body.info).toContain(id);
    }
    expect(d.faults.list()).toEqual([]);
    const before = await fastPathCount(d);
    expect((await mint(d)).status).toBe(200);
    // the route is the fast path's: the fault came before it, and the next call went through it again
    expect(await fastPathCount(d)).toBe(before + 1);
  });

  it('faults validation on the fast path (GET /v1/meeting-tokens/:token) by pattern, and nothing else', async () => {
    const d = await emulator();
    const { token } = (await (await mint(d)).json()) as { token: string };
    d.faults.add({ method: 'GET', path: '/v1/meeting-tokens/:token', status: 500, times: 1 });
    // a POST is not a GET: not faulted
    expect((await mint(d)).status).toBe(200);
    const r = await call(d, 'GET', `/v1/meeting-tokens/${token}`);
    expect(r.status).toBe(500);
    expect(await r.json()).toMatchObject({ error: 'server-error' });
    expect(r.headers.get('retry-after')).toBeNull();
    expect((await call(d, 'GET', `/v1/meeting-tokens/${token}`)).status).toBe(200);
  });

  it('faults Fastify’s routes (rooms) with a chosen status, Retry-After and body; other paths and methods pass', async () => {
    const d = await emulator();
    expect((await call(d, 'POST', '/v1/rooms', { name: 'standup' })).status).toBe(200);
    d.faults.add({ path: '/v1/rooms/:name', method: 'GET', status: 503, retryAfter: 3, times: 5 });
    d.faults.add({ path: '/v1/doctor*', status: 502, body: { error: 'server-error', info: 'upstream' }, times: 1 });
    expect((await call(d, 'GET', '/v1/rooms')).status).toBe(200);
    expect((await call(d, 'POST', '/v1/rooms/standup', { privacy: 'private' })).status).toBe(200);
    const r = await call(d, 'GET', '/v1/rooms/standup');
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('3');
    expect(await r.json()).toMatchObject({ error: 'server-error' });
    const doc = await call(d, 'GET', '/v1/doctor/anything');
    expect(doc.status).toBe(502);
    expect(await doc.json()).toEqual({ error: 'server-error', info: 'upstream' });
    expect(d.faults.list().map((f) => [f.hits, f.remaining])).toEqual([[1, 4]]);
  });

  it('lets a Daily REST client’s retries get through injected 429s and 5xx', async () => {
    const d = await emulator();
    d.faults.add({ method: 'POST', path: '/v1/rooms', status: 429, retryAfter: 0, times: 2 });
    d.faults.add({ method: 'POST', path: '/v1/rooms', status: 503, retryAfter: 0, times: 1 });
    const rest = new DailyRestClient({ apiKey: d.apiKey, baseUrl: d.baseUrl, retries: 3 });
    expect((await rest.createRoom({ name: 'retried' })).name).toBe('retried');
    const calls = d.journal.list({ method: 'POST', path: '/v1/rooms' });
    expect(calls.map((c) => c.status)).toEqual([429, 429, 503, 200]);
    // with fewer retries than faults, the client gives up with the injected error
    d.faults.add({ method: 'GET', path: '/v1/rooms/:name', status: 429, retryAfter: 0, times: 3 });
    const fewer = new DailyRestClient({ apiKey: d.apiKey, baseUrl: d.baseUrl, retries: 1 });
    await expect(fewer.getRoom('retried')).rejects.toMatchObject({ status: 429, type: 'rate-limit-error' });
  });

  it('applies a probability with a seed repeatably, 0 never and 1 always', async () => {
    const outcomes = async (rule: Parameters<DailyEmulator['faults']['add']>[0]) => {
      const d = await startDailyEmulator({ now: T0 });
      try {
        d.faults.add(rule);
        const seen: number[] = [];
        for (let i = 0; i < 24; i++) seen.push((await call(d, 'GET', '/v1/rooms')).status);
        expect(d.faults.list()).toHaveLength(1); // a probability rule stays until removed
        return seen;
      } finally {
        await d.close();
      }
    };
    const a = await outcomes({ path: '/v1/rooms', status: 500, probability: 0.5, seed: 42 });
    const b = await outcomes({ path: '/v1/rooms', status: 500, probability: 0.5, seed: 42 });
    expect(a).toEqual(b);
    const faulted = a.filter((s) => s === 500).length;
    expect(faulted).toBeGreaterThan(0);
    expect(faulted).toBeLessThan(24);
    expect(new Set(await outcomes({ path: '/v1/rooms', status: 500, probability: 0 }))).toEqual(new Set([200]));
    expect(new Set(await outcomes({ path: '/v1/rooms', status: 500, probability: 1 }))).toEqual(new Set([500]));
  });

  it('delays by latencyMs, then answers normally or with the status', async () => {
    const d = await emulator();
    await mint(d);
    d.faults.add({ path: '/v1/meeting-tokens', latencyMs: 400 });
    let t = performance.now();
    const slow = await mint(d);
    const slowMs = performance.now() - t;
    expect(slow.status).toBe(200);
    expect(((await slow.json()) as { token: string }).token).toMatch(/^eyJ/);
    expect(slowMs).toBeGreaterThanOrEqual(395);
    d.faults.add({ path: '/v1/rooms', latencyMs: 300, status: 504 });
    t = performance.now();
    const r = await call(d, 'GET', '/v1/rooms');
    expect(r.status).toBe(504);
    expect(performance.now() - t).toBeGreaterThanOrEqual(295);
    // used up: the next ones are not delayed
    t = performance.now();
    expect((await call(d, 'GET', '/v1/rooms')).status).toBe(200);
    expect(performance.now() - t).toBeLessThan(295);
  });

  it('drops the connection: the client sees a socket error, not an answer', async () => {
    const d = await emulator();
    d.faults.add({ path: '/v1/rooms', drop: true, times: 2 });
    expect(await rawGet(`${d.baseUrl}/rooms`, d.apiKey)).toEqual({ error: 'ECONNRESET' });
    await expect(call(d, 'GET', '/v1/rooms')).rejects.toThrow(TypeError); // fetch failed
    expect(await rawGet(`${d.baseUrl}/rooms`, d.apiKey)).toEqual({ status: 200 });
    const dropped = d.journal.list({ path: '/v1/rooms' });
    expect(dropped.map((e) => [e.status, e.fault?.drop])).toEqual([
      [null, true],
      [null, true],
      [200, undefined],
    ]);
  });

  it('refuses bad rules with a TypeError that says what is wrong', async () => {
    const d = await emulator();
    expect(() => d.faults.add({ stauts: 429 } as never)).toThrow(/unknown field "stauts"; did you mean "status"\?/);
    expect(() => d.faults.add({ path: '/v1/rooms' })).toThrow(/needs status, latencyMs or drop/);
    expect(() => d.faults.add({ status: 200 })).toThrow(/400 to 599/);
    expect(() => d.faults.add({ status: 429, times: 2, probability: 0.5 })).toThrow(/not both/);
    expect(() => d.faults.add({ status: 429, drop: true })).toThrow(/not both/);
    expect(() => d.faults.add({ path: 'v1/rooms', status: 500 })).toThrow(/start with "\/"/);
    expect(() => d.faults.add({ path: '/admin/faults', status: 500 })).toThrow(/never faulted/);
    expect(() => d.faults.add({ status: 500, seed: 1 })).toThrow(/seed goes with probability/);
    expect(() => d.faults.add({ latencyMs: 60_000 })).toThrow(/30000/);
    expect(() => d.faults.add({ method: 'FETCH', status: 500 })).toThrow(/method must be one of/);
    expect(d.faults.list()).toEqual([]);
  });
});

describe('fault injection over HTTP (/admin/faults)', () => {
  it('adds (201 with id), lists, removes one and clears, behind the admin token', async () => {
    const d = await emulator();
    const created = await admin(d, 'POST', '/faults', { method: 'post', path: '/v1/rooms', status: 429 });
    expect(created.status).toBe(201);
    const rule = (await created.json()) as { id: string };
    expect(rule).toMatchObject({ id: expect.stringMatching(/^flt_/), method: 'POST', status: 429, remaining: 1 });
    const second = (await (await admin(d, 'POST', '/faults', { path: '/v1/*', latencyMs: 10, times: 3 })).json()) as {
      id: string;
    };
    const list = (await (await admin(d, 'GET', '/faults')).json()) as { data: { id: string }[] };
    expect(list.data.map((f) => f.id)).toEqual([rule.id, second.id]);
    // the rule works for a call from any language's client
    expect((await call(d, 'POST', '/v1/rooms', { name: 'x' })).status).toBe(429);
    expect((await admin(d, 'DELETE', `/faults/${second.id}`)).status).toBe(200);
    const gone = await admin(d, 'DELETE', `/faults/${second.id}`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ error: 'not-found', info: expect.stringContaining('GET /admin/faults') });
    const custom = { path: '/v1/rooms', status: 500, times: 9, body: { error: 'server-error', info: 'x', n: [1] } };
    expect(await (await admin(d, 'POST', '/faults', custom)).json()).toMatchObject(custom);
    const r = await call(d, 'GET', '/v1/rooms');
    expect([r.status, await r.json()]).toEqual([500, custom.body]);
    expect(await (await admin(d, 'DELETE', '/faults')).json()).toEqual({ deleted: 1 });
    expect(d.faults.list()).toEqual([]);
    // without the token: 401, and no rule added
    const anon = await fetch(`${d.origin}/admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 500 }),
    });
    expect(anon.status).toBe(400);
    expect(d.faults.list()).toEqual([]);
  });

  it('answers 400 with a "did you mean" for a bad rule', async () => {
    const d = await emulator();
    const r = await admin(d, 'POST', '/faults', { path: '/v1/rooms', status: 429, retry_after: 2 });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({
      error: 'invalid-request-error',
      info: 'fault rule: unknown field "retry_after"; did you mean "retryAfter"?',
    });
    const bad = await admin(d, 'POST', '/faults', { status: '429' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { info: string }).info).toMatch(/status/);
  });

  it('never faults the control routes or the health checks, even with a rule for every path', async () => {
    const d = await emulator();
    d.faults.add({ path: '*', status: 500, probability: 1 });
    expect((await fetch(`${d.origin}/healthz`)).status).toBe(200);
    expect((await admin(d, 'GET', '/faults')).status).toBe(200);
    expect((await call(d, 'GET', '/v1/rooms')).status).toBe(500);
    expect((await admin(d, 'DELETE', '/faults')).status).toBe(200);
    expect((await call(d, 'GET', '/v1/rooms')).status).toBe(200);
  });
});

describe('emulator mode off', () => {
  const each = servicePerTest();
  it('has no fault injection, journal or clock: 404 saying how to turn emulator mode on', async () => {
    each.tmp = tempDir();
    const token = 'admin-token-0123456789abcdef';
    each.svc = await start(config({ data: each.tmp.dir }, { DAILY_TOKENS_ADMIN_TOKEN: token }));
    expect(each.svc.app.ctx.emulator).toBeUndefined();
    for (const [method, path] of [
      ['POST', '/admin/faults'],
      ['GET', '/admin/faults'],
      ['DELETE', '/admin/faults'],
      ['GET', '/admin/journal'],
      ['GET', '/admin/clock'],
      ['POST', '/admin/clock'],
    ] as const) {
      const r = await fetch(`${each.svc.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(method === 'POST' ? { body: JSON.stringify({ status: 500 }) } : {}),
      });
      expect(r.status, `${method} ${path}`).toBe(404);
      const body = (await r.json()) as { error: string; info: string };
      expect(body.error).toBe('not-found');
      expect(body.info).toMatch(/--emulator/);
      expect(body.info).toMatch(/DAILY_TOKENS_EMULATOR=1/);
    }
    // the service's request listener is the plain one: nothing wraps it
    const listeners = each.svc.app.server.listeners('request');
    expect(listeners).toHaveLength(1);
    expect(listeners[0]?.name).not.toBe('emulatorRequestListener');
  });

  it('is turned on by DAILY_TOKENS_EMULATOR=1 or the emulator flag, and refuses --import without it', async () => {
    each.tmp = tempDir();
    const token = 'admin-token-0123456789abcdef';
    each.svc = await start(
      config({ data: each.tmp.dir }, { DAILY_TOKENS_ADMIN_TOKEN: token, DAILY_TOKENS_EMULATOR: '1' }),
    );
    const r = await fetch(`${each.svc.url}/admin/clock`, { headers: { authorization: `Bearer ${token}` } });
    expect(r.status).toBe(200);
    expect(each.svc.app.server.listeners('request').map((l) => l.name)).toEqual(['emulatorRequestListener']);
    const clock = (await r.json()) as { now: string; frozen: boolean };
    // serve --emulator's clock runs with the real time until moved
    expect(clock.frozen).toBe(false);
    expect(Math.abs(Date.parse(clock.now) - Date.now())).toBeLessThan(5000);
    expect(() => config({ data: each.tmp?.dir, import: 'x.json' })).toThrow(/emulator mode only/);
    expect(() => config({ data: each.tmp?.dir }, { DAILY_TOKENS_EMULATOR: 'maybe' })).toThrow(/DAILY_TOKENS_EMULATOR/);
  });
});
