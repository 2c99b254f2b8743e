// @daily-tokens/server is ESM-only, so Jest runs the tests as ES modules: no transform, and Node's
// --experimental-vm-modules flag (Jest's own ESM support), set by the command line below.
// Run: NODE_OPTIONS=--experimental-vm-modules npx jest --config examples/emulator/jest/jest.config.js
import { fileURLToPath } from 'node:url';

export default {
  rootDir: fileURLToPath(new URL('.', import.meta.url)),
  testEnvironment: 'node',
  testMatch: ['<rootDir>/*.test.js'],
  transform: {},
};
