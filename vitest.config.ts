import { defineConfig } from 'vitest/config';

// The core suite runs twice, once per HMAC backend, and must give the same results on both.
const core = (backend: 'node' | 'webcrypto') => ({
  test: {
    name: `core:${backend}`,
    include: ['packages/core/test/*.test.ts'],
    setupFiles: [`packages/core/test/setup-${backend}.ts`],
  },
});

export default defineConfig({
  test: {
    projects: [
      core('node'),
      core('webcrypto'),
      // Bun and Deno run the built library in their own processes; once is enough.
      { test: { name: 'runtimes', include: ['packages/core/test/runtimes/*.test.ts'], testTimeout: 60_000 } },
      // The token endpoint end to end: the examples/ apps on their runtimes over real HTTP (against the
      // built library), the published subpaths, and the browser side in Chromium.
      {
        test: {
          name: 'endpoint',
          include: ['packages/core/test/endpoint/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      { test: { name: 'cli', include: ['packages/cli/test/**/*.test.ts'], testTimeout: 60_000 } },
      {
        test: {
          name: 'server',
          include: ['packages/server/test/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      // One token, one verdict: the library, the CLI, the service and the inspector (in Chromium) side by side.
      {
        test: {
          name: 'conformance',
          include: ['test/conformance/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      // The repository as a newcomer meets it: the preflight of npm test, every README code block.
      { test: { name: 'repo', include: ['test/repo/*.test.ts'], testTimeout: 120_000 } },
      // How the packages look to their users: declarations, package metadata, packed tarballs.
      { test: { name: 'packaging', include: ['test/packaging/*.test.ts'], testTimeout: 120_000 } },
      {
        test: {
          name: 'inspector',
          include: ['packages/inspector/test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
