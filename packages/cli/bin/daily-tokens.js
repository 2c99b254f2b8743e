#!/usr/bin/env node
// CommonJS (bin/package.json), like the program it loads (one file, see scripts/bundle.mjs): starting Node's ES
// module loader for a launcher cost a short command a noticeable part of its time. Node >= 22.1 keeps the
// compiled code between runs (a short command's time is mostly start-up); Node 20 has no such API and runs as
// before. The program loads after the cache is turned on.
const { enableCompileCache } = require('node:module');

try {
  enableCompileCache?.();
} catch {
  // a cache that cannot be used (read-only disk …) only costs speed
}
require('../dist/main.cjs');
