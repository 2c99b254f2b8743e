import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // the tests beside this file, from wherever vitest is started (the project's root keeps its cache)
    dir: fileURLToPath(new URL('.', import.meta.url)),
    include: ['**/*.test.ts'],
    // the retry tests wait out real Retry-After seconds
    testTimeout: 15_000,
  },
});
