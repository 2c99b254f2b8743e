/**
 * The launcher keeps the CLI's compiled code between runs: Node's own compile cache from 22.1 on, and on Node 20
 * V8's code cache in the user's cache folder. A run from the cache behaves as a run without it, the service's
 * commands (loaded with import()) included. How fast it starts is measured by bench/cli-startup.mjs, not here.
 */
import module from 'node:module';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCS_TOKEN, ensureBuilt, NOW_ISO, runCli } from './helpers.js';

beforeAll(ensureBuilt, 180_000);
const home = mkdtempSync(join(tmpdir(), 'dt-cli-cache-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const nodeHasCache = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function';

describe('the compiled-code cache', () => {
  it('gives the same answers from the cache as without it, import() of the service included', async () => {
    const env = { XDG_CACHE_HOME: home };
    const first = await runCli(['decode', DOCS_TOKEN, '--json', '--now', NOW_ISO], { env });
    const second = await runCli(['decode', DOCS_TOKEN, '--json', '--now', NOW_ISO], { env });
    const off = await runCli(['decode', DOCS_TOKEN, '--json', '--now', NOW_ISO], {
      env: { ...env, NODE_DISABLE_COMPILE_CACHE: '1' },
    });
    expect(first.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(off.stdout).toBe(first.stdout);
    // the service's commands come through import(), which code from V8's cache cannot do by itself
    for (let i = 0; i < 2; i++) {
      const serve = await runCli(['serve', '--help'], { env });
      expect(serve.stderr).toBe('');
      expect(serve.stdout).toContain('Usage: daily-tokens serve');
    }
  });

  it("keeps the cache where it should: Node's own from 22.1 on, else one file in a folder of the user's own (0700)", async () => {
    const dir = join(home, 'daily-tokens');
    if (nodeHasCache) {
      // Node keeps it (in its own folder); the launcher writes nothing of its own
      expect(readdirSync(home)).toEqual([]);
      return;
    }
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`^cli-${process.version.replace(/\./g, '\\.')}-\\d+-\\d+\\.v8$`));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, files[0] as string)).mode & 0o777).toBe(0o600);
    const other = mkdtempSync(join(tmpdir(), 'dt-cli-nocache-'));
    try {
      await runCli(['decode', DOCS_TOKEN, '--now', NOW_ISO], {
        env: { XDG_CACHE_HOME: other, NODE_DISABLE_COMPILE_CACHE: '1' },
      });
      expect(readdirSync(other)).toEqual([]);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
