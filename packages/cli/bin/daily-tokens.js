#!/usr/bin/env node
// CommonJS (bin/package.json), like the program it loads (one file, see scripts/bundle.mjs): starting Node's ES
// module loader for a launcher cost a short command a noticeable part of its time. A short command's time is
// mostly start-up, so the compiled code is kept between runs: by Node itself from 22.1 on
// (module.enableCompileCache), and on Node 20 by this launcher through V8's code cache, in a folder of the
// user's own (never a shared one: code read from it runs). Any trouble with the cache only costs speed.
'use strict';
const Module = require('node:module');
const { dirname, join } = require('node:path');

const main = join(__dirname, '..', 'dist', 'main.cjs');

if (typeof Module.enableCompileCache === 'function') {
  try {
    Module.enableCompileCache();
  } catch {}
  require(main);
} else {
  runWithCodeCache(main);
}

/** The user's own cache folder (created 0700), or undefined when there is none we can trust. */
function cacheDir() {
  const fs = require('node:fs');
  const os = require('node:os');
  try {
    const base = process.env.XDG_CACHE_HOME || join(os.homedir(), '.cache');
    const dir = join(base, 'daily-tokens');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.statSync(dir);
    const uid = typeof process.getuid === 'function' ? process.getuid() : st.uid;
    return st.uid === uid && (st.mode & 0o022) === 0 ? dir : undefined;
  } catch {
    return undefined;
  }
}

function runWithCodeCache(file) {
  const fs = require('node:fs');
  const vm = require('node:vm');
  const loader = vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  // NODE_DISABLE_COMPILE_CACHE turns Node's own cache off; it turns this one off too
  const dir = loader && !process.env.NODE_DISABLE_COMPILE_CACHE ? cacheDir() : undefined;
  if (!dir) {
    require(file);
    return;
  }
  const source = fs.readFileSync(file, 'utf8');
  const stat = fs.statSync(file);
  // V8 checks the source and its own version and flags before using a cache; the name keeps builds apart.
  const cacheFile = join(dir, `cli-${process.version}-${stat.size}-${Math.trunc(stat.mtimeMs)}.v8`);
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {}
  // import() from code out of the cache has no loader: the program imports the service's commands through this
  globalThis[Symbol.for('daily-tokens.cli.import')] = (specifier) => import(specifier);
  const script = new vm.Script(Module.wrap(source), {
    filename: file,
    cachedData,
    importModuleDynamically: loader,
  });
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(dirname(file));
  mod.loaded = true;
  if (!cachedData || script.cachedDataRejected) {
    // After the run, so the functions it compiled are in the cache too.
    process.once('exit', () => {
      try {
        const tmp = `${cacheFile}.${process.pid}`;
        fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        fs.renameSync(tmp, cacheFile);
        // caches of other builds or Node versions are never read again
        for (const name of fs.readdirSync(dir))
          if (/^cli-.*\.v8$/.test(name) && join(dir, name) !== cacheFile) fs.rmSync(join(dir, name), { force: true });
      } catch {}
    });
  }
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, dirname(file));
}
