/**
 * What the library costs a browser bundle (esbuild, --bundle --minify --format=esm, gzip -9) of the built
 * package. A budget fails the test when a change makes the bundle grow past it. Everything in the main
 * entry is at its goal (≤ 16 KB; prose, schemas and the REST client are their own entries); create +
 * verify and decode are budgeted at today's sizes on the way to theirs (≤ 8 KB, ≤ 4 KB). A budget moves
 * up only with a reason in the commit that moves it. Browser bundles leave the node:crypto backend out
 * (the package's `browser` field); the last tests check that they do, and that such a bundle works.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../dist/esm/index.js', import.meta.url));

async function bundle(exports: string, platform: 'browser' | 'node' = 'browser'): Promise<string> {
  const result = await build({
    stdin: { contents: `export ${exports} from ${JSON.stringify(entry)};`, resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform,
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

async function gzippedSize(exports: string): Promise<number> {
  return gzipSync(await bundle(exports), { level: 9 }).length;
}

const BUDGETS: [string, string, number][] = [
  ['createMeetingToken + verifyMeetingToken', '{ createMeetingToken, verifyMeetingToken }', 13_660],
  ['decodeUnverified alone', '{ decodeUnverified }', 7_470],
  ['everything exported', '*', 17_600],
];

describe('bundle size', () => {
  it('is measured on the built library', () => {
    expect(existsSync(entry)).toBe(true);
  });

  it.each(BUDGETS)('%s stays within its budget', async (_name, exports, budget) => {
    const size = await gzippedSize(exports);
    expect(size).toBeGreaterThan(1000);
    expect(size).toBeLessThanOrEqual(budget);
  });

  it('decoding does not ship the registry prose or the writing half', async () => {
    const code = await bundle('{ decodeUnverified }');
    expect(code).not.toContain('Eject the participant when the token expires');
    expect(code).not.toContain('is snake_case');
  });

  it('a browser bundle leaves the node:crypto backend out; a Node bundle keeps it', async () => {
    const exports = '{ createMeetingToken, verifyMeetingToken }';
    // getBuiltinModule is how the Node backend finds node:crypto; hash() is its one-shot HMAC.
    expect(await bundle(exports, 'browser')).not.toContain('getBuiltinModule');
    expect(await bundle(exports, 'node')).toContain('getBuiltinModule');
    // The same through the CommonJS build, whose files the field maps as well.
    const cjs = await build({
      stdin: {
        contents: `module.exports = require(${JSON.stringify(entry.replace('/dist/esm/', '/dist/cjs/'))}).verifyMeetingToken;`,
        resolveDir: process.cwd(),
        loader: 'js',
      },
      bundle: true,
      minify: true,
      format: 'cjs',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    });
    expect(cjs.outputFiles[0]?.text).toContain('verify');
    expect(cjs.outputFiles[0]?.text).not.toContain('getBuiltinModule');
  });

  it('the browser bundle works: it signs and verifies on Web Crypto', async () => {
    const code = await bundle(
      '{ createMeetingToken, verifyMeetingToken, createMeetingTokenVerifier, useCryptoBackend }',
    );
    const lib = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
    // Asking for node:crypto where the bundle has no Node backend says so, even in Node.
    expect(() => lib.useCryptoBackend('node')).toThrow(/node:crypto is not available/);
    expect(lib.useCryptoBackend('auto')).toBe('webcrypto');
    const options = { apiKey: 'a-key-for-the-browser-bundle', domainId: 'd-1' };
    const token: string = await lib.createMeetingToken({ room_name: 'r', exp: 4_000_000_000 }, options);
    const result = await lib.verifyMeetingToken(token, { ...options, roomName: 'r' });
    expect(result.problems).toEqual([]);
    expect(result.valid).toBe(true);
    const verifier = lib.createMeetingTokenVerifier(options);
    expect(() => verifier.verifySync(token)).toThrow(/Web Crypto/);
  });
});
