import { run } from './emulator.js';

export default async function globalTeardown(): Promise<void> {
  await run.daily?.close();
}
