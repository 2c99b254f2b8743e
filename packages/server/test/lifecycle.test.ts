/** Starting, restarting and stopping on the embedded SQLite store; in-process rate limits. */
import { statSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serve } from '../src/index.js';
import { call, config, freshDataDirs, start } from './helpers.js';

const fresh = freshDataDirs();

describe('first start on a fresh folder', () => {
  it('creates a domain and key, prints the URL, the inspector and the key once, and keeps the master key 0600', async () => {
    const data = fresh();
    const lines: string[] = [];
    const svc = await serve(config({ data }), { out: (l) => lines.push(l), signals: false });
    try {
      expect(lines[0]).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
      expect(lines.join('\n')).toContain(`inspector: ${svc.url}/`);
      const keyLine = lines.find((l) => l.startsWith('API key'));
      const key = keyLine?.split(': ')[1] ?? '';
      expect(key).toMatch(/^[0-9a-f]{64}$/);
      expect((await call(svc.url, 'GET', '/v1/', { key })).body.domain_name).toBe('dev');
      expect(statSync(join(data, 'master.key')).mode & 0o777).toBe(0o600);
    } finally {
      await svc.close();
    }
    // the second start finds the domain: no new key is printed
    const again: string[] = [];
    const svc2 = await serve(config({ data }), { out: (l) => again.push(l), signals: false });
    await svc2.close();
    expect(again.some((l) => l.startsWith('API key'))).toBe(false);
    expect(again.some((l) => l.includes('generated DAILY_TOKENS_MASTER_KEY'))).toBe(false);
    expect(again).toContain(
      'keys are printed only when created; for a new one run: npx daily-tokens keys create [--domain <name>]',
    );
  });

  it('on a terminal, frames the one-time key apart from the log lines; pipes get the plain lines', async () => {
    const lines: string[] = [];
    const svc = await serve(config({ data: fresh() }), { out: (l) => lines.push(l), signals: false, framed: true });
    await svc.close();
    const top = lines.findIndex((l) => l.startsWith('┌'));
    expect(lines[top - 1]).toBe('');
    expect(lines[top + 2]).toMatch(/^│ API key \(shown once, store it now\): [0-9a-f]{64}$/);
    expect(lines[top + 4]).toMatch(/^└─+$/);
    expect(lines[top + 5]).toBe('');
    expect(lines[0]).toMatch(/^listening on /);
  });

  it('a restart on the same folder keeps every key (seeded, created, rotated)', async () => {
    const data = fresh();
    const env = {
      DAILY_API_KEY: 'seeded-key-abcdef0123456789',
      DAILY_TOKENS_ADMIN_TOKEN: 'admin-token-0123456789abcdef',
    };
    const a = await start(config({ data }, env));
    const d = await call(a.url, 'POST', '/admin/domains', {
      key: env.DAILY_TOKENS_ADMIN_TOKEN,
      body: { name: 'second' },
    });
    const rotated = await call(a.url, 'POST', `/admin/keys/${d.body.key.id}/rotate`, {
      key: env.DAILY_TOKENS_ADMIN_TOKEN,
      body: { grace: '1h' },
    });
    await a.close();
    const b = await start(config({ data }, env));
    try {
      for (const key of [env.DAILY_API_KEY, d.body.key.api_key, rotated.body.key.api_key]) {
        expect((await call(b.url, 'GET', '/v1/', { key })).status).toBe(200);
      }
    } finally {
      await b.close();
    }
  });
});

describe('port in use', () => {
  it('says so and how to pick another, and releases the store', async () => {
    const data = fresh();
    const first = await serve(config({ data }), { out: () => {}, signals: false });
    const { port } = new URL(first.url);
    try {
      await expect(serve(config({ data, port }), { out: () => {}, signals: false })).rejects.toThrow(
        /is in use; pick another with --port/,
      );
    } finally {
      await first.close();
    }
  });
});

describe('seeding', () => {
  it('a seeded id never lands in another domain called "dev"; a clashing explicit name is refused', async () => {
    const data = fresh();
    await (await start(config({ data }))).close(); // first start creates "dev"
    const id = '3c9d2a10-aaaa-4bbb-8ccc-0123456789ab';
    const svc = await start(config({ data }, { DAILY_API_KEY: 'seed-after-dev-0123456789', DAILY_DOMAIN_ID: id }));
    try {
      const r = await call(svc.url, 'GET', '/v1/', { key: 'seed-after-dev-0123456789' });
      expect(r.body).toMatchObject({ domain_id: id, domain_name: 'dev-3c9d2a10' });
    } finally {
      await svc.close();
    }
    await expect(
      start(
        config(
          { data },
          { DAILY_API_KEY: 'another-seed-0123456789', DAILY_DOMAIN_ID: 'other-id', DAILY_DOMAIN_NAME: 'dev' },
        ),
      ),
    ).rejects.toThrow(/belongs to domain/);
  });
});

