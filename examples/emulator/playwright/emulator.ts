// The emulator of this run, shared by global-setup.ts and global-teardown.ts (both run in the runner's process).
import type { DailyEmulator } from '@daily-tokens/server/testing';

export const run: { daily?: DailyEmulator } = {};
