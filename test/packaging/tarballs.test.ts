/**
 * The packages as a user gets them: `npm pack` each workspace, install the tarballs into scratch projects
 * (the CLI alone; the CLI with the service) and run what the READMEs say, as written.
 *
 * Installs use npm's cache (`--prefer-offline`): the dependencies are the ones `npm ci` fetched. The project with
 * the service is installed with `--ignore-scripts` and given the repository's own better-sqlite3 binary (same
 * package version, same Node), because compiling it from source takes minutes on a small machine; a version
 * mismatch falls back to `npm rebuild better-sqlite3` there.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
const API_KEY = 'example-domain-api-key-0123456789abcdef0123';
const DOMAIN_ID = '25df5057-ef0d-4d97-bde6-0cf287276cbb';

let work: string;
let cliOnly: string;
let full: string;
const children: ChildProcess[] = [];

const env = (extra: Record<string, string> = {}) => {
  const e: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...extra };
  // The scratch projects must not see the workspace's own configuration or binaries.
  for (const k of Object.keys(e)) if (k.startsWith('npm_') || k === 'INIT_CWD' || k === 'FORCE_COLOR') delete e[k];
  return e as NodeJS.ProcessEnv;
};

async function install(dir: string, tarballs: string[], flags: string[] = []): Promise<void> {
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...flags, ...tarballs], {
    cwd: dir,
    env: env(),
  });
}

/** The repository's compiled better-sqlite3, if it is the same version the scratch project got. */
async function provideSqlite(dir: string): Promise<void> {
  const version = (d: string) =>
    (JSON.parse(readFileSync(join(d, 'node_modules/better-sqlite3/package.json'), 'utf8')) as { version: string })
      .version;
  const built = join(ROOT, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
  if (version(dir) === version(ROOT) && existsSync(built)) {
    const target = join(dir, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(built, target);
  } else {
    await run('npm', ['rebuild', 'better-sqlite3'], { cwd: dir, env: env() });
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'daily-tokens-pack-'));
  const tgz = join(work, 'tgz');
  mkdirSync(tgz);
  const workspaces = ['daily-tokens', '@daily-tokens/cli', '@daily-tokens/server', '@daily-tokens/inspector'];
  await run('npm', ['pack', '--ignore-scripts', '--pack-destination', tgz, ...workspaces.flatMap((w) => ['-w', w])], {
    cwd: ROOT,
  });
  const file = (prefix: string) => join(tgz, readdirSync(tgz).find((f) => f.startsWith(prefix)) as string);
  const [core, cli, server, inspector] = [
    'daily-tokens-0',
    'daily-tokens-cli-',
    'daily-tokens-server-',
    'daily-tokens-inspector-',
  ].map(file) as [string, string, string, string];
  cliOnly = join(work, 'cli-only');
  full = join(work, 'full');
  await Promise.all([
    install(cliOnly, [core, cli]),
    install(full, [core, cli, server, inspector], ['--ignore-scripts']).then(() => provideSqlite(full)),
  ]);
}, 240_000);

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  if (work) rmSync(work, { recursive: true, force: true });
});

interface Step {
  command: string;
  expected: string;
}

/** The README's console blocks: `$ command` lines, each followed by the output it prints. */
function consoleBlocks(readme: string): Step[][] {
  return [...readme.matchAll(/```console\n([\s\S]*?)```/g)].map(([, body]) => {
    const steps: Step[] = [];
    for (const line of (body as string).replace(/\n$/, '').split('\n')) {
      if (line.startsWith('$ ')) steps.push({ command: line.slice(2), expected: '' });
      else if (steps.length > 0) (steps.at(-1) as Step).expected += `${line}\n`;
    }
    return steps;
  });
}

/** Runs a block's commands in one bash, in order, stdout and stderr merged as a terminal shows them. */
async function runBlock(dir: string, steps: Step[]): Promise<string[]> {
  const marker = (i: number) => `@@step ${i}@@`;
  const script = [
    'exec 2>&1',
    ...steps.flatMap((s, i) => [`__s=$?; echo '${marker(i)}'; ( exit $__s )`, s.command]),
    `echo '${marker(steps.length)}'`,
  ].join('\n');
  const { stdout } = await run('bash', ['-c', script], {
    cwd: dir,
    env: env({ DAILY_API_KEY: API_KEY, DAILY_DOMAIN_ID: DOMAIN_ID }),
  });
  return steps.map((_, i) => {
    const from = stdout.indexOf(`${marker(i)}\n`) + marker(i).length + 1;
    return stdout.slice(from, stdout.indexOf(`${marker(i + 1)}\n`));
  });
}

/**
 * The lines of an output, in order, except that rates and elapsed times (the only things that differ from run to
 * run) are masked and the lines are sorted: stdout and stderr are two pipes, and how a terminal interleaves them
 * (a batch's summary on stderr while its tokens are still in stdout's buffer) is not part of what is promised.
 */
const steady = (s: string) =>
  s
    .replace(/in \d+\.\d s \(\d+ rows\/s\)/g, 'in # s (# rows/s)')
    .split('\n')
    .sort()
    .join('\n');

