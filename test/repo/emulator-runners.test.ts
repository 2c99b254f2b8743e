/**
 * The emulator's examples, one per test runner (examples/emulator/), are documentation that runs: each runner
 * is spawned on its example as docs/EMULATOR.md says to run it, and must pass every test it was written with,
 * counted from the runner's own report (JSON or TAP), not from its exit code. Every TCP server the runner or
 * its workers started (the emulator) must have been closed by the runner's own tear-down hooks, and no process
 * of the run may be left behind. docs/EMULATOR.md links every example file, gives each runner's command line
 * as run here, and its shell blocks (the emulator as a service, its HTTP controls) run against a real service.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXAMPLES = join(ROOT, 'examples/emulator');
const PRELOAD = fileURLToPath(new URL('./fixtures/listen-log.mjs', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'emulator-runners-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}
interface Runner {
  name: string;
  /** How docs/EMULATOR.md says to run the example; the args below are the same run, with a report. */
  command: string;
  args: (report: string) => string[];
  nodeOptions?: string;
  /** The report as counts: from the file `report`, or from stdout. */
  counts: (report: string, stdout: string) => Counts;
  /** The tests the example has; a test dropped or skipped by mistake shows here. */
  tests: number;
}

const json = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
const bin = (path: string) => join(ROOT, 'node_modules', path);
/** Vitest and Jest write the same JSON summary. */
const jestLike = (file: string): Counts => {
  const r = json(file);
  return { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests };
};

const RUNNERS: Runner[] = [
  {
    name: 'Vitest',
    command: 'npx vitest run --config examples/emulator/vitest/vitest.config.ts',
    args: (report) => [
      bin('vitest/vitest.mjs'),
      'run',
      '--config',
      join(EXAMPLES, 'vitest/vitest.config.ts'),
      '--reporter=json',
      `--outputFile=${report}`,
    ],
    counts: jestLike,
    tests: 7,
  },
  {
    name: 'Jest',
    command: 'NODE_OPTIONS=--experimental-vm-modules npx jest --config examples/emulator/jest/jest.config.js',
    args: (report) => [
      bin('jest/bin/jest.js'),
      '--config',
      join(EXAMPLES, 'jest/jest.config.js'),
      '--json',
      `--outputFile=${report}`,
    ],
    nodeOptions: '--experimental-vm-modules',
    counts: jestLike,
    tests: 4,
  },
  {
    name: 'node:test',
    command: 'node --test examples/emulator/node-test/daily.test.js',
    args: () => ['--test', '--test-reporter=tap', join(EXAMPLES, 'node-test/daily.test.js')],
    counts: (_report, stdout) => {
      const n = (what: string) => Number(new RegExp(`^# ${what} (\\d+)$`, 'm').exec(stdout)?.[1] ?? Number.NaN);
      return { passed: n('pass'), failed: n('fail') + n('cancelled'), skipped: n('skipped') + n('todo') };
    },
    tests: 4,
  },
  {
    name: 'Playwright Test',
    command: 'npx playwright test --config examples/emulator/playwright/playwright.config.ts',
    args: () => [bin('@playwright/test/cli.js'), 'test', '--config', join(EXAMPLES, 'playwright/playwright.config.ts')],
    counts: (report) => {
      const { stats } = json(report);
      return { passed: stats.expected, failed: stats.unexpected + stats.flaky, skipped: stats.skipped };
    },
    tests: 3,
  },
];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  pgid: number;
}

