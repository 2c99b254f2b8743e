// After tsc: the CLI as one module per command, with the library, commander and picocolors inlined. A short
// command's time is mostly start-up, and most of that was Node finding, reading and linking the library's ~40
// ESM files one by one and translating commander's CommonJS (bench/cli-startup.mjs measures it: decode went
// from about 2x a bare `node -e 0` to about 1.2x). csv-parse and cli-progress, which only `create --batch`
// loads, stay installed dependencies; the service's commands load from @daily-tokens/server as before. Chunks
// sit beside main.js, so the `../package.json` the program reads resolves from any of them. The licences of
// what is inlined from other projects go beside it, in THIRD-PARTY-LICENSES.md.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

const pkgDir = new URL('..', import.meta.url).pathname;
const dist = join(pkgDir, 'dist');
const out = join(pkgDir, 'dist-bundle');
rmSync(out, { recursive: true, force: true });
const result = await build({
  entryPoints: [join(dist, 'main.js')],
  outfile: join(out, 'main.cjs'),
  bundle: true,
  format: 'cjs',
  // less for V8 to pre-parse at every start; names kept, so nothing that prints a class or function name changes
  minify: true,
  keepNames: true,
  platform: 'node',
  target: 'node20',
  external: ['csv-parse', 'cli-progress', '@daily-tokens/server', '@daily-tokens/server/*'],
  // one CommonJS file: Node loads it without the ES module loader's resolving and linking, the larger part of
  // the start-up that was left; what it does not run, V8 only pre-parses. import.meta.url is the file's URL.
  define: { 'import.meta.url': '__cliFileUrl' },
  banner: { js: "const __cliFileUrl = require('node:url').pathToFileURL(__filename).href;" },
  metafile: true,
  logLevel: 'warning',
});

// Every package under node_modules that the bundle took code from, with its licence text.
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (!m || packages.has(m[1])) continue;
  const dir = join(process.cwd(), m[1]);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const licence = ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'license'].map((f) => join(dir, f)).find(existsSync);
  if (!licence) throw new Error(`${manifest.name} is bundled into the CLI but ships no LICENSE file`);
  packages.set(
    m[1],
    `## ${manifest.name}@${manifest.version} (${manifest.license})\n\n${readFileSync(licence, 'utf8').trim()}\n`,
  );
}
writeFileSync(
  join(out, 'THIRD-PARTY-LICENSES.md'),
  `# Code from other projects in this build\n\nThe daily-tokens library is this project's own (MIT, see LICENSE).\n\n${[...packages.values()].sort().join('\n')}`,
);
rmSync(dist, { recursive: true, force: true });
renameSync(out, dist);
if (!existsSync(join(dirname(dist), 'dist', 'main.cjs'))) throw new Error('bundle: dist/main.cjs missing');
