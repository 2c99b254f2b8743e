/**
 * The failed-login throttle is not an oracle: once a client has spent its budget of failed logins, the right
 * admin token and the right API key get the same 429 as wrong ones (nothing is compared), on the fast path
 * and through Fastify alike; IPv6 clients are counted per /64. And one client cannot hold every connection.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { clientOf } from '../src/limits/login-throttle.js';
import { call, config, REDIS_URL, randomPrefix, servicePerTest, start, tempDir } from './helpers.js';

const KEY = 'throttle-test-key-0123456789';
const ADMIN = 'admin-token-0123456789abcdef';
/** The service allows 30 failed logins per client per minute. */
const FAILURES_ALLOWED = 30;

const each = servicePerTest();

async function serve(flags: Record<string, string> = {}, env: Record<string, string> = {}): Promise<string> {
  each.tmp = tempDir();
  each.svc = await start(
    config(
      { data: each.tmp.dir, rateLimit: '1000/1s', ...flags },
      { DAILY_API_KEY: KEY, DAILY_TOKENS_ADMIN_TOKEN: ADMIN, ...env },
    ),
  );
  return each.svc.url;
}

const mint = (url: string, key: string, headers: Record<string, string> = {}) =>
  call(url, 'POST', '/v1/meeting-tokens', { key, body: { properties: { room_name: 'standup' } }, headers });

