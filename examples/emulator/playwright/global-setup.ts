import { startDailyEmulator } from '@daily-tokens/server/testing';
import { run } from './emulator.js';

export default async function globalSetup(): Promise<void> {
  run.daily = await startDailyEmulator();
  // the workers, started after this, inherit these: the app's client reads the first two, the tests'
  // emulator controls (reset, clock, faults, journal under /admin) the last two
  process.env.DAILY_API_URL = run.daily.baseUrl;
  process.env.DAILY_API_KEY = run.daily.apiKey;
  process.env.DAILY_EMULATOR_ORIGIN = run.daily.origin;
  process.env.DAILY_EMULATOR_ADMIN_TOKEN = run.daily.adminToken;
}