describe('rate limits in one process', () => {
  it('429 rate-limit-error with Retry-After past the limit; "off" turns limits off', async () => {
    const data = fresh();
    const key = 'rate-key-0123456789abcdef';
    const limited = await start(config({ data, rateLimit: '3/10s' }, { DAILY_API_KEY: key }));
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await call(limited.url, 'GET', '/v1/', { key })).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const r = await call(limited.url, 'GET', '/v1/', { key });
      expect(r.status).toBe(429);
      expect(r.body.error).toBe('rate-limit-error');
      const retry = Number(r.headers.get('retry-after'));
      expect(retry).toBeGreaterThanOrEqual(1);
      expect(retry).toBeLessThanOrEqual(10);
    } finally {
      await limited.close();
    }
    const open = await start(config({ data, rateLimit: 'off' }, { DAILY_API_KEY: key }));
    try {
      const statuses = await Promise.all(Array.from({ length: 60 }, () => call(open.url, 'GET', '/v1/', { key })));
      expect(statuses.every((s) => s.status === 200)).toBe(true);
    } finally {
      await open.close();
    }
  });
});

describe('guessing keys', () => {
  it('limits failed authentications per client address when limits are on', async () => {
    const data = fresh();
    const svc = await start(config({ data, rateLimit: '20/1s,100/5s' }));
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 32; i++)
        statuses.push((await call(svc.url, 'GET', '/v1/', { key: `guess-${i}-0123456789` })).status);
      expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(30)).toEqual([429, 429]);
    } finally {
      await svc.close();
    }
  });

  it('limits wrong admin tokens the same way, from one budget per address; then the right token is refused too', async () => {
    const data = fresh();
    const admin = 'admin-token-guess-0123456789';
    const svc = await start(config({ data, rateLimit: '20/1s,100/5s' }, { DAILY_TOKENS_ADMIN_TOKEN: admin }));
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 25; i++)
        statuses.push((await call(svc.url, 'GET', '/admin/domains', { key: `wrong-admin-${i}-0123456789` })).status);
      // API-key guesses from the same address draw on the same budget
      for (let i = 0; i < 7; i++)
        statuses.push((await call(svc.url, 'GET', '/v1/', { key: `guess-${i}-0123456789` })).status);
      expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(30)).toEqual([429, 429]);
      const limited = await call(svc.url, 'GET', '/admin/domains', { key: 'wrong-admin-last-0123456789' });
      expect(limited.status).toBe(429);
      expect(limited.body.error).toBe('rate-limit-error');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(50);
      // no secret is compared over budget: the right token gets the same 429, so the answer tells a guesser nothing
      const right = await call(svc.url, 'GET', '/admin/domains', { key: admin });
      expect(right.status).toBe(429);
      const noDigits = (b: { error: string; info: string }) => ({ ...b, info: b.info.replace(/\d+/g, 'N') });
      expect(noDigits(right.body)).toEqual(noDigits(limited.body));
    } finally {
      await svc.close();
    }
  });
});

describe('shutdown', () => {
  it('drains an in-flight request on close, and refuses new ones', async () => {
    const data = fresh();
    const key = 'drain-key-0123456789abcdef';
    const svc = await serve(config({ data }, { DAILY_API_KEY: key }), { out: () => {}, signals: false });
    const { port } = new URL(svc.url);
    const body = JSON.stringify({ properties: { room_name: 'drain', exp: Math.floor(Date.now() / 1000) + 600 } });
    const socket = net.connect(Number(port), '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    let reply = '';
    socket.on('data', (d) => {
      reply += d.toString();
    });
    const ended = new Promise((r) => socket.once('close', r));
    // headers and half the body: the request is in flight
    socket.write(
      `POST /v1/meeting-tokens HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer ${key}\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((r) => setTimeout(r, 50));
    // a second connection, opened before the shutdown, is refused in Daily's shape while draining
    const late = net.connect(Number(port), '127.0.0.1');
    await new Promise((r) => late.once('connect', r));
    const closing = svc.close();
    expect(svc.app.ctx.state.shuttingDown).toBe(true);
    let lateReply = '';
    late.on('data', (d) => {
      lateReply += d.toString();
    });
    const lateEnded = new Promise((r) => late.once('close', r));
    late.write(`GET /v1/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\n\r\n`);
    await lateEnded;
    expect(lateReply).toMatch(/^HTTP\/1\.1 503/);
    expect(lateReply).toContain('"error":"server-error"');
    expect(lateReply.toLowerCase()).toContain('retry-after: 2');
    await new Promise((r) => setTimeout(r, 50));
    socket.write(body.slice(10));
    await ended;
    await closing;
    expect(reply).toMatch(/^HTTP\/1\.1 200/);
    expect(reply).toContain('"token":"eyJ');
  });
});