describe('the CLI installed alone', () => {
  it('pulls in no server stack', () => {
    const installed = readdirSync(join(cliOnly, 'node_modules'));
    for (const heavy of ['fastify', 'better-sqlite3', 'pg', 'ioredis', 'kysely'])
      expect(installed).not.toContain(heavy);
    expect(existsSync(join(cliOnly, 'node_modules/@daily-tokens/server'))).toBe(false);
  });

  it('prints every console example of its README exactly as shown', async () => {
    const readme = readFileSync(join(ROOT, 'packages/cli/README.md'), 'utf8');
    const blocks = consoleBlocks(readme);
    expect(blocks.length).toBeGreaterThanOrEqual(8);
    for (const steps of blocks) {
      // `$ cat users.ndjson` shows a file the reader is meant to have: write it from what the block shows.
      for (const { command, expected } of steps) {
        const cat = /^cat (\S+)$/.exec(command);
        if (cat && !existsSync(join(cliOnly, cat[1] as string)))
          writeFileSync(join(cliOnly, cat[1] as string), expected);
      }
      const outputs = await runBlock(cliOnly, steps);
      steps.forEach((step, i) => {
        expect(steady(outputs[i] as string), `$ ${step.command}`).toBe(steady(step.expected));
      });
    }
  });

  it('runs the library snippets of both READMEs as plain JavaScript modules', async () => {
    for (const file of ['README.md', 'packages/core/README.md']) {
      const snippet = /```js\n([\s\S]*?)```/.exec(readFileSync(join(ROOT, file), 'utf8'))?.[1];
      expect(snippet, file).toBeDefined();
      writeFileSync(join(cliOnly, 'app.mjs'), snippet as string);
      const { stdout } = await run(process.execPath, ['app.mjs'], {
        cwd: cliOnly,
        env: env({ DAILY_API_KEY: API_KEY, DAILY_DOMAIN_ID: DOMAIN_ID }),
      });
      if (file === 'packages/core/README.md') {
        // What the comments in the snippet promise.
        expect(stdout).toBe("true []\n[]\n[ 'error no-expiry', 'info no-issued-at' ]\n");
      }
    }
  });
});

describe('the CLI with the service installed', () => {
  it('serves, answers the REST API with the printed key, and manages keys from the command line', async () => {
    // The binary npx runs, started directly so that SIGTERM reaches the service itself.
    const child = spawn(join(full, 'node_modules/.bin/daily-tokens'), ['serve', '--port', '0', '--data', './data'], {
      cwd: full,
      env: env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    child.stdout?.setEncoding('utf8');
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: string) => {
        out += chunk;
        if (/API key \(shown once, store it now\): \S+\n/.test(out) && /try: curl/.test(out)) resolve();
      });
      child.once('exit', (code) => reject(new Error(`serve exited with ${code} before it was ready:\n${out}`)));
    });
    await ready;
    const url = /listening on (\S+)/.exec(out)?.[1] as string;
    const key = /API key \(shown once, store it now\): (\S+)/.exec(out)?.[1] as string;
    const domain = await fetch(`${url}/v1/`, { headers: { Authorization: `Bearer ${key}` } });
    expect(domain.status).toBe(200);
    expect(await domain.json()).toMatchObject({ domain_name: 'dev' });
    const inspector = await fetch(`${url}/`);
    expect(await inspector.text()).toContain('<html');

    const listed = await run('npx', ['daily-tokens', 'keys', 'list', '--data', './data', '--json'], {
      cwd: full,
      env: env(),
    });
    expect(JSON.parse(listed.stdout)).toHaveLength(1);

    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('installed without the inspector (an optional dependency), `/` and the start-up lines say to npm install it', async () => {
    const inspector = join(full, 'node_modules/@daily-tokens/inspector');
    const aside = join(work, 'inspector-aside');
    renameSync(inspector, aside);
    try {
      const child = spawn(join(full, 'node_modules/.bin/daily-tokens'), ['serve', '--port', '0', '--data', './data'], {
        cwd: full,
        env: env(),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let out = '';
      child.stdout?.setEncoding('utf8');
      await new Promise<void>((resolve, reject) => {
        child.stdout?.on('data', (chunk: string) => {
          out += chunk;
          if (/^store: /m.test(out)) resolve();
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
      });
      const url = /listening on (\S+)/.exec(out)?.[1] as string;
      const version = JSON.parse(readFileSync(join(ROOT, 'packages/server/package.json'), 'utf8')).version;
      const fix = `npm install @daily-tokens/inspector@${version}`;
      expect(out).toContain(
        `inspector: not served (@daily-tokens/inspector is not installed); to serve it at ${url}/ run: ${fix}`,
      );
      expect(out).not.toContain(`inspector: ${url}/\n`);
      const page = await (await fetch(`${url}/`)).text();
      expect(page).toContain(fix);
      expect(page).not.toContain('npm run build');
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      renameSync(aside, inspector);
    }
  });
});