/** Runs a runner in its own process group, so a timeout can end all of it and leftovers can be found. */
function runInGroup(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
      reject(new Error(`timed out after ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, pgid: child.pid as number });
    });
  });
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

function runnerEnv(extra: Record<string, string>, nodeOptions?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  // this suite's own Vitest state must not leak into the runner under test (a nested Vitest reads it)
  for (const k of Object.keys(env)) if (k.startsWith('VITEST') || k.startsWith('npm_')) delete env[k];
  delete env.FORCE_COLOR;
  delete env.NODE_ENV;
  delete env.DAILY_API_URL;
  delete env.DAILY_API_KEY;
  env.NODE_OPTIONS = [`--import=${PRELOAD}`, nodeOptions].filter(Boolean).join(' ');
  return env;
}

describe('examples/emulator: each runner runs its example', () => {
  for (const runner of RUNNERS) {
    it(`${runner.name}: every test passes, the emulator is closed by the runner's hooks, nothing is left running`, async () => {
      const dir = mkdtempSync(join(scratch, 'run-'));
      const report = join(dir, 'report.json');
      const listenLog = join(dir, 'listen.log');
      const env = runnerEnv({ LISTEN_LOG_FILE: listenLog, PLAYWRIGHT_JSON_OUTPUT_NAME: report }, runner.nodeOptions);
      const args = runner.args(report);
      // Playwright's .last-run.json goes to the scratch folder, not to test-results/ in the repository
      if (runner.name === 'Playwright Test') args.push('--reporter=json', `--output=${join(dir, 'playwright')}`);
      const run = await runInGroup(args, env, 60_000);

      const why = `${runner.name} exited ${run.code}\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`;
      expect(run.code, why).toBe(0);
      expect(runner.counts(report, run.stdout), why).toEqual({ passed: runner.tests, failed: 0, skipped: 0 });

      // every server that listened was closed before the runner exited, and its port is free now
      const lines = existsSync(listenLog) ? readFileSync(listenLog, 'utf8').trim().split('\n') : [];
      const listened = lines.filter((l) => l.startsWith('listen ')).map((l) => l.slice('listen '.length));
      const closed = lines.filter((l) => l.startsWith('close ')).map((l) => l.slice('close '.length));
      expect(listened.length, 'the example started no emulator').toBeGreaterThan(0);
      expect(closed.sort()).toEqual(listened.sort());
      for (const port of listened.map((l) => Number(l.split(' ')[1]))) expect(await refused(port)).toBe(true);

      // no worker or child of the runner outlives it
      for (let i = 0; i < 20 && groupAlive(run.pgid); i++) await new Promise((r) => setTimeout(r, 100));
      expect(groupAlive(run.pgid), 'a process of the run is still alive').toBe(false);
    });
  }
});

const DOC = readFileSync(join(ROOT, 'docs/EMULATOR.md'), 'utf8');
const shellBlocks = [...DOC.matchAll(/^```bash\n([\s\S]*?)^```$/gm)].map((m) => m[1] as string);

