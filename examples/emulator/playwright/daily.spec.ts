/**
 * Playwright Test: the emulator started by globalSetup (see playwright.config.ts); the tests reach it over
 * HTTP, through the app's client and Playwright's `request` fixture.
 * Run: npx playwright test --config examples/emulator/playwright/playwright.config.ts
 */
import { expect, test } from '@playwright/test';
import { dailyClient } from '../app/daily.js';

const api = process.env.DAILY_API_URL;
const auth = { authorization: `Bearer ${process.env.DAILY_API_KEY}` };

test("the app's Daily calls create a room and a join token for it", async ({ request }) => {
  const app = dailyClient();
  await app.createRoom('standup');
  const token = await app.createJoinToken('standup', 'Ada');
  // what "Daily" now holds, looked up beside the app
  expect((await request.get(`${api}/rooms/standup`, { headers: auth })).ok()).toBe(true);
  const validated = await request.get(`${api}/meeting-tokens/${token}`, { headers: auth });
  expect(await validated.json()).toMatchObject({ room_name: 'standup', user_name: 'Ada' });
});
