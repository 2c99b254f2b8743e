/**
 * Playwright Test: the emulator started by globalSetup (see playwright.config.ts) in the runner's process;
 * the tests, in a worker, reach it over HTTP: the app through its client, the test through Playwright's
 * `request` fixture, and the emulator's controls (reset, clock, faults, journal) under /admin with the
 * admin token.
 * Run: npx playwright test --config examples/emulator/playwright/playwright.config.ts
 */
import { expect, test } from '@playwright/test';
import { dailyClient } from '../app/daily.js';

const api = process.env.DAILY_API_URL;
const auth = { authorization: `Bearer ${process.env.DAILY_API_KEY}` };
const admin = `${process.env.DAILY_EMULATOR_ORIGIN}/admin`;
const adminAuth = { authorization: `Bearer ${process.env.DAILY_EMULATOR_ADMIN_TOKEN}` };

test.afterEach(async ({ request }) => {
  // rooms, fault rules and journal gone; the clock back to the real time the app dates its tokens by
  expect((await request.post(`${admin}/reset`, { headers: adminAuth })).ok()).toBe(true);
  const now = Math.floor(Date.now() / 1000);
  expect((await request.post(`${admin}/clock`, { headers: adminAuth, data: { set: now } })).ok()).toBe(true);
});

test("the app's Daily calls create a room and a join token for it", async ({ request }) => {
  const app = dailyClient();
  await app.createRoom('standup');
  const token = await app.createJoinToken('standup', 'Ada');
  // what "Daily" now holds, looked up beside the app
  expect((await request.get(`${api}/rooms/standup`, { headers: auth })).ok()).toBe(true);
  const validated = await request.get(`${api}/meeting-tokens/${token}`, { headers: auth });
  expect(await validated.json()).toMatchObject({ room_name: 'standup', user_name: 'Ada' });
});

test("the app's token expires when the emulator's clock passes its exp", async ({ request }) => {
  const app = dailyClient();
  await app.createRoom('standup');
  const token = await app.createJoinToken('standup', 'Ada', { expiresIn: 600 });
  const advanced = await request.post(`${admin}/clock`, { headers: adminAuth, data: { advance: '11m' } });
  expect(advanced.ok()).toBe(true);
  expect(await app.tokenIsValid(token)).toBe(false);
});

test('the app gets its room despite a 429 from Daily: its client waits Retry-After and tries again', async ({
  request,
}) => {
  const fault = { method: 'POST', path: '/v1/rooms', status: 429, retryAfter: 1, times: 1 };
  expect((await request.post(`${admin}/faults`, { headers: adminAuth, data: fault })).status()).toBe(201);

  expect((await dailyClient().createRoom('standup')).name).toBe('standup');

  const journal = await request.get(`${admin}/journal`, {
    headers: adminAuth,
    params: { method: 'POST', path: '/v1/rooms' },
  });
  const { data } = (await journal.json()) as { data: { status: number }[] };
  expect(data.map((c) => c.status)).toEqual([429, 200]);
});
