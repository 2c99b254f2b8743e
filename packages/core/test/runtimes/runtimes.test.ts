/**
 * The built library in Bun and Deno (both installed from npm as dev dependencies) makes byte-for-byte the
 * tokens and verdicts Node makes, on node:crypto and on Web Crypto alike.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const probe = fileURLToPath(new URL('./probe.mjs', import.meta.url));
const bin = (name: string) => fileURLToPath(new URL(`../../../../node_modules/.bin/${name}`, import.meta.url));

const RUNTIMES: Record<string, string[]> = {
  node: [process.execPath, probe],
  bun: [bin('bun'), probe],
  // No permissions: the library needs none to sign and verify.
  deno: [bin('deno'), 'run', '--quiet', '--no-prompt', probe],
};

interface ProbeOutput {
  runtime: string;
  auto: string;
  /** decodeUnverified's answer (claims, or the error code) for each spelling of one payload. */
  strictness: Record<string, unknown>;
  backends: Record<string, Record<string, { token: string; sameFromBytes: boolean } & Record<string, unknown>>>;
}

const outputs: Record<string, ProbeOutput> = {};

beforeAll(async () => {
  await Promise.all(
    Object.entries(RUNTIMES).map(async ([name, [command, ...args]]) => {
      const { stdout } = await run(command as string, args, {
        timeout: 60_000,
        env: { ...process.env, NO_COLOR: '1' },
      });
      outputs[name] = JSON.parse(stdout) as ProbeOutput;
    }),
  );
}, 120_000);

describe('the library in other runtimes', () => {
  it('Node signs the same token with a string key and with its bytes, and judges it as expected', () => {
    const node = outputs.node as ProbeOutput;
    expect(node.runtime).toBe('node');
    expect(node.auto).toBe('node');
    for (const result of Object.values(node.backends.node ?? {})) {
      expect(result.sameFromBytes).toBe(true);
      expect(result).toMatchObject({ valid: [], wrongKey: ['bad-signature'], forged: ['bad-signature'] });
      expect(result.expired).toEqual(['expired']);
    }
  });

  it.each(['bun', 'deno'])('%s finds node:crypto, and both its backends match Node byte for byte', (name) => {
    const output = outputs[name] as ProbeOutput;
    const reference = (outputs.node as ProbeOutput).backends.node;
    expect(output.runtime).toBe(name);
    expect(output.auto).toBe('node');
    expect(Object.keys(output.backends).sort()).toEqual(['node', 'webcrypto']);
    for (const results of Object.values(output.backends)) expect(results).toEqual(reference);
  });

  it.each(['bun', 'deno'])('%s refuses exactly the payload spellings Node refuses', (name) => {
    const node = outputs.node as ProbeOutput;
    expect(node.strictness).toMatchObject({ canonical: { r: 'a>?' }, canonicalDash: { r: 'ab~~' } });
    expect(Object.values(node.strictness).filter((v) => v === 'malformed')).toHaveLength(8);
    expect((outputs[name] as ProbeOutput).strictness).toEqual(node.strictness);
  });

  it('Web Crypto in Node matches node:crypto too', () => {
    const node = outputs.node as ProbeOutput;
    expect(node.backends.webcrypto).toEqual(node.backends.node);
  });
});
