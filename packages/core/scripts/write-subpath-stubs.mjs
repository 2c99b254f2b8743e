// Old resolvers (TypeScript's node10, pre-exports bundlers) ignore "exports" and look for
// `daily-tokens/<subpath>` as a folder: give each subpath export a package.json there pointing at its CJS build.
// Derived from "exports", so a new subpath gets its stub without a second list.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const { exports } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
for (const [subpath, target] of Object.entries(exports)) {
  if (subpath === '.' || subpath === './package.json') continue;
  const dir = new URL(`${subpath.slice(2)}/`, root);
  const up = '../'.repeat(subpath.slice(2).split('/').length);
  const stub = { private: true, main: up + target.require.default.slice(2), types: up + target.require.types.slice(2) };
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL('package.json', dir), `${JSON.stringify(stub, null, 2)}\n`);
}
