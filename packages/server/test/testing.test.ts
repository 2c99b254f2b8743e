/**
 * `@daily-tokens/server/testing` as an app's test would use it: started in-process, driven through a real
 * Daily client (the library's REST client) at its base URL, time moved by its clock, state reset, and
 * nothing left listening after close().
 */
import net from 'node:net';
import { DailyApiError, DailyRestClient } from 'daily-tokens/rest';
import { describe, expect, it } from 'vitest';
import type { RateLimitWindow } from '../src/config.js';
import { AUTH_FAILURE_LIMIT } from '../src/limits/login-throttle.js';
import { type DailyEmulator, startDailyEmulator } from '../src/testing.js';

const T0 = new Date('2026-03-10T12:00:00Z');

async function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

async function withEmulator(test: (daily: DailyEmulator, rest: DailyRestClient) => Promise<void>) {
  const daily = await startDailyEmulator({ now: T0 });
  try {
    await test(daily, new DailyRestClient({ apiKey: daily.apiKey, baseUrl: daily.baseUrl, retries: 0 }));
  } finally {
    await daily.close();
  }
}

describe('startDailyEmulator', () => {
  it('serves Daily’s API at baseUrl with its own domain and key, and leaves nothing listening after close()', async () => {
    const daily = await startDailyEmulator();
    // SQLite in memory: nothing on disk to leave behind
    expect(daily.app.ctx.store.location).toMatch(/^in memory/);
    const port = Number(new URL(daily.origin).port);
    const rest = new DailyRestClient({ apiKey: daily.apiKey, baseUrl: daily.baseUrl });
    expect((await rest.getDomain()).domain_id).toBe(daily.domainId);
    const room = await rest.createRoom({ name: 'standup' });
    expect(room.name).toBe('standup');
    await daily.close();
    expect(await refused(port)).toBe(true);
  });

  it("moves time with its clock: a token expires and a room's exp passes without waiting", async () => {
    await withEmulator(async (daily, rest) => {
      await rest.createRoom({ name: 'short', properties: { exp: T0.getTime() / 1000 + 600 } });
      const token = await rest.createMeetingToken({ room_name: 'short', exp: T0.getTime() / 1000 + 3600 });
      expect((await rest.validateMeetingToken(token)).room_name).toBe('short');
      daily.clock.advance('15m');
      // the room's exp has passed: Daily answers 404 for it
      await expect(rest.getRoom('short')).rejects.toMatchObject({ status: 404 });
      daily.clock.advance('1h');
      const expired = await rest.validateMeetingToken(token).catch((e: unknown) => e);
      expect(expired).toBeInstanceOf(DailyApiError);
      expect((expired as DailyApiError).info).toMatch(/expired/);
      expect(daily.clock.set(T0).toISOString()).toBe(T0.toISOString());
      expect((await rest.validateMeetingToken(token)).room_name).toBe('short');
    });
  });

  it('reset() gives the next test a clean slate: rooms gone, domain and key kept', async () => {
    await withEmulator(async (daily, rest) => {
      await rest.createRoom({ name: 'a' });
      await rest.createRoom({ name: 'b' });
      await daily.reset();
      expect(await rest.listRooms()).toEqual([]);
      expect((await rest.getDomain()).domain_id).toBe(daily.domainId);
    });
  });

  it('moves rate-limit windows with its clock: a key refused with 429 is allowed again after advance()', async () => {
    const daily = await startDailyEmulator({ now: T0, rateLimit: '2/10s' });
    try {
      const auth = { authorization: `Bearer ${daily.apiKey}` };
      const rooms = () => fetch(`${daily.baseUrl}/rooms`, { headers: auth });
      // the fast path (meeting tokens) and Fastify's routes share the key's budget
      const mint = () =>
        fetch(`${daily.baseUrl}/meeting-tokens`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ properties: { room_name: 'standup' } }),
        });
      expect((await rooms()).status).toBe(200);
      expect((await mint()).status).toBe(200);
      const third = await mint();
      expect(third.status).toBe(429);
      // the virtual clock stood still, so the wait is the whole window
      expect(third.headers.get('retry-after')).toBe('10');
      expect((await rooms()).status).toBe(429);
      daily.clock.advance('9s');
      expect((await rooms()).status).toBe(429);
      daily.clock.advance('2s');
      expect((await mint()).status).toBe(200);
      expect((await rooms()).status).toBe(200);
      expect((await rooms()).status).toBe(429);
    } finally {
      await daily.close();
    }
  });

  it('moves the failed-login throttle with its clock: a blocked address is let in again after advance()', async () => {
    const [budget] = AUTH_FAILURE_LIMIT as [RateLimitWindow];
    const daily = await startDailyEmulator({ now: T0, rateLimit: '1000/1s' });
    try {
      const domain = (apiKey: string) => fetch(`${daily.baseUrl}/`, { headers: { authorization: `Bearer ${apiKey}` } });
      for (let i = 0; i < budget.max; i++) expect((await domain(`wrong-key-${i}`)).status).toBe(401);
      // over budget: refused before any compare, the right key like a wrong one
      const blocked = await domain(daily.apiKey);
      expect(blocked.status).toBe(429);
      expect(blocked.headers.get('retry-after')).toBe(String(budget.windowSeconds));
      daily.clock.advance(budget.windowSeconds - 1);
      expect((await domain(daily.apiKey)).status).toBe(429);
      daily.clock.advance(2);
      expect((await domain(daily.apiKey)).status).toBe(200);
      expect((await domain('wrong-key-again')).status).toBe(401);
    } finally {
      await daily.close();
    }
  });

  it('takes a chosen key, and refuses unknown options and bad values with a TypeError', async () => {
    const daily = await startDailyEmulator({ apiKey: 'my-test-key-0123456789' });
    try {
      expect(daily.apiKey).toBe('my-test-key-0123456789');
      expect(
        (await fetch(`${daily.baseUrl}/`, { headers: { authorization: 'Bearer my-test-key-0123456789' } })).status,
      ).toBe(200);
    } finally {
      await daily.close();
    }
    await expect(startDailyEmulator({ prot: 0 } as never)).rejects.toThrow(
      /unknown option "prot"; did you mean "port"/,
    );
    await expect(startDailyEmulator({ port: -1 })).rejects.toThrow(TypeError);
    await expect(startDailyEmulator({ now: new Date('nope') })).rejects.toThrow(/now must be a Date/);
  });
});
