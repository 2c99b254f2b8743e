/**
 * SIGTERM on the real `daily-tokens serve` process under load: in-flight requests finish, requests sent
 * on kept-alive connections after the signal get 503 + Connection: close (never a reset), and the
 * process exits as soon as the last request is done, not after the drain timeout.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isDailyError, parseRaw, tempDir } from './helpers.js';
import { type ServeProcess, spawnServe } from './process.js';

const KEY = 'shutdown-key-0123456789abcdef';
const DRAIN_TIMEOUT_MS = 8000;
let svc: ServeProcess | undefined;
let tmp: ReturnType<typeof tempDir> | undefined;
afterEach(async () => {
  await svc?.kill();
  tmp?.remove();
});

async function boot() {
  tmp = tempDir();
  svc = await spawnServe({
    DAILY_TOKENS_DATA: tmp.dir,
    DAILY_API_KEY: KEY,
    DAILY_TOKENS_RATE_LIMIT: 'off',
    DAILY_TOKENS_DRAIN_TIMEOUT: `${DRAIN_TIMEOUT_MS}ms`,
    DAILY_TOKENS_DRAIN_LINGER: '500ms',
  });
  return svc;
}

/** A raw kept-alive socket; `next()` resolves with the next complete reply (by Content-Length). */
async function socketTo(url: string) {
  const { port } = new URL(url);
  const s = net.connect(Number(port), '127.0.0.1');
  s.on('error', () => {});
  await new Promise((r) => s.once('connect', r));
  let buf = '';
  let waiter: (() => void) | undefined;
  let closed = false;
  s.on('data', (d) => {
    buf += d.toString('latin1');
    waiter?.();
  });
  s.on('close', () => {
    closed = true;
    waiter?.();
  });
  return {
    socket: s,
    isClosed: () => closed,
    async next() {
      for (;;) {
        const at = buf.indexOf('\r\n\r\n');
        const len = Number(/content-length: (\d+)/i.exec(buf.slice(0, at))?.[1] ?? -1);
        if (at >= 0 && len >= 0 && buf.length >= at + 4 + len) {
          const raw = buf.slice(0, at + 4 + len);
          buf = buf.slice(at + 4 + len);
          return parseRaw(raw);
        }
        if (closed) return parseRaw(buf);
        await new Promise<void>((r) => {
          waiter = r;
        });
      }
    },
  };
}

const mint = (body: string) =>
  `POST /v1/meeting-tokens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEY}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;

describe('SIGTERM', () => {
  it('under load: in-flight requests finish, later ones get 503 + close, exit right after the last', async () => {
    const s = await boot();
    // 8 kept-alive clients, each until its first 503 (a real client then moves to another replica)
    const statuses: number[] = [];
    const failures: string[] = [];
    let signalled = false;
    const loops = Array.from({ length: 8 }, async () => {
      for (let i = 0; i < 2000; i++) {
        try {
          const r = await fetch(`${s.url}/v1/meeting-tokens`, {
            method: 'POST',
            headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
            body: '{"properties":{"room_name":"load"}}',
          });
          const body = await r.json();
          statuses.push(r.status);
          if (r.status === 503) {
            expect(isDailyError(body)).toBe(true);
            expect(r.headers.get('connection')).toBe('close');
            expect(r.headers.get('retry-after')).toBe('2');
            return;
          }
          if (r.status !== 200) failures.push(`status ${r.status}`);
        } catch (e) {
          // refused after the listener closed is fine only for requests begun after SIGTERM + linger
          if (!signalled) failures.push(String((e as Error).cause ?? e));
          return;
        }
      }
    });

    // an in-flight request whose body completes 1.5 s after the signal
    const slowBody = '{"properties":{"room_name":"slow"}}';
    const slow = await socketTo(s.url);
    slow.socket.write(mint(slowBody) + slowBody.slice(0, 10));
    // a kept-alive connection, idle at the signal, that sends again 100 ms after it
    const idle = await socketTo(s.url);
    idle.socket.write(`GET /v1/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEY}\r\n\r\n`);
    expect((await idle.next()).status).toBe(200);

    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    s.child.kill('SIGTERM');
    signalled = true;
    await new Promise((r) => setTimeout(r, 100));
    idle.socket.write(`GET /v1/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEY}\r\n\r\n`);
    const refused = await idle.next();
    expect(refused.status, refused.raw).toBe(503);
    expect(refused.body.error).toBe('server-error');
    expect(refused.head.toLowerCase()).toContain('connection: close');

    await new Promise((r) => setTimeout(r, 1400));
    slow.socket.write(slowBody.slice(10));
    const done = await slow.next();
    expect(done.status, done.raw).toBe(200);
    expect(done.body.token).toMatch(/^eyJ/);
    expect(done.head.toLowerCase()).toContain('connection: close');

    const code = await s.exited;
    const took = Date.now() - t0;
    await Promise.all(loops);
    expect(code, s.output()).toBe(0);
    expect(failures).toEqual([]);
    expect(statuses.filter((x) => x === 200).length).toBeGreaterThan(0);
    expect(statuses.filter((x) => x === 503).length).toBeGreaterThan(0);
    // after the slow request (1.5 s), well before the 8 s drain timeout
    expect(took).toBeGreaterThanOrEqual(1400);
    expect(took).toBeLessThan(DRAIN_TIMEOUT_MS - 3000);
  });

  it('a fast-path POST in flight at SIGTERM is answered 200 + close once its body is in; then the process exits', async () => {
    const s = await boot();
    const body = '{"properties":{"room_name":"fast"}}';
    const kept = await socketTo(s.url);
    // the first mint loads the key into the cache; the second is served by the fast path
    for (let i = 0; i < 2; i++) {
      kept.socket.write(mint(body) + body);
      expect((await kept.next()).status).toBe(200);
    }
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(metrics).toMatch(/^daily_tokens_fast_path_requests_total\{route="\/v1\/meeting-tokens"\} [1-9]/m);
    // headers now, while the key is cached (the fast path takes it); the rest of the body after the signal,
    // past the cache TTL, so the key is read again from the store that is still open
    const slow = await socketTo(s.url);
    slow.socket.write(mint(body) + body.slice(0, 10));
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    s.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    kept.socket.write(mint(body) + body);
    const refused = await kept.next();
    expect(refused.status, refused.raw).toBe(503);
    expect(refused.head.toLowerCase()).toContain('connection: close');
    await new Promise((r) => setTimeout(r, 900));
    slow.socket.write(body.slice(10));
    const done = await slow.next();
    expect(done.status, done.raw).toBe(200);
    expect(done.body.token).toMatch(/^eyJ/);
    expect(done.head.toLowerCase()).toContain('connection: close');
    expect(await s.exited, s.output()).toBe(0);
    expect(Date.now() - t0).toBeLessThan(DRAIN_TIMEOUT_MS - 3000);
  });

  it('at rest exits at once', async () => {
    const s = await boot();
    const t0 = Date.now();
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});
