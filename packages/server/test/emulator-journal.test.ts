/**
 * The emulator's request journal, in-process (`daily.journal`) and over HTTP (`/admin/journal`): what was
 * called with which body and what came back, filtered and cleared, with every secret masked (the real key,
 * admin token and token signatures appear nowhere in it). And emulator mode with a fault rule and the
 * journal on answers exactly as a service without them: the same statuses, headers and Daily shapes.
 */
import { DailyRestClient } from 'daily-tokens/rest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/index.js';
import { virtualClock } from '../src/emulator/clock.js';
import { JOURNAL_SIZE } from '../src/emulator/journal.js';
import { type DailyEmulator, startDailyEmulator } from '../src/testing.js';
import { call, config, type Running, start, tempDir } from './helpers.js';

const T0 = new Date('2026-03-10T12:00:00Z');
let daily: DailyEmulator | undefined;
afterEach(async () => {
  await daily?.close();
  daily = undefined;
});

const admin = (d: DailyEmulator, method: string, path: string) =>
  call(d.origin, method, `/admin${path}`, { key: d.adminToken });

describe('the request journal', () => {
  it('records each call with its body and reply, masks every secret, and filters by method, path and time', async () => {
    daily = await startDailyEmulator({ now: T0 });
    const d = daily;
    const rest = new DailyRestClient({ apiKey: d.apiKey, baseUrl: d.baseUrl, retries: 0 });
    await rest.createRoom({ name: 'standup', properties: { max_participants: 4 } });
    const token = await rest.createMeetingToken({ room_name: 'standup', is_owner: true });
    expect(token.split('.')).toHaveLength(3);
    const signature = token.split('.')[2] as string;
    // the fast path's GET, the token in its path
    await rest.validateMeetingToken(token);
    // secrets where they do not belong: in a body field, in a free-text field, in the query
    await call(d.origin, 'POST', '/v1/rooms', {
      key: d.apiKey,
      body: { name: 'leaky', api_key: d.apiKey, properties: { meeting_token: token } },
    });
    await call(d.origin, 'GET', `/v1/rooms?limit=5&note=${d.apiKey}`, { key: d.apiKey });
    await admin(d, 'GET', '/faults'); // control calls are not recorded

    const all = d.journal.list();
    expect(all.map((e) => `${e.method} ${e.path.replace(/eyJ[^/]*/, '<token>')} ${e.status}`)).toEqual([
      'POST /v1/rooms 200',
      'POST /v1/meeting-tokens 200',
      'GET /v1/meeting-tokens/<token> 200',
      'POST /v1/rooms 400',
      'GET /v1/rooms 200',
    ]);
    const [createRoom, mint, validate, leaky, listRooms] = all as [
      (typeof all)[0],
      (typeof all)[0],
      (typeof all)[0],
      (typeof all)[0],
      (typeof all)[0],
    ];
    expect(createRoom.time).toBe(T0.toISOString());
    expect(createRoom.body).toEqual({ name: 'standup', properties: { max_participants: 4 } });
    expect(createRoom.response).toMatchObject({ name: 'standup', config: { max_participants: 4 } });
    expect(createRoom.headers.authorization).toBe(`Bearer …${d.apiKey.slice(-4)}`);
    expect(createRoom.fault).toBeNull();
    expect(createRoom.durationMs).toBeGreaterThan(0);
    // the token's header and payload stay readable; its signature is gone
    const [head, payload] = token.split('.');
    expect(mint.response).toEqual({ token: `${head}.${payload}.…` });
    expect(validate.path).toBe(`/v1/meeting-tokens/${head}.${payload}.…`);
    expect(validate.response).toMatchObject({ room_name: 'standup', is_owner: true });
    expect(leaky.body).toMatchObject({
      api_key: `…${d.apiKey.slice(-4)}`,
      properties: { meeting_token: `${head}.${payload}.…` },
    });
    expect(listRooms.query).toEqual({ limit: '5', note: `…${d.apiKey.slice(-4)}` });

    const text = JSON.stringify(all);
    for (const secret of [d.apiKey, d.adminToken, token, signature]) expect(text).not.toContain(secret);

    expect(d.journal.list({ method: 'post' }).map((e) => e.path)).toEqual([
      '/v1/rooms',
      '/v1/meeting-tokens',
      '/v1/rooms',
    ]);
    expect(d.journal.list({ path: '/v1/meeting-tokens/:token' })).toHaveLength(1);
    expect(d.journal.list({ path: '/v1/meeting-tokens*' })).toHaveLength(2);
    d.clock.advance('1h');
    await rest.getRoom('standup');
    const later = d.journal.list({ since: new Date(T0.getTime() + 3600_000) });
    expect(later.map((e) => e.path)).toEqual(['/v1/rooms/standup']);
    expect(d.journal.list({ since: T0.getTime() / 1000 + 1 })).toHaveLength(1);
    expect(() => d.journal.list({ pathh: '/v1' } as never)).toThrow(/unknown field "pathh"; did you mean "path"\?/);
    expect(() => d.journal.list({ since: 'yesterday' })).toThrow(/since must be a time/);
    expect(d.journal.clear()).toBe(6);
    expect(d.journal.list()).toEqual([]);
  });

  it('over HTTP: GET /admin/journal with filters, DELETE /admin/journal, 400 for a bad query', async () => {
    daily = await startDailyEmulator({ now: T0 });
    const d = daily;
    await call(d.origin, 'POST', '/v1/rooms', { key: d.apiKey, body: { name: 'a' } });
    await call(d.origin, 'GET', '/v1/rooms/a', { key: d.apiKey });
    d.faults.add({ path: '/v1/rooms/:name', method: 'DELETE', status: 503 });
    await call(d.origin, 'DELETE', '/v1/rooms/a', { key: d.apiKey });
    const r = await admin(d, 'GET', '/journal?path=/v1/rooms/:name');
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.body.data.map((e: { method: string; status: number }) => [e.method, e.status])).toEqual([
      ['GET', 200],
      ['DELETE', 503],
    ]);
    expect(r.body.data[1].fault).toEqual({ id: expect.stringMatching(/^flt_/), status: 503 });
    expect(r.body.data[1].response).toMatchObject({ error: 'server-error' });
    expect((await admin(d, 'GET', '/journal?method=POST')).body.data).toHaveLength(1);
    expect((await admin(d, 'GET', `/journal?since=${T0.getTime() / 1000 + 60}`)).body.data).toHaveLength(0);
    const bad = await admin(d, 'GET', '/journal?method=FETCH');
    expect(bad.status).toBe(400);
    expect(bad.body.info).toMatch(/method must be one of/);
    const unknown = await admin(d, 'GET', '/journal?verb=GET');
    expect(unknown.status).toBe(400);
    expect(unknown.body.info).toMatch(/unknown query parameter "verb"; use method, path or since/);
    expect((await admin(d, 'DELETE', '/journal')).body).toEqual({ deleted: 3 });
    expect((await admin(d, 'GET', '/journal')).body.data).toEqual([]);
  });

  it(`keeps the last ${JOURNAL_SIZE} requests`, async () => {
    daily = await startDailyEmulator({ now: T0 });
    const d = daily;
    const n = JOURNAL_SIZE + 5;
    for (let i = 0; i < n; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, n - i) }, () => call(d.origin, 'GET', '/v1/rooms', { key: d.apiKey })),
      );
    }
    const entries = d.journal.list();
    expect(entries).toHaveLength(JOURNAL_SIZE);
    expect(entries[0]?.seq).toBe(6);
    expect(entries.at(-1)?.seq).toBe(n);
  });

  it('reset() empties the journal and removes the fault rules', async () => {
    daily = await startDailyEmulator({ now: T0 });
    await call(daily.origin, 'GET', '/v1/rooms', { key: daily.apiKey });
    daily.faults.add({ path: '/v1/rooms', status: 500, times: 3 });
    await daily.reset();
    expect(daily.journal.list()).toEqual([]);
    expect(daily.faults.list()).toEqual([]);
    expect((await call(daily.origin, 'GET', '/v1/rooms', { key: daily.apiKey })).status).toBe(200);
  });
});

