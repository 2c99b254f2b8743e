/**
 * What the library costs a browser bundle (esbuild, --bundle --minify --format=esm, gzip -9) of the built
 * package. A budget fails the test when a change makes the bundle grow past it; the budgets are today's
 * sizes with a little room, on the way to the goals (create + verify ≤ 8 KB, decode ≤ 4 KB,
 * everything ≤ 16 KB); a budget moves up only with a reason in the commit that moves it.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../dist/esm/index.js', import.meta.url));

async function gzippedSize(exports: string): Promise<number> {
  const result = await build({
    stdin: { contents: `export ${exports} from ${JSON.stringify(entry)};`, resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  return gzipSync(result.outputFiles[0]?.contents ?? new Uint8Array(), { level: 9 }).length;
}

const BUDGETS: [string, string, number][] = [
  ['createMeetingToken + verifyMeetingToken', '{ createMeetingToken, verifyMeetingToken }', 11_700],
  ['decodeUnverified alone', '{ decodeUnverified }', 5_900],
  ['everything exported', '*', 19_750],
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
    const result = await build({
      stdin: { contents: `export { decodeUnverified } from ${JSON.stringify(entry)};`, resolveDir: process.cwd() },
      bundle: true,
      minify: true,
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]?.text ?? '';
    expect(code).not.toContain('Eject the participant when the token expires');
    expect(code).not.toContain('is snake_case');
  });
});
