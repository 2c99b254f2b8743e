// Playwright Test: the emulator runs in the runner's process, started by globalSetup and stopped by
// globalTeardown; the tests run in worker processes and reach it by URL (env set in globalSetup is
// inherited by the workers). No browser is used: the `request` fixture and the app's own client are HTTP.
// Run: npx playwright test --config examples/emulator/playwright/playwright.config.ts
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  globalSetup: './global-setup.ts',
  globalTeardown: './global-teardown.ts',
  // one emulator for the run, its state reset between tests: tests take turns
  workers: 1,
  fullyParallel: false,
  timeout: 15_000,
});
