/**
 * `npm test` on a machine without Debian's chromium, zsh, fish and promtool: the preflight installs them when it
 * can (root with apt-get) and otherwise stops within seconds, before any build or test, with the one command to
 * run. The machine is simulated (DAILY_TOKENS_PREFLIGHT_PATH replaces PATH for the preflight's lookups, and a
 * fake apt-get records what it was asked); nothing is uninstalled or installed here.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPT = join(ROOT, 'scripts/preflight.mjs');
const isRoot = process.getuid?.() === 0;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function machine(tools: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-'));
  dirs.push(dir);
  for (const t of tools) tool(dir, t, '#!/bin/sh\nexit 0\n');
  return dir;
}
function tool(dir: string, name: string, body: string): void {
  writeFileSync(join(dir, name), body);
  chmodSync(join(dir, name), 0o755);
}

interface Outcome {
  code: number;
  out: string;
  ms: number;
}
function run(file: string, args: string[], env: Record<string, string | undefined>): Promise<Outcome> {
  const started = Date.now();
  const full = { ...process.env, ...env };
  delete full.CHROMIUM_PATH;
  for (const k of Object.keys(full)) if (k.startsWith('npm_')) delete full[k];
  return new Promise((resolve) => {
    execFile(file, args, { cwd: ROOT, env: full, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? ((error as { code?: number }).code ?? 1) : 0;
      resolve({ code: typeof code === 'number' ? code : 1, out: stdout + stderr, ms: Date.now() - started });
    });
  });
}
const preflight = (env: Record<string, string | undefined>) => run(process.execPath, [SCRIPT], env);
const COMMAND = `${isRoot ? '' : 'sudo '}apt-get update && ${isRoot ? '' : 'sudo '}apt-get install -y --no-install-recommends`;

describe('the preflight of npm test', () => {
  it('without the packages and without apt-get, `npm test` stops in seconds with the one command, before building', async () => {
    const r = await run('npm', ['test'], { DAILY_TOKENS_PREFLIGHT_PATH: machine([]) });
    expect(r.code).not.toBe(0);
    expect(r.out).toContain(`  ${COMMAND} chromium zsh fish prometheus\n`);
    expect(r.out).toContain('chromium (the inspector and endpoint browser tests)');
    expect(r.out).toContain('prometheus (promtool, for the /metrics test)');
    // nothing after the preflight ran: npm announces each script it starts (`> pkg@version build`)
    expect(r.out).toContain('node scripts/preflight.mjs && npm run build');
    expect(r.out).not.toMatch(/@\d+\.\d+\.\d+ (build|lint|typecheck)\n|tsc -p|Checked \d+ files|RUN {2}v/);
    expect(r.ms).toBeLessThan(20_000);
  });

  it('names only what is missing', async () => {
    const r = await preflight({ DAILY_TOKENS_PREFLIGHT_PATH: machine(['chromium', 'fish', 'promtool']) });
    expect(r.code).toBe(1);
    expect(r.out).toContain(`  ${COMMAND} zsh\n`);
    expect(r.out).not.toContain('chromium (');
    expect(r.ms).toBeLessThan(5_000);
  });

  it('as root with apt-get, installs them (update, then install) and goes on', async () => {
    const dir = machine([]);
    const log = join(dir, 'apt.log');
    // The fake apt-get "installs" by putting the packages' binaries where the lookups look.
    tool(
      dir,
      'apt-get',
      `#!/bin/sh\necho "$@" >> ${log}\nif [ "$1" = install ]; then for t in chromium zsh fish promtool; do printf '#!/bin/sh\\n' > ${dir}/$t; chmod +x ${dir}/$t; done; fi\n`,
    );
    const r = await preflight({ DAILY_TOKENS_PREFLIGHT_PATH: dir });
    if (!isRoot) {
      // Not root: apt-get cannot install, so the command is printed instead.
      expect(r.code).toBe(1);
      expect(r.out).toContain(`  ${COMMAND} chromium zsh fish prometheus\n`);
      return;
    }
    expect(r.out).toContain('preflight: installing from Debian: chromium zsh fish prometheus');
    expect(readFileSync(log, 'utf8')).toBe(
      'update -qq\ninstall -y -qq --no-install-recommends chromium zsh fish prometheus\n',
    );
    expect(r.code).toBe(0);
  });

  it('when apt-get fails, says so and gives the command to see why', async () => {
    const dir = machine([]);
    tool(dir, 'apt-get', '#!/bin/sh\nexit 100\n');
    const r = await preflight({ DAILY_TOKENS_PREFLIGHT_PATH: dir });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      isRoot ? /apt-get could not install chromium zsh fish prometheus \(exit 100\)/ : /sudo apt-get/,
    );
  });

  it('with DAILY_TOKENS_PREFLIGHT_INSTALL=0 it never installs, even as root', async () => {
    const dir = machine([]);
    tool(dir, 'apt-get', `#!/bin/sh\ntouch ${dir}/ran\n`);
    const r = await preflight({ DAILY_TOKENS_PREFLIGHT_PATH: dir, DAILY_TOKENS_PREFLIGHT_INSTALL: '0' });
    expect(r.code).toBe(1);
    expect(r.out).toContain(`  ${COMMAND} chromium zsh fish prometheus\n`);
    expect(() => readFileSync(join(dir, 'ran'))).toThrow();
  });

  it('a service that does not answer (and may not be started) stops it with the command that starts it', async () => {
    const r = await preflight({
      DAILY_TOKENS_PREFLIGHT_PATH: machine(['chromium', 'zsh', 'fish', 'promtool']),
      DAILY_TOKENS_PREFLIGHT_INSTALL: '0',
      DAILY_TOKENS_PREFLIGHT_REDIS_PORT: '1', // nothing listens on port 1
    });
    expect(r.code).toBe(1);
    expect(r.out).toContain('npm test needs Redis on 127.0.0.1:1');
    expect(r.out).toContain('redis-server --daemonize yes');
    expect(r.ms).toBeLessThan(5_000);
  });

  it('on this machine (everything there, as .ci/run leaves it) it passes at once', async () => {
    const r = await preflight({});
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
    expect(r.ms).toBeLessThan(5_000);
  });
});
