/** `daily-tokens domains …` and `keys …` against a SQLite store, through commander. */
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerServerCommands } from '../src/cli.js';
import { call, config, start, tempDir } from './helpers.js';

let tmp: ReturnType<typeof tempDir>;
let out: string[];
let err: string[];

beforeEach(() => {
  tmp = tempDir();
  out = [];
  err = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out.push(String(s));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err.push(String(s));
    return true;
  });
  process.exitCode = undefined;
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  process.exitCode = undefined;
  tmp.remove();
});

async function run(...args: string[]) {
  out.length = 0;
  err.length = 0;
  const program = registerServerCommands(new Command('daily-tokens').exitOverride());
  await program.parseAsync(['node', 'daily-tokens', ...args]);
  return out.join('');
}

describe('domains and keys commands', () => {
  it('create a domain, list, rotate and deactivate keys; the service honours them', async () => {
    const data = ['--data', tmp.dir];
    const created = JSON.parse(await run('domains', 'create', 'acme', '--json', ...data));
    expect(created.domain.name).toBe('acme');
    const firstKey = created.key.api_key as string;
    expect(firstKey).toMatch(/^[0-9a-f]{64}$/);

    expect(await run('domains', 'list', ...data)).toContain('acme');
    const listed = await run('keys', 'list', '--domain', 'acme', ...data);
    expect(listed).toContain(created.key.id);
    expect(listed).not.toContain(firstKey);

    const rotated = JSON.parse(await run('keys', 'rotate', created.key.id, '--grace', '0', '--json', ...data));
    expect(rotated.retired.status).toBe('inactive');
    const added = (await run('keys', 'create', '--domain', 'acme', ...data)).split('\n')[0] ?? '';
    await run('keys', 'deactivate', rotated.key.id, ...data);

    const svc = await start(config({ data: tmp.dir }));
    try {
      expect((await call(svc.url, 'GET', '/v1/', { key: firstKey })).status).toBe(401);
      expect((await call(svc.url, 'GET', '/v1/', { key: rotated.key.api_key })).status).toBe(401);
      expect((await call(svc.url, 'GET', '/v1/', { key: added })).status).toBe(200);
    } finally {
      await svc.close();
    }
  });

  it('reports a wrong invocation as one line and exit code 2', async () => {
    await run('domains', 'create', 'acme', '--id', 'dup-id', '--data', tmp.dir);
    expect(process.exitCode).toBeUndefined();
    const cases: [string[], RegExp][] = [
      [['domains', 'create', 'other', '--id', 'dup-id'], /a domain with id "dup-id" exists already/],
      [['keys', 'deactivate', 'key_missing'], /^daily-tokens: no key "key_missing"/],
      [['domains', 'create', 'Bad Name'], /lower-case/],
      [['domains', 'create', 'acme', '--id', 'not a uuid'], /--id must be/],
      [['keys', 'rotate', 'key_x', '--grace', '3 days'], /--grace/],
      [['keys', 'list', '--domain', 'nope'], /no domain with id or name "nope"/],
    ];
    for (const [args, message] of cases) {
      process.exitCode = undefined;
      await run(...args, '--data', tmp.dir);
      expect(process.exitCode, args.join(' ')).toBe(2);
      expect(err.join(''), args.join(' ')).toMatch(message);
      expect(err.join('').trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });

  it('reports work that fails (an unreachable database) with exit code 1', async () => {
    vi.stubEnv('DAILY_TOKENS_MASTER_KEY', 'a'.repeat(64));
    await run('domains', 'list', '--database-url', 'postgres://127.0.0.1:1/none');
    expect(process.exitCode).toBe(1);
    expect(err.join('')).toMatch(/^daily-tokens: /);
    expect(err.join('')).not.toMatch(/\n\s+at /);
  });
});
