/**
 * node:test: the emulator started in before(), in this process, so the test holds its handles (clock, faults,
 * journal, reset).
 * Run: node --test examples/emulator/node-test/daily.test.js
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { startDailyEmulator } from '@daily-tokens/server/testing';
import { dailyClient } from '../app/daily.js';

/** @type {import('@daily-tokens/server/testing').DailyEmulator} */
let daily;

before(async () => {
  daily = await startDailyEmulator();
  // the app reads these, as it reads the real ones in production
  process.env.DAILY_API_URL = daily.baseUrl;
  process.env.DAILY_API_KEY = daily.apiKey;
});

afterEach(async () => {
  await daily.reset(); // rooms, fault rules and journal gone; key kept
  daily.clock.set(new Date()); // the app dates its rooms and tokens by the real time: put the clock back
});

after(async () => {
  await daily?.close();
});

describe("the app's Daily calls", () => {
  it('create a room and a join token for it', async () => {
    const app = dailyClient();
    const room = await app.createRoom('standup');
    assert.equal(room.name, 'standup');
    const token = await app.createJoinToken('standup', 'Ada');
    assert.equal(await app.tokenIsValid(token), true);
  });

  it('see the token, then the room, expire, without waiting', async () => {
    const app = dailyClient();
    await app.createRoom('standup', { expiresIn: 3600 });
    const token = await app.createJoinToken('standup', 'Ada', { expiresIn: 600 });
    daily.clock.advance('11m');
    assert.equal(await app.tokenIsValid(token), false);
    assert.notEqual(await app.getRoom('standup'), null);
    daily.clock.advance('1h');
    assert.equal(await app.getRoom('standup'), null);
  });

  it('start from a clean slate: the first test’s room is gone', async () => {
    assert.equal(await dailyClient().getRoom('standup'), null);
  });

  it('get the token despite a 429 from Daily: the client waits Retry-After and tries again', async () => {
    daily.faults.add({ method: 'POST', path: '/v1/meeting-tokens', status: 429, retryAfter: 1, times: 1 });
    const app = dailyClient();
    await app.createRoom('standup');
    const token = await app.createJoinToken('standup', 'Ada');
    assert.equal(await app.tokenIsValid(token), true);
    const calls = daily.journal.list({ method: 'POST', path: '/v1/meeting-tokens' });
    assert.deepEqual(
      calls.map((c) => c.status),
      [429, 200],
    );
  });
});
