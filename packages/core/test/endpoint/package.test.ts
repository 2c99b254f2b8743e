/**
 * The endpoint's subpaths as published: ESM and CJS with types, and nothing from Node in the Web handler or
 * the browser helper (a browser bundle of them builds with no Node built-ins at hand).
 */
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ROOT } from './servers.js';

const pkg = `${ROOT}packages/core`;
const SUBPATHS = {
  'daily-tokens/endpoint': ['createTokenEndpoint', 'memoryRateLimit'],
  'daily-tokens/endpoint/node': ['createNodeTokenEndpoint', 'memoryRateLimit'],
  'daily-tokens/client': ['createTokenRefresher', 'fetchMeetingToken', 'TokenRequestError'],
};

describe('the endpoint subpaths', () => {
  it.each(Object.entries(SUBPATHS))('%s loads through import and require', (subpath, names) => {
    const list = `[${names.map((n) => `typeof m.${n}`).join(',')}].join()`;
    const esm = execFileSync(
      'node',
      ['--input-type=module', '-e', `const m = await import('${subpath}'); console.log(${list})`],
      {
        cwd: pkg,
        encoding: 'utf8',
      },
    );
    const cjs = execFileSync(
      'node',
      ['--input-type=commonjs', '-e', `const m = require('${subpath}'); console.log(${list})`],
      {
        cwd: pkg,
        encoding: 'utf8',
      },
    );
    expect(esm.trim()).toBe(names.map(() => 'function').join());
    expect(cjs.trim()).toBe(esm.trim());
  });

  it.each(['daily-tokens/endpoint', 'daily-tokens/client'])(
    '%s bundles for the browser with no Node built-ins',
    async (subpath) => {
      const result = await build({
        stdin: { contents: `export * from '${subpath}';`, resolveDir: pkg, loader: 'js' },
        bundle: true,
        format: 'esm',
        platform: 'browser',
        write: false,
        logLevel: 'silent',
        metafile: true,
      });
      const inputs = Object.keys(result.metafile.inputs);
      expect(inputs.some((i) => i.startsWith('node:'))).toBe(false);
      const text = result.outputFiles[0]?.text ?? '';
      expect(text).not.toMatch(/from\s*["']node:|require\(["']node:/);
    },
  );

  it('the browser helper stays small', async () => {
    const result = await build({
      stdin: { contents: `export * from 'daily-tokens/client';`, resolveDir: pkg, loader: 'js' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    });
    expect(result.outputFiles[0]?.text.length).toBeLessThan(8 * 1024);
  });
});
