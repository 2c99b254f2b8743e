/**
 * The emulator's examples, one per test runner (examples/emulator/), are documentation that runs: each runner
 * is spawned on its example as docs/EMULATOR.md says to run it, and must pass every test it was written with,
 * counted from the runner's own report (JSON or TAP), not from its exit code. Every TCP server the runner or
 * its workers started (the emulator) must have been closed by the runner's own tear-down hooks, and no process
 * of the run may be left behind.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
    args: (report) => [
      bin('vitest/vitest.mjs'),
      'run',
      '--config',
      join(EXAMPLES, 'vitest/vitest.config.ts'),
      '--reporter=json',
      `--outputFile=${report}`,
    ],
    counts: jestLike,
    tests: 6,
  },
  {
    name: 'Jest',
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
    args: () => ['--test', '--test-reporter=tap', join(EXAMPLES, 'node-test/daily.test.js')],
    counts: (_report, stdout) => {
      const n = (what: string) => Number(new RegExp(`^# ${what} (\\d+)$`, 'm').exec(stdout)?.[1] ?? Number.NaN);
      return { passed: n('pass'), failed: n('fail') + n('cancelled'), skipped: n('skipped') + n('todo') };
    },
    tests: 4,
  },
  {
    name: 'Playwright Test',
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
      if (runner.name === 'Playwright Test') args.push('--reporter=json');
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