describe('emulator mode with a fault rule and the journal answers as the plain service does', () => {
  const KEY = 'conformance-key-0123456789abcdef';
  const dirs = [tempDir(), tempDir()];
  let plain: Running;
  let emulated: Running;
  beforeAll(async () => {
    const env = {
      DAILY_API_KEY: KEY,
      DAILY_DOMAIN_ID: 'b7c3a0d2-0000-4000-8000-000000000001',
      DAILY_DOMAIN_NAME: 'acme',
    };
    plain = await start(config({ data: dirs[0]?.dir }, env), { clock: () => new Date(T0) });
    const app = await buildApp(config({ data: dirs[1]?.dir, emulator: true }, env), {
      virtualClock: virtualClock({ start: T0, frozen: true }),
    });
    emulated = { app, url: await app.listen({ port: 0, host: '127.0.0.1' }), close: () => app.close() };
    // a rule that matches nothing of what follows: checked on every request, applied to none
    emulated.app.ctx.emulator?.faults.add({ path: '/v1/nothing-here', status: 500, probability: 1 });
  });
  afterAll(async () => {
    await plain?.close();
    await emulated?.close();
    for (const d of dirs) d.remove();
  });

  const same = (h: Headers) => {
    const out: Record<string, string> = {};
    h.forEach((v, k) => {
      if (!['date', 'connection', 'keep-alive'].includes(k)) out[k] = v;
    });
    return out;
  };
  /** Room ids are random: the rest must be equal. */
  const normal = (body: unknown): unknown =>
    JSON.parse(JSON.stringify(body), (k, v) => (k === 'id' && typeof v === 'string' ? '<id>' : v));

  it('gives the same status, headers and body for Daily’s calls, good and bad', async () => {
    const steps: [string, string, unknown?][] = [
      ['GET', '/v1/'],
      ['POST', '/v1/rooms', { name: 'standup', privacy: 'private', properties: { exp: T0.getTime() / 1000 + 600 } }],
      ['POST', '/v1/rooms', { name: 'standup' }],
      ['POST', '/v1/rooms', { name: 'other', properties: { max_partcipants: 3 } }],
      ['GET', '/v1/rooms/standup'],
      ['GET', '/v1/rooms'],
      ['GET', '/v1/rooms/none'],
      ['POST', '/v1/meeting-tokens', { properties: { room_name: 'standup', exp: T0.getTime() / 1000 + 60 } }],
      ['POST', '/v1/meeting-tokens', { properties: { room_name: 'standup', is_ownr: true } }],
      ['DELETE', '/v1/rooms/standup'],
    ];
    let token = '';
    for (const [method, path, body] of steps) {
      const a = await call(plain.url, method, path, { key: KEY, ...(body === undefined ? {} : { body }) });
      const b = await call(emulated.url, method, path, { key: KEY, ...(body === undefined ? {} : { body }) });
      expect(b.status, `${method} ${path}`).toBe(a.status);
      expect(same(b.headers), `${method} ${path}`).toEqual(same(a.headers));
      expect(normal(b.body), `${method} ${path}`).toEqual(normal(a.body));
      if (path === '/v1/meeting-tokens' && a.status === 200) token = a.body.token;
    }
    // the same key and clock sign the same token; both validate it alike (the fast path's GET)
    const a = await call(plain.url, 'GET', `/v1/meeting-tokens/${token}`, { key: KEY });
    const b = await call(emulated.url, 'GET', `/v1/meeting-tokens/${token}`, { key: KEY });
    expect([b.status, b.body]).toEqual([a.status, a.body]);
    expect(a.status).toBe(200);
    expect(emulated.app.ctx.emulator?.journal.list()).toHaveLength(steps.length + 1);
  });
});
