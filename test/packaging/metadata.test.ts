/**
 * What every published package says about itself: licence file, repository links, engines, one version, only
 * what runs in the tarball; and the two standard checkers of package shape, publint and attw, find nothing.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { satisfies } from 'semver';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

interface Manifest {
  name: string;
  version: string;
  license?: string;
  repository?: { type: string; url: string; directory?: string };
  homepage?: string;
  bugs?: { url: string };
  engines?: { node?: string };
  files?: string[];
  types?: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}
const read = (dir: string): Manifest => JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8'));
const root = read('.');
const DIRS = (root as unknown as { workspaces: string[] }).workspaces;
const packages = DIRS.map((dir) => ({ dir, pkg: read(dir) }));
const names = new Set(packages.map((p) => p.pkg.name));

describe.each(packages)('$pkg.name', ({ dir, pkg }) => {
  it('ships the licence and points at the repository, its issues and its own README', () => {
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(join(ROOT, dir, 'LICENSE'), 'utf8')).toBe(readFileSync(join(ROOT, 'LICENSE'), 'utf8'));
    expect(pkg.repository).toEqual({ ...root.repository, directory: dir });
    expect(pkg.bugs).toEqual(root.bugs);
    expect(pkg.homepage).toBe(`${root.homepage?.replace(/#readme$/, '')}/tree/main/${dir}#readme`);
    expect(pkg.engines).toEqual(root.engines);
  });

  it('has the one version every package has, and depends on its siblings at exactly that version', () => {
    expect(pkg.version).toBe(packages[0]?.pkg.version);
    for (const [name, range] of Object.entries(pkg.dependencies ?? {})) {
      if (names.has(name)) expect(range, name).toBe(pkg.version);
    }
    // Optional siblings (the CLI's server, the server's inspector) accept any patch of the same minor.
    for (const deps of [pkg.peerDependencies, pkg.optionalDependencies]) {
      for (const [name, range] of Object.entries(deps ?? {})) {
        if (names.has(name)) expect(range, name).toBe(`^${pkg.version.replace(/\.\d+$/, '.0')}`);
      }
    }
  });

  it('packs only what runs: build output, README, LICENSE, CHANGELOG (no sources, tests or configs)', async () => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: join(ROOT, dir) });
    const [info] = JSON.parse(stdout) as [{ files: { path: string }[] }];
    const paths = info.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE']));
    // A subpath export may have a `<subpath>/package.json` that points into dist, for node10 resolution.
    const redirects = Object.keys((pkg as { exports?: Record<string, unknown> }).exports ?? {})
      .filter((k) => k !== '.' && k !== './package.json')
      .map((k) => `${k.slice(2)}/package.json`);
    const extra = paths.filter(
      (p) =>
        !/^(dist|bin)\//.test(p) &&
        !['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'index.js', 'index.d.ts', ...redirects].includes(p),
    );
    expect(extra).toEqual([]);
    // The library supports node10 resolution (attw's strict profile), so its stubs must ship.
    if (pkg.name === 'daily-tokens') expect(paths).toEqual(expect.arrayContaining(redirects));
    expect(paths.filter((p) => /\.(ts|tsx)$/.test(p) && !p.endsWith('.d.ts'))).toEqual([]);
  });

  it('publint finds nothing, not even a suggestion (but one, reasoned)', async () => {
    const { messages } = await publint({ pkgDir: join(ROOT, dir), level: 'suggestion', strict: true });
    // The library swaps its node:crypto backend out of browser bundles with the `browser` field. publint
    // suggests an `imports` map with a browser condition instead, but the CJS build is compiled with
    // node10 resolution (attw's strict profile), which cannot resolve `#imports`; the field works for
    // both builds in esbuild, Vite, webpack and Rollup. size.test.ts checks that the swap happens.
    const reasoned = (m: { code: string }) =>
      pkg.name === 'daily-tokens' && m.code === 'USE_EXPORTS_OR_IMPORTS_BROWSER';
    expect(messages.filter((m) => !reasoned(m))).toEqual([]);
  });

  it('attw finds no type-resolution problem (ESM-only packages: for ESM and bundler resolution)', async () => {
    // The library ships CJS too, so every resolution mode counts; the others are ESM-only by design.
    const profile = pkg.name === 'daily-tokens' ? 'strict' : 'esm-only';
    const attw = join(ROOT, 'node_modules/.bin/attw');
    // attw exits non-zero on any problem the profile counts; the JSON lists every problem, counted or not.
    const result = await run(attw, ['--pack', '.', '--profile', profile, '--format', 'json'], {
      cwd: join(ROOT, dir),
    }).catch((e: { stdout: string }) => ({ stdout: e.stdout, failed: true }));
    const report = JSON.parse(result.stdout) as { analysis: { types: unknown } };
    expect('failed' in result ? result.stdout : '').toBe('');
    // The CLI is a binary: no types and no importable entry point, which attw reports as such.
    if (pkg.name === '@daily-tokens/cli') expect(report.analysis.types).toBe(false);
    else expect(report.analysis.types).not.toBe(false);
  });
});

describe('releases', () => {
  it('changesets versions every package together and writes their CHANGELOGs', () => {
    const config = JSON.parse(readFileSync(join(ROOT, '.changeset/config.json'), 'utf8'));
    expect(config.fixed.map((group: string[]) => [...group].sort())).toEqual([[...names].sort()]);
    expect(config.changelog).toBe('@changesets/cli/changelog');
  });
});

describe('the lockfile', () => {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string; dev?: boolean; engines?: { node?: string } | string[] }>;
  };
  const lines = ['20.12.0', '22.0.0', '24.0.0']; // the lowest of each line `engines` names
  const wants = (entry: (typeof lock.packages)[string]) =>
    entry.engines && !Array.isArray(entry.engines) ? entry.engines.node : undefined;

  it('installs nothing for users that refuses a Node line the packages support', () => {
    const refused = Object.entries(lock.packages).flatMap(([path, entry]) => {
      const range = wants(entry);
      if (entry.dev || !range || path === '') return [];
      return lines.filter((v) => !satisfies(v, range)).map((v) => `${path}@${entry.version} wants ${range}, not ${v}`);
    });
    expect(refused).toEqual([]);
  });

  /**
   * Dev dependencies read as data, never run: their engines field speaks of running them. daily-js is
   * Daily's own artifact for the conformance tests (its index.d.ts); 0.87, the last release that allows
   * Node 20, lacks values Daily now takes (the languages cs and sk), so the newest one is what we test against.
   */
  const READ_NOT_RUN: Record<string, string> = {
    'node_modules/@daily-co/daily-js': 'its type declarations are parsed by the conformance tests',
  };

  it('gives `npm ci` nothing to warn EBADENGINE about on this machine (cookie@2 wanted Node 22: see overrides)', () => {
    const refused = Object.entries(lock.packages).flatMap(([path, entry]) => {
      const range = wants(entry);
      if (Object.hasOwn(READ_NOT_RUN, path) && entry.dev) return [];
      return range && !satisfies(process.versions.node, range) ? [`${path}@${entry.version} wants ${range}`] : [];
    });
    expect(refused).toEqual([]);
  });
});