describe('failed-login throttle', () => {
  it('refuses the right admin token, once the budget is spent, with the same 429 as a wrong one', async () => {
    const url = await serve();
    for (let i = 0; i < FAILURES_ALLOWED; i++) {
      expect((await call(url, 'GET', '/admin/domains', { key: `wrong-admin-token-${i}` })).status).toBe(401);
    }
    const wrong = await call(url, 'GET', '/admin/domains', { key: 'wrong-admin-token-x' });
    const right = await call(url, 'GET', '/admin/domains', { key: ADMIN });
    expect(wrong.status).toBe(429);
    expect(right.status).toBe(429);
    // the same answer, up to the seconds of Retry-After
    const noDigits = (b: { error: string; info: string }) => ({ ...b, info: b.info.replace(/\d+/g, 'N') });
    expect(noDigits(right.body)).toEqual(noDigits(wrong.body));
    expect(right.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
  });

  it('refuses the right API key too, on the fast path (a cached key) and through Fastify', async () => {
    const url = await serve();
    // the key is in the cache: the fast path would answer it without Fastify
    expect((await mint(url, KEY)).status).toBe(200);
    for (let i = 0; i < FAILURES_ALLOWED; i++) {
      expect((await call(url, 'GET', '/v1/', { key: `guess-${i}-0000000000` })).status).toBe(401);
    }
    expect((await mint(url, KEY)).status).toBe(429);
    expect((await call(url, 'GET', `/v1/meeting-tokens/a.b.c`, { key: KEY })).status).toBe(429);
    expect((await call(url, 'GET', '/v1/', { key: KEY })).status).toBe(429);
    expect((await call(url, 'GET', '/v1/')).status).toBe(429);
    // admin guesses and API-key guesses share the budget
    expect((await call(url, 'GET', '/admin/domains', { key: ADMIN })).status).toBe(429);
  });

  it('counts IPv6 clients per /64, so rotating the interface id does not buy guesses', async () => {
    const url = await serve({ trustProxy: 'loopback' });
    const as = (xff: string) => ({ 'x-forwarded-for': xff });
    for (let i = 1; i <= FAILURES_ALLOWED; i++) {
      const r = await call(url, 'GET', '/v1/', {
        key: 'not-a-real-key-000000',
        headers: as(`2001:db8:1:2::${i.toString(16)}`),
      });
      expect(r.status).toBe(401);
    }
    expect((await call(url, 'GET', '/v1/', { key: KEY, headers: as('2001:db8:1:2:ffff:ffff:ffff:ffff') })).status).toBe(
      429,
    );
    expect((await mint(url, KEY, as('2001:0db8:0001:0002::abcd'))).status).toBe(429);
    // the next /64 is another client
    expect((await call(url, 'GET', '/v1/', { key: KEY, headers: as('2001:db8:1:3::1') })).status).toBe(200);
    // and an IPv4 client behind the same proxy is untouched
    expect((await mint(url, KEY, as('203.0.113.7'))).status).toBe(200);
  });

  it('with Redis, a replica refuses a client whose failures another replica counted, before comparing', async () => {
    const prefix = randomPrefix();
    const dirB = tempDir();
    const url = await serve({ redisUrl: REDIS_URL }, { DAILY_TOKENS_REDIS_PREFIX: prefix });
    const b = await start(
      config(
        { data: dirB.dir, rateLimit: '1000/1s', redisUrl: REDIS_URL },
        { DAILY_API_KEY: KEY, DAILY_TOKENS_ADMIN_TOKEN: ADMIN, DAILY_TOKENS_REDIS_PREFIX: prefix },
      ),
    );
    try {
      for (let i = 0; i < FAILURES_ALLOWED; i++) {
        expect((await call(url, 'GET', '/v1/', { key: `guess-${i}-0000000000` })).status).toBe(401);
      }
      expect((await call(b.url, 'GET', '/admin/domains', { key: ADMIN })).status).toBe(429);
      expect((await call(b.url, 'GET', '/v1/', { key: KEY })).status).toBe(429);
      expect((await mint(url, KEY)).status).toBe(429);
    } finally {
      await b.app.ctx.limiter?.reset();
      await b.close();
      dirB.remove();
    }
  });

  it('names clients: IPv4 as is, IPv4-mapped as IPv4, IPv6 by its /64', () => {
    expect(clientOf('203.0.113.7')).toBe('203.0.113.7');
    expect(clientOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientOf('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(clientOf('2001:0DB8:0001:0002:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(clientOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientOf('::1')).toBe('0:0:0:0::/64');
    expect(clientOf('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientOf(undefined)).toBe('unknown');
  });
});

/** Opens a raw connection from `localAddress` and waits until it is up (or closed at once). */
async function connect(port: number, localAddress: string): Promise<net.Socket> {
  const s = net.connect({ port, host: '127.0.0.1', localAddress });
  s.on('error', () => {});
  await new Promise((r) => s.once('connect', r));
  return s;
}

/** Sends a request on a new connection from `localAddress`; the raw reply ('' when closed without one). */
async function ask(port: number, localAddress: string, request: string): Promise<string> {
  const s = await connect(port, localAddress);
  return new Promise<string>((resolve) => {
    let raw = '';
    s.on('data', (d) => {
      raw += d.toString();
    });
    s.on('close', () => resolve(raw));
    s.write(request);
  });
}

const HEALTHZ = 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';

describe('connections per client', () => {
  it('a client flooding half-sent requests holds only its share, and loses its oldest to a real request', async () => {
    const url = await serve({}, { DAILY_TOKENS_MAX_CONNECTIONS: '20', DAILY_TOKENS_MAX_CONNECTIONS_PER_ADDRESS: '5' });
    const port = Number(new URL(url).port);
    const held: net.Socket[] = [];
    try {
      // 20 half-sent requests from one client: the cap of the whole server, were it not for the share
      for (let i = 0; i < 20; i++) {
        const s = await connect(port, '127.0.0.1');
        s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
        held.push(s);
      }
      await new Promise((r) => setTimeout(r, 100));
      expect(held.filter((s) => !s.destroyed).length).toBeLessThanOrEqual(5);
      // another client is served, and so is a real request from the flooding address itself
      expect(await ask(port, '127.0.0.2', HEALTHZ)).toMatch(/^HTTP\/1\.1 200/);
      expect(await ask(port, '127.0.0.1', HEALTHZ)).toMatch(/^HTTP\/1\.1 200/);
      const metrics = (await call(url, 'GET', '/metrics')).body as string;
      expect(metrics).toMatch(/^daily_tokens_connections_dropped_total [1-9]/m);
    } finally {
      for (const s of held) s.destroy();
    }
  });

  it('closes a new connection at once when all of the client’s share have requests in progress', async () => {
    const url = await serve({}, { DAILY_TOKENS_MAX_CONNECTIONS: '20', DAILY_TOKENS_MAX_CONNECTIONS_PER_ADDRESS: '3' });
    const port = Number(new URL(url).port);
    const held: net.Socket[] = [];
    try {
      // whole headers, body still to come: requests in progress, which are never cut off
      for (let i = 0; i < 3; i++) {
        const s = await connect(port, '127.0.0.1');
        s.write(
          `POST /v1/rooms HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEY}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`,
        );
        held.push(s);
      }
      await new Promise((r) => setTimeout(r, 100));
      expect(await ask(port, '127.0.0.1', HEALTHZ)).toBe('');
      expect(held.every((s) => !s.destroyed)).toBe(true);
      expect(await ask(port, '127.0.0.2', HEALTHZ)).toMatch(/^HTTP\/1\.1 200/);
    } finally {
      for (const s of held) s.destroy();
    }
  });

  it('defaults to a quarter of the cap per client, and no per-client share behind a trusted proxy', async () => {
    const { loadConfig } = await import('../src/config.js');
    expect(loadConfig({}, {}).maxConnectionsPerAddress).toBe(256);
    expect(loadConfig({}, { DAILY_TOKENS_MAX_CONNECTIONS: '100' }).maxConnectionsPerAddress).toBe(100);
    expect(loadConfig({ trustProxy: 'loopback' }, {}).maxConnectionsPerAddress).toBe(1024);
    expect(() => loadConfig({}, { DAILY_TOKENS_MAX_CONNECTIONS_PER_ADDRESS: 'lots' })).toThrow(
      /DAILY_TOKENS_MAX_CONNECTIONS_PER_ADDRESS must be a whole number/,
    );
  });
});