describe('docs/EMULATOR.md', () => {
  it('links every file of examples/emulator/ (and only files that exist), and runs each runner as tested above', () => {
    const files = readdirSync(EXAMPLES, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name).slice(ROOT.length).replace(/^\//, ''))
      // the app's declarations go with its daily.js
      .filter((f) => !f.endsWith('.d.ts'));
    const linked = [...DOC.matchAll(/\]\(\.\.\/(examples\/emulator\/[^)#]+)\)/g)].map((m) => m[1] as string);
    for (const f of linked.filter((l) => !l.endsWith('/'))) expect(existsSync(join(ROOT, f)), f).toBe(true);
    expect(files.filter((f) => !linked.includes(f))).toEqual([]);
    for (const runner of RUNNERS) expect(DOC).toContain(`\`${runner.command}\``);
  });

  it('starts the service as its first shell block says, and its HTTP controls work as the second shows', async () => {
    expect(shellBlocks).toHaveLength(2);
    const [start, controls] = shellBlocks as [string, string];
    const exports = /^export .*$/m.exec(start)?.[0];
    expect(exports, 'the start block sets the key and the admin token').toBeDefined();
    const script = start
      .replace('npx daily-tokens serve', `exec ${process.execPath} packages/cli/bin/daily-tokens.js serve`)
      .replace('--port 8787', '--port 0');
    expect(script).toContain('--port 0');
    // the block as written: its store is in memory, so it leaves nothing in the checkout
    expect(script).toContain('--data :memory:');
    const env = runnerEnv({});
    delete env.NODE_OPTIONS;
    const service = spawn('bash', ['-c', script], {
      cwd: ROOT,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const origin = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no "listening on" line in 20 s: ${out}`)), 20_000);
        service.stdout.on('data', (d) => {
          out += d;
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1] as string);
          }
        });
        service.once('exit', (code) => reject(new Error(`the service exited (${code}): ${out}`)));
      });
      const shell = await new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(
          'bash',
          ['-c', `set -e\n${exports}\ntrap echo DEBUG\n${controls.replaceAll('http://127.0.0.1:8787', origin)}`],
          {
            cwd: ROOT,
            env,
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
        });
        child.stderr.on('data', (d) => {
          out += d;
        });
        child.on('close', (code) => resolve({ code, out }));
      });
      expect(shell.code, shell.out).toBe(0);
      // the injected 429, in Daily's shape, with its Retry-After (each command's output on lines of its own:
      // the DEBUG trap writes a line break before each)
      expect(shell.out).toMatch(/^HTTP\/1\.1 429/m);
      expect(shell.out).toMatch(/^retry-after: 1\r?$/im);
      expect(shell.out).toContain('"error":"rate-limit-error"');
      // the journal's entry for it, the key masked
      const journal = /^\{"data":\[\{"seq".*$/m.exec(shell.out)?.[0] ?? '{}';
      expect(JSON.parse(journal).data.map((e: { status: number }) => e.status)).toEqual([429]);
      expect(journal).not.toContain('test-key-0123456789');
    } finally {
      if (service.exitCode === null) {
        const closed = new Promise((r) => service.once('close', r));
        process.kill(-(service.pid as number), 'SIGTERM');
        await closed;
      }
    }
    expect(groupAlive(service.pid as number), 'the service is still running').toBe(false);
  });
});

describe('the runners as root devDependencies', () => {
  type Entry = { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, Entry & { hasInstallScript?: boolean }>;
  };
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    allowScripts?: Record<string, boolean>;
  };
  /** Where npm put `name` for the package at `from`: the nearest node_modules up the tree. */
  const resolve = (from: string, name: string): string | undefined => {
    for (let dir = from; ; dir = dir.slice(0, Math.max(0, dir.lastIndexOf('/node_modules/')))) {
      const at = `${dir ? `${dir}/` : ''}node_modules/${name}`;
      if (lock.packages[at]) return at;
      if (!dir) return undefined;
    }
  };

  it('run no install script: Playwright downloads no browser, and nothing else they bring runs at install', () => {
    const seen = new Set<string>();
    const queue = ['jest', '@jest/globals', '@playwright/test', 'ky'].map((n) => resolve('', n) as string);
    for (let at = queue.pop(); at; at = queue.pop()) {
      if (seen.has(at)) continue;
      seen.add(at);
      const e = lock.packages[at] as Entry;
      for (const n of Object.keys({ ...e.dependencies, ...e.optionalDependencies })) {
        const dep = resolve(at, n);
        if (dep) queue.push(dep);
      }
    }
    expect(seen.has('node_modules/playwright-core')).toBe(true);
    expect(seen.size).toBeGreaterThan(100); // Jest's tree: the walk followed the lockfile
    const scripted = [...seen].filter((at) => lock.packages[at]?.hasInstallScript);
    // @parcel/watcher (Jest's file watcher) builds itself from source only when no prebuilt binary fits; npm
    // does not run it (not in allowScripts) and its prebuilt binaries are optional dependencies
    expect(scripted).toEqual(['node_modules/@parcel/watcher']);
    for (const at of scripted) expect(pkg.allowScripts?.[at.slice('node_modules/'.length)]).toBeUndefined();
  });
});
