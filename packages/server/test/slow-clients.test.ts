/**
 * Slow and idle clients over raw sockets, with small configured timeouts: a request not received in
 * full in time is answered 408 in Daily's shape and dropped, idle kept-alive connections are closed,
 * and connections over the cap are refused, while normal requests keep being served.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, config, isDailyError, type Running, rawRequest, start, tempDir } from './helpers.js';

const KEY = 'slow-client-key-0123456789abcdef';
const REQUEST_MS = 400;
const HEADERS_MS = 200;
const KEEP_ALIVE_MS = 300;

let tmp: ReturnType<typeof tempDir>;
let svc: Running;
beforeAll(async () => {
  tmp = tempDir();
  svc = await start(
    config(
      { data: tmp.dir },
      {
        DAILY_API_KEY: KEY,
        DAILY_TOKENS_REQUEST_TIMEOUT: `${REQUEST_MS}ms`,
        DAILY_TOKENS_HEADERS_TIMEOUT: `${HEADERS_MS}ms`,
        DAILY_TOKENS_KEEP_ALIVE_TIMEOUT: `${KEEP_ALIVE_MS}ms`,
      },
    ),
  );
});
afterAll(async () => {
  await svc?.close();
  tmp?.remove();
});

const HEAD = `POST /v1/meeting-tokens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEY}\r\nContent-Type: application/json\r\nContent-Length: 60\r\n\r\n`;

function expect408(r: Awaited<ReturnType<typeof rawRequest>>) {
  expect(r.status, r.raw).toBe(408);
  expect(isDailyError(r.body)).toBe(true);
  expect(r.body.error).toBe('invalid-request-error');
  expect(r.closedByServer).toBe(true);
}

describe('slow clients', () => {
  it('headers sent one byte at a time → 408 after the headers timeout, connection closed', async () => {
    const t0 = Date.now();
    const r = await rawRequest(svc.url, [...HEAD], { gapMs: 40, timeoutMs: 10_000 });
    expect408(r);
    // well before the 4 s the whole trickle would take
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('a body sent one byte at a time → 408 after the request timeout', async () => {
    const t0 = Date.now();
    const r = await rawRequest(svc.url, [HEAD, ...'{"properties":{"room_name":"slow-room-xxxxxxxxxxxxxxxxxxxxxxx"}}'], {
      gapMs: 60,
      timeoutMs: 10_000,
    });
    expect408(r);
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('100 trickling connections at once are all dropped, and a normal request is served meanwhile', async () => {
    const slow = Array.from({ length: 100 }, () =>
      rawRequest(svc.url, [...HEAD.slice(0, 40)], { gapMs: 100, timeoutMs: 10_000 }),
    );
    await new Promise((r) => setTimeout(r, 50));
    expect((await call(svc.url, 'GET', '/v1/', { key: KEY })).status).toBe(200);
    const replies = await Promise.all(slow);
    for (const r of replies) expect408(r);
  });

  it('an idle kept-alive connection is closed after the keep-alive timeout', async () => {
    const t0 = Date.now();
    const r = await rawRequest(svc.url, [`GET /v1/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEY}\r\n\r\n`], {
      timeoutMs: 10_000,
    });
    expect(r.status).toBe(200);
    expect(r.closedByServer).toBe(true);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(KEEP_ALIVE_MS - 50);
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});

describe('connection cap', () => {
  it('closes connections over DAILY_TOKENS_MAX_CONNECTIONS at once and counts them; serves again when below', async () => {
    const dir = tempDir();
    const capped = await start(config({ data: dir.dir }, { DAILY_API_KEY: KEY, DAILY_TOKENS_MAX_CONNECTIONS: '5' }));
    const { port } = new URL(capped.url);
    const open: net.Socket[] = [];
    try {
      for (let i = 0; i < 5; i++) {
        const s = net.connect(Number(port), '127.0.0.1');
        s.on('error', () => {});
        await new Promise((r) => s.once('connect', r));
        open.push(s);
      }
      await new Promise((r) => setTimeout(r, 50));
      const over = await rawRequest(
        capped.url,
        [`GET /v1/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEY}\r\n\r\n`],
        {
          timeoutMs: 3000,
        },
      );
      expect(over.status).toBe(0);
      expect(over.raw).toBe('');
      for (const s of open.splice(0)) s.destroy();
      await new Promise((r) => setTimeout(r, 50));
      expect((await call(capped.url, 'GET', '/v1/', { key: KEY })).status).toBe(200);
      const metrics = (await call(capped.url, 'GET', '/metrics')).body as string;
      expect(metrics).toMatch(/^daily_tokens_connections_dropped_total [1-9]/m);
    } finally {
      for (const s of open) s.destroy();
      await capped.close();
      dir.remove();
    }
  });
});
