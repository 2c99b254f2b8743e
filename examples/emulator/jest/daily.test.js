/**
 * Jest (as ES modules, see jest.config.js): the emulator started in beforeAll, in the test's process, so the
 * test holds its handles (clock, faults, journal, reset).
 * Run: NODE_OPTIONS=--experimental-vm-modules npx jest --config examples/emulator/jest/jest.config.js
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { startDailyEmulator } from '@daily-tokens/server/testing';
import { dailyClient } from '../app/daily.js';

/** @type {import('@daily-tokens/server/testing').DailyEmulator} */
let daily;

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

  it('get the token despite a 503 from Daily: the client tries again', async () => {
    daily.faults.add({ method: 'POST', path: '/v1/meeting-tokens', status: 503, times: 1 });
    const app = dailyClient();
    await app.createRoom('standup');
    const token = await app.createJoinToken('standup', 'Ada');
    expect(await app.tokenIsValid(token)).toBe(true);
    expect(daily.journal.list({ method: 'POST', path: '/v1/meeting-tokens' }).map((c) => c.status)).toEqual([503, 200]);
  });
});
