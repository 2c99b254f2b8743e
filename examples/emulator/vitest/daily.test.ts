/**
 * Vitest: the emulator started in beforeAll, in this process, so the test holds its handles (clock, faults,
 * journal, reset). The last tests drive the app's retries (ky's, see ../app/daily.js) with injected 429s and
 * 503s and check what reached "Daily" in the emulator's journal.
 * Run: npx vitest run --config examples/emulator/vitest/vitest.config.ts
 */
import { type DailyEmulator, startDailyEmulator } from '@daily-tokens/server/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dailyClient } from '../app/daily.js';

let daily: DailyEmulator;

beforeAll(async () => {
  daily = await startDailyEmulator();
  // the app reads these, as it reads the real ones in production
  process.env.DAILY_API_URL = daily.baseUrl;
  process.env.DAILY_API_KEY = daily.apiKey;
});

afterEach(async () => {
  await daily.reset(); // rooms, fault rules and journal gone; key kept
  daily.clock.set(new Date()); // the app dates its rooms and tokens by the real time: put the clock back
});

afterAll(async () => {
  await daily?.close();
});

describe("the app's Daily calls", () => {
  it('create a room and a join token for it', async () => {
    const app = dailyClient();
    const room = await app.createRoom('standup');
    expect(room.name).toBe('standup');
    const token = await app.createJoinToken('standup', 'Ada');
    expect(await app.tokenIsValid(token)).toBe(true);
  });

  it('see the token, then the room, expire, without waiting', async () => {
    const app = dailyClient();
    await app.createRoom('standup', { expiresIn: 3600 });
    const token = await app.createJoinToken('standup', 'Ada', { expiresIn: 600 });
    daily.clock.advance('11m');
    expect(await app.tokenIsValid(token)).toBe(false);
    expect(await app.getRoom('standup')).not.toBeNull();
    daily.clock.advance('1h');
    expect(await app.getRoom('standup')).toBeNull();
  });

  it('start from a clean slate: the first test’s room is gone', async () => {
    expect(await dailyClient().getRoom('standup')).toBeNull();
  });
});

describe("the app's retries, against injected faults", () => {
  /** The app's client, noting the real time at which each attempt is sent. */
  function timedClient() {
    const sent: number[] = [];
    const app = dailyClient({ hooks: { beforeRequest: [() => void sent.push(performance.now())] } });
    const gaps = () => sent.slice(1).map((t, i) => t - (sent[i] as number));
    return { app, gaps };
  }

  it('wait out two 429s as Retry-After says, then create the room', async () => {
    daily.faults.add({ method: 'POST', path: '/v1/rooms', status: 429, retryAfter: 1, times: 2 });
    const before = daily.clock.now();
    const { app, gaps } = timedClient();

    expect((await app.createRoom('standup')).name).toBe('standup');

    const calls = daily.journal.list({ method: 'POST', path: '/v1/rooms' });
    expect(calls.map((c) => c.status)).toEqual([429, 429, 200]);
    expect(calls.map((c) => c.fault?.status ?? null)).toEqual([429, 429, null]);
    // Retry-After: 1 was honoured: a second between attempts, not ky's own 0.3 s / 0.6 s backoff. Real
    // seconds: the virtual clock is frozen and moves only when a test moves it, so it cannot shorten a wait.
    for (const gap of gaps()) expect(gap).toBeGreaterThanOrEqual(990);
    expect(gaps()).toHaveLength(2);
    expect(daily.clock.now()).toEqual(before);
  });

  it('try a 503 again after a backoff, and get the token', async () => {
    daily.faults.add({ method: 'POST', path: '/v1/meeting-tokens', status: 503, times: 1 });
    const { app, gaps } = timedClient();
    await app.createRoom('standup');

    const token = await app.createJoinToken('standup', 'Ada');

    expect(await app.tokenIsValid(token)).toBe(true);
    const calls = daily.journal.list({ method: 'POST', path: '/v1/meeting-tokens' });
    expect(calls.map((c) => c.status)).toEqual([503, 200]);
    // no Retry-After on this 503: ky's first backoff step, 0.3 s
    expect(gaps()[1]).toBeGreaterThanOrEqual(290);
  });

  it('send the request again when the connection drops without an answer', async () => {
    await dailyClient().createRoom('standup');
    daily.faults.add({ method: 'GET', path: '/v1/rooms/:name', drop: true, times: 1 });

    expect(await dailyClient().getRoom('standup')).toMatchObject({ name: 'standup' });

    // the dropped call has no status: no answer was sent
    expect(daily.journal.list({ method: 'GET' }).map((c) => c.status)).toEqual([null, 200]);
  });

  it('give up after the retry limit and report the 429', async () => {
    daily.faults.add({ method: 'POST', path: '/v1/rooms', status: 429, retryAfter: 0, times: 10 });

    await expect(dailyClient().createRoom('standup')).rejects.toMatchObject({ response: { status: 429 } });

    // the first attempt and 3 retries, then the app stops: it does not hammer a rate-limited API
    expect(daily.journal.list({ method: 'POST', path: '/v1/rooms' })).toHaveLength(4);
  });
});
