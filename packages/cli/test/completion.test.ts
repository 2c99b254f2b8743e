/**
 * `daily-tokens completion bash|zsh|fish`, loaded into the real shells (Debian's bash, zsh and fish; .ci/run
 * installs them): bash and fish are asked for completions as a user's TAB would; zsh, whose completion system
 * needs a terminal, is syntax-checked and its derived tables are read back.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CLAIM_REGISTRY, REST_PROPERTY_NAMES } from 'daily-tokens';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './helpers.js';

const exec = promisify(execFile);
let dir: string;
const scripts: Record<string, string> = {};

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'daily-tokens-completion-'));
  for (const shell of ['bash', 'zsh', 'fish']) {
    const r = await runCli(['completion', shell]);
    expect(r.code, r.stderr).toBe(0);
    scripts[shell] = join(dir, `completion.${shell}`);
    writeFileSync(scripts[shell] as string, r.stdout);
  }
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What bash offers for the words typed so far (the last one is being completed). */
async function bashComplete(...words: string[]): Promise<string[]> {
  const script = `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _daily_tokens; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const { stdout } = await exec('bash', ['-c', script, 'bash', scripts.bash as string, 'daily-tokens', ...words]);
  return stdout.split('\n').filter(Boolean);
}

async function fishComplete(line: string): Promise<string[]> {
  const { stdout } = await exec('fish', [
    '--no-config',
    '-c',
    `source ${scripts.fish}; complete -C ${JSON.stringify(line)}`,
  ]);
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t')[0] as string);
}

const kebab = (s: string) => s.replace(/_/g, '-');

describe('bash', () => {
  it('loads, and completes commands, subcommands and flags', async () => {
    expect(await bashComplete('')).toEqual(
      expect.arrayContaining(['create', 'decode', 'explain', 'completion', 'serve', 'keys']),
    );
    expect(await bashComplete('create', '--ro')).toEqual(['--room-name', '--room']);
    expect(await bashComplete('keys', '')).toEqual(expect.arrayContaining(['list', 'create', 'rotate', 'deactivate']));
    expect(await bashComplete('keys', 'rotate', '--g')).toEqual(['--grace']);
    expect(await bashComplete('completion', '')).toEqual(expect.arrayContaining(['bash', 'zsh', 'fish']));
  });

  it('offers every property flag of the registry, and its values', async () => {
    const flags = await bashComplete('create', '--');
    for (const name of REST_PROPERTY_NAMES) expect(flags).toContain(`--${kebab(name)}`);
    expect(await bashComplete('create', '--lang', '')).toEqual([...(CLAIM_REGISTRY.lang.values ?? [])]);
    expect(await bashComplete('create', '--recording', 'r')).toEqual(['raw-tracks']);
    // a comma list completes its next item, and never offers all/none after one
    expect(await bashComplete('create', '--can-send', 'video,a')).toEqual(['video,audio']);
  });
});

describe('fish', () => {
  it('passes fish -n, and completes flags, values and subcommands', async () => {
    await exec('fish', ['--no-execute', scripts.fish as string]);
    expect(await fishComplete('daily-tokens create --la')).toEqual(['--lang']);
    expect(await fishComplete('daily-tokens create --lang ')).toEqual([...(CLAIM_REGISTRY.lang.values ?? [])].sort());
    expect(await fishComplete('daily-tokens keys ')).toEqual(['create', 'deactivate', 'list', 'rotate']);
    // `keys create` is not the top-level `create`: no token flags there
    expect(await fishComplete('daily-tokens keys create --')).not.toContain('--room');
    expect(await fishComplete('daily-tokens completion ')).toEqual(['bash', 'fish', 'zsh']);
  });
});

describe('zsh', () => {
  it('passes zsh -n, and its tables hold the commands, flags and values', async () => {
    await exec('zsh', ['-n', scripts.zsh as string]);
    const read = async (path: string, list: 'subs' | 'flags') =>
      (
        await exec('zsh', [
          '-fc',
          `compdef() {}; source ${scripts.zsh}; _daily_tokens_lists ${JSON.stringify(path)}; print -rl -- \${${list}%%:*}`,
        ])
      ).stdout
        .split('\n')
        .filter(Boolean);
    expect(await read('', 'subs')).toEqual(expect.arrayContaining(['create', 'keys', 'completion']));
    expect(await read('keys', 'subs')).toEqual(['list', 'create', 'rotate', 'deactivate']);
    const createFlags = await read('create', 'flags');
    for (const name of REST_PROPERTY_NAMES) expect(createFlags).toContain(`--${kebab(name)}`);
    expect(await read('completion', 'subs')).toEqual(['bash', 'zsh', 'fish']);
  });
});

it('refuses a shell it has no script for, with exit 2', async () => {
  const r = await runCli(['completion', 'tcsh']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('bash, zsh, fish');
});
