/**
 * What the library costs a browser bundle (esbuild, --bundle --minify --format=esm, gzip -9) of the built
 * package. A budget fails the test when a change makes the bundle grow past it. Everything in the main
 * entry is at its goal (≤ 16 KB; prose, schemas and the REST client are their own entries); create +
 * verify and decode are budgeted at today's sizes on the way to theirs (≤ 8 KB, ≤ 4 KB). A budget moves
 * up only with a reason in the commit that moves it.
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
  ['everything exported', '*', 16_000],
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
