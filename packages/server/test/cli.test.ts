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

  it('reports mistakes as one line and a failing exit code', async () => {
    await run('keys', 'deactivate', 'key_missing', '--data', tmp.dir);
    expect(process.exitCode).toBe(1);
    expect(err.join('')).toMatch(/^error: no key "key_missing"/);
    process.exitCode = undefined;
    await run('domains', 'create', 'Bad Name', '--data', tmp.dir);
    expect(process.exitCode).toBe(1);
    expect(err.join('')).toMatch(/lower-case/);
  });
});
