/**
 * The emulator's state and time: snapshot/restore in-process, over HTTP (`/admin/snapshot`) and through
 * the CLI (`serve --import FILE`, `--export-on-exit FILE` on SIGTERM, mode 0600), validated fully; and the
 * virtual clock over HTTP (`/admin/clock`). Real HTTP on 127.0.0.1, real SQLite, the built CLI.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DailyRestClient } from 'daily-tokens/rest';
import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorSnapshot } from '../src/emulator/snapshot.js';
import { type DailyEmulator, startDailyEmulator } from '../src/testing.js';
import { call, config, MASTER_KEY, PG_URL, pgSchema, start, tempDir } from './helpers.js';
import { type ServeProcess, spawnServe } from './process.js';

const T0 = new Date('2026-03-10T12:00:00Z');
const started: DailyEmulator[] = [];
const dirs: ReturnType<typeof tempDir>[] = [];
const procs: ServeProcess[] = [];
afterEach(async () => {
  for (const d of started.splice(0)) await d.close();
  for (const p of procs.splice(0)) await p.kill();
  for (const d of dirs.splice(0)) d.remove();
});
async function emulator(options: Parameters<typeof startDailyEmulator>[0] = {}): Promise<DailyEmulator> {
  const d = await startDailyEmulator({ now: T0, ...options });
  started.push(d);
  return d;
}
const admin = (d: { origin: string; adminToken: string }, method: string, path: string, body?: unknown) =>
  call(d.origin, method, `/admin${path}`, { key: d.adminToken, ...(body === undefined ? {} : { body }) });
const rest = (d: DailyEmulator, apiKey = d.apiKey) => new DailyRestClient({ apiKey, baseUrl: d.baseUrl, retries: 0 });

/** A state worth keeping: rooms (one with exp), a domain config, a second key, a rotated-out one. */
async function populate(d: DailyEmulator) {
  const r = rest(d);
  await r.createRoom({ name: 'standup', privacy: 'private', properties: { max_participants: 4 } });
  await r.createRoom({ name: 'short', properties: { exp: T0.getTime() / 1000 + 600 } });
  expect((await call(d.origin, 'POST', '/v1/', { key: d.apiKey, body: { properties: { lang: 'de' } } })).status).toBe(
    200,
  );
  const extra = await admin(d, 'POST', `/domains/${d.domainId}/keys`);
  expect(extra.status).toBe(200);
  const token = await r.createMeetingToken({ room_name: 'standup', exp: T0.getTime() / 1000 + 3600 });
  return { secondKey: extra.body.api_key as string, token };
}
const view = async (d: DailyEmulator, apiKey = d.apiKey) => {
  const r = rest(d, apiKey);
  return { domain: await r.getDomain(), rooms: await r.listRooms() };
};

describe('snapshot and restore in-process', () => {
  it('round-trips domains, config, keys and rooms, also into another emulator (another master key)', async () => {
    const d = await emulator();
    const { secondKey, token } = await populate(d);
    const before = await view(d);
    const snap = await d.snapshot();
    expect(snap).toMatchObject({ version: 1, kind: 'daily-tokens-emulator-snapshot', taken_at: T0.toISOString() });
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
    expect(snap.domains).toHaveLength(1);
    expect(snap.domains[0]?.keys.map((k) => k.api_key).sort()).toEqual([d.apiKey, secondKey].sort());
    expect(snap.domains[0]?.config).toEqual({ lang: 'de' });

    await d.reset();
    await rest(d).createRoom({ name: 'after' });
    await d.restore(snap);
    expect(await view(d)).toEqual(before);

    const other = await emulator({ apiKey: 'another-key-0123456789' });
    await other.restore(snap);
    // the keys work there (sealed again under its master key); the first key is gone with its domain
    expect(await view(other, secondKey)).toEqual(before);
    expect((await rest(other, secondKey).validateMeetingToken(token)).room_name).toBe('standup');
    await expect(rest(other, 'another-key-0123456789').getDomain()).rejects.toMatchObject({ status: 401 });
    // the room's exp follows the clock after a restore too
    other.clock.advance('11m');
    expect((await rest(other, secondKey).listRooms()).map((r) => r.name)).toEqual(['standup']);
  });

  it('refuses a bad snapshot with a TypeError naming the field, and changes nothing', async () => {
    const d = await emulator();
    await populate(d);
    const good = await d.snapshot();
    const before = await view(d);
    const bad = (change: (s: EmulatorSnapshot & Record<string, unknown>) => void) => {
      const s = structuredClone(good) as EmulatorSnapshot & Record<string, unknown>;
      change(s);
      return d.restore(s);
    };
    const domain = (s: EmulatorSnapshot) => s.domains[0] as EmulatorSnapshot['domains'][0] & Record<string, unknown>;
    await expect(bad((s) => Object.assign(s, { version: 2 }))).rejects.toThrow(
      /snapshot.version 2 is not one this service knows \(it reads version 1\)/,
    );
    await expect(bad((s) => delete (s as Partial<EmulatorSnapshot>).version)).rejects.toThrow(/version is missing/);
    await expect(bad((s) => Object.assign(s, { domain: [] }))).rejects.toThrow(
      /unknown field "domain"; did you mean "domains"\?/,
    );
    await expect(bad((s) => Object.assign(domain(s), { nmae: 'x' }))).rejects.toThrow(
      /domains\[0\]: unknown field "nmae"/,
    );
    await expect(bad((s) => Object.assign(domain(s).keys[1] as object, { api_key: 'short' }))).rejects.toThrow(
      /domains\[0\]\.keys\[1\]\.api_key must be 8–256 printable characters/,
    );
    await expect(
      bad((s) => Object.assign(domain(s).keys[1] as object, { api_key: domain(s).keys[0]?.api_key })),
    ).rejects.toThrow(/domains\[0\]\.keys\[1\]\.api_key repeats the api_key of domains\[0\]\.keys\[0\]\.api_key/);
    await expect(
      bad((s) => Object.assign(domain(s).rooms[1] as object, { name: domain(s).rooms[0]?.name })),
    ).rejects.toThrow(/rooms\[1\]\.name repeats the name/);
    await expect(
      bad((s) => Object.assign(domain(s).rooms[0] as object, { config: { max_partcipants: 4 } })),
    ).rejects.toThrow(/domains\[0\]\.rooms\[0\]\.config\.max_partcipants .*did you mean "max_participants"/);
    await expect(bad((s) => Object.assign(domain(s).rooms[0] as object, { privacy: 'secret' }))).rejects.toThrow(
      /privacy must be one of public, private/,
    );
    await expect(bad((s) => Object.assign(domain(s), { created_at: 'yesterday' }))).rejects.toThrow(
      /domains\[0\]\.created_at must be an ISO 8601 time/,
    );
    await expect(bad((s) => Object.assign(domain(s), { name: 'Not A Label' }))).rejects.toThrow(/domains\[0\]\.name/);
    await expect(d.restore('nope' as never)).rejects.toThrow(/snapshot must be an object/);
    expect(await view(d)).toEqual(before);
  });
});

describe('snapshot and restore on Postgres', () => {
  it('restores an SQLite emulator’s snapshot into an emulator-mode service on Postgres, and back', async () => {
    const d = await emulator();
    const { secondKey } = await populate(d);
    const snap = await d.snapshot();
    const schema = await pgSchema();
    const env = {
      DAILY_TOKENS_DB_SCHEMA: schema.schema,
      DAILY_TOKENS_MASTER_KEY: MASTER_KEY,
      DAILY_TOKENS_ADMIN_TOKEN: 'pg-admin-token-0123456789abcdef',
    };
    const svc = await start(config({ databaseUrl: PG_URL, emulator: true }, env));
    try {
      const pg = { origin: svc.url, adminToken: env.DAILY_TOKENS_ADMIN_TOKEN };
      // the clocks agree, so the room with exp is live on both
      svc.app.emulator?.clock.set(T0);
      const put = await admin(pg, 'PUT', '/snapshot', snap);
      expect([put.status, put.body]).toEqual([200, { domains: 1, keys: 2, rooms: 2 }]);
      const rooms = await call(svc.url, 'GET', '/v1/rooms', { key: secondKey });
      expect(rooms.body.data).toEqual((await view(d)).rooms);
      const back = await admin(pg, 'GET', '/snapshot');
      expect(back.body.domains).toEqual(snap.domains);
      // a bad one changes nothing there either
      expect((await admin(pg, 'PUT', '/snapshot', { ...snap, domains: [{ id: 'x' }] })).status).toBe(400);
      expect((await admin(pg, 'GET', '/snapshot')).body.domains).toEqual(snap.domains);
    } finally {
      await svc.close();
      await schema.drop();
    }
  });
});

describe('snapshot and restore over HTTP (/admin/snapshot)', () => {
  it('GET gives the same snapshot as in-process; PUT restores it into another emulator; 400 for a bad one', async () => {
    const d = await emulator();
    const { secondKey } = await populate(d);
    const got = await admin(d, 'GET', '/snapshot');
    expect(got.status).toBe(200);
    expect(got.headers.get('cache-control')).toBe('no-store');
    expect(got.body).toEqual(await d.snapshot());

    const other = await emulator();
    const put = await admin(other, 'PUT', '/snapshot', got.body);
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ domains: 1, keys: 2, rooms: 2 });
    expect(await view(other, secondKey)).toEqual(await view(d));

    const bad = await admin(other, 'PUT', '/snapshot', { ...got.body, version: 99 });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      error: 'invalid-request-error',
      info: expect.stringMatching(/^snapshot.version 99 is not one this service knows/),
    });
    // without the admin token there is no snapshot (it holds the keys)
    expect((await call(d.origin, 'GET', '/admin/snapshot', { key: d.apiKey })).status).toBe(401);
  });
});

describe('startDailyEmulator’s admin token', () => {
  it('is random unless given, works over HTTP, and is refused when shorter than 16 characters', async () => {
    const a = await emulator();
    const b = await emulator();
    expect(a.adminToken).not.toBe(b.adminToken);
    expect(a.adminToken.length).toBeGreaterThanOrEqual(16);
    const chosen = await emulator({ adminToken: 'my-admin-token-0123456789' });
    expect(chosen.adminToken).toBe('my-admin-token-0123456789');
    expect((await admin(chosen, 'GET', '/faults')).status).toBe(200);
    expect((await admin({ origin: chosen.origin, adminToken: a.adminToken }, 'GET', '/faults')).status).toBe(401);
    await expect(startDailyEmulator({ adminToken: 'short' })).rejects.toThrow(
      /adminToken must be a string of at least 16/,
    );
  });
});

describe('the clock over HTTP (/admin/clock)', () => {
  it('reads, advances and sets the virtual time, which tokens and rooms follow', async () => {
    const d = await emulator();
    expect((await admin(d, 'GET', '/clock')).body).toEqual({
      now: T0.toISOString(),
      unix: T0.getTime() / 1000,
      frozen: true,
    });
    await rest(d).createRoom({ name: 'short', properties: { exp: T0.getTime() / 1000 + 600 } });
    const adv = await admin(d, 'POST', '/clock', { advance: '2h' });
    expect(adv.status).toBe(200);
    expect(adv.body.now).toBe('2026-03-10T14:00:00.000Z');
    expect(d.clock.now().toISOString()).toBe('2026-03-10T14:00:00.000Z');
    await expect(rest(d).getRoom('short')).rejects.toMatchObject({ status: 404 });
    expect((await admin(d, 'POST', '/clock', { advance: 60 })).body.unix).toBe(T0.getTime() / 1000 + 7260);
    expect((await admin(d, 'POST', '/clock', { set: '2026-03-10T12:00:00Z' })).body.now).toBe(T0.toISOString());
    expect((await rest(d).getRoom('short')).name).toBe('short');
    expect((await admin(d, 'POST', '/clock', { set: T0.getTime() / 1000 + 30 })).body.now).toBe(
      '2026-03-10T12:00:30.000Z',
    );
    for (const [body, message] of [
      [{ advance: '2 hours' }, /advance "2 hours" is not a duration/],
      [{ advance: -5 }, /non-negative/],
      [{ set: 'tomorrow' }, /ISO 8601/],
      [{ advanc: '1h' }, /unknown field "advanc"/],
      [{ advance: '1h', set: 0 }, /send \{"advance"/],
      [{}, /send \{"advance"/],
    ] as const) {
      const r = await admin(d, 'POST', '/clock', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.info).toMatch(message);
    }
  });
});

/** The ready lines come one by one after "listening on": wait for one. */
async function printed(p: ServeProcess, text: string): Promise<void> {
  const until = Date.now() + 10_000;
  while (!p.output().includes(text)) {
    if (Date.now() > until) throw new Error(`never printed ${JSON.stringify(text)}:\n${p.output()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const BIN = join(dirname(fileURLToPath(import.meta.url)), '../../cli/bin/daily-tokens.js');
const ADMIN = 'cli-admin-token-0123456789abcdef';
const KEY = 'cli-seed-key-0123456789abcdef';

describe('snapshots through the CLI (serve --export-on-exit, --import)', () => {
  it('writes the state on SIGTERM (mode 0600) and starts from it again with --import', async () => {
    const t = tempDir();
    dirs.push(t);
    const file = join(t.dir, 'state.json');
    const env = { DAILY_TOKENS_ADMIN_TOKEN: ADMIN, DAILY_API_KEY: KEY };
    const first = await spawnServe(env, ['--data', join(t.dir, 'a'), '--emulator', '--export-on-exit', file]);
    procs.push(first);
    await printed(first, `on exit the state is written to ${file}`);
    const created = await call(first.url, 'POST', '/v1/rooms', { key: KEY, body: { name: 'kept' } });
    expect(created.status).toBe(200);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const snap = JSON.parse(readFileSync(file, 'utf8')) as EmulatorSnapshot;
    expect(snap.version).toBe(1);
    expect(snap.domains[0]?.rooms.map((r) => r.name)).toEqual(['kept']);
    expect(first.output()).not.toContain(KEY);

    // a fresh store in memory, no seed: the import brings the domain, key and room
    const second = await spawnServe({ DAILY_TOKENS_ADMIN_TOKEN: ADMIN }, [
      '--data',
      ':memory:',
      '--emulator',
      '--import',
      file,
    ]);
    procs.push(second);
    await printed(second, `imported 1 domains, 1 keys and 1 rooms from ${file}`);
    await printed(second, 'emulator mode: faults, journal, clock and snapshot');
    expect(second.output()).toContain('store: sqlite (in memory: nothing is kept after the process ends)');
    // the key the fresh store made at start was replaced by the import: it is not printed
    expect(second.output()).not.toMatch(/API key \(shown once/);
    const room = await call(second.url, 'GET', '/v1/rooms/kept', { key: KEY });
    expect(room.status).toBe(200);
    const overHttp = await call(second.url, 'GET', '/admin/snapshot', { key: ADMIN });
    expect(overHttp.body.domains).toEqual(snap.domains);
  });

  it('refuses the store commands on an in-memory store, which only its own process can reach', () => {
    const run = spawnSync(process.execPath, [BIN, 'domains', 'list', '--data', ':memory:'], {
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--data :memory:.*use its admin API/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a bad file at start with one line naming the file and field, exit code 2, no stack trace', () => {
    const t = tempDir();
    dirs.push(t);
    const run = (args: string[], env: Record<string, string> = {}) =>
      spawnSync(process.execPath, [BIN, 'serve', '--port', '0', '--data', join(t.dir, 'd'), ...args], {
        env: { PATH: process.env.PATH ?? '', DAILY_TOKENS_LOG_LEVEL: 'warn', ...env },
        encoding: 'utf8',
        timeout: 20_000,
      });
    const bad = join(t.dir, 'bad.json');
    const cases: [string, string[], RegExp][] = [
      [
        '{"version": 1, "domains": [{"id": "x", "name": "acme", "created_at": "2026-01-01T00:00:00Z", "keys": [{}]}]}',
        ['--emulator', '--import', bad],
        /--import .*bad\.json: domains\[0\]\.keys\[0\]\.id must be/,
      ],
      [
        '{"version": 3, "domains": []}',
        ['--emulator', '--import', bad],
        /snapshot.version 3 is not one this service knows/,
      ],
      ['{"version": 1,', ['--emulator', '--import', bad], /bad\.json: not JSON/],
      ['{}', ['--import', bad], /--import works in emulator mode only/],
      ['{}', ['--emulator', '--import', join(t.dir, 'missing.json')], /missing\.json: no such file/],
      ['{}', ['--emulator', '--export-on-exit', join(t.dir, 'nope', 'x.json')], /the folder .*nope does not exist/],
    ];
    for (const [text, args, message] of cases) {
      writeFileSync(bad, text);
      const r = run(args);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).not.toContain('listening on');
    }
  });
});

describe('the README and the OpenAPI document', () => {
  it('runs the README’s emulator curl block against an emulator', async () => {
    const d = await emulator();
    const t = tempDir();
    dirs.push(t);
    const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'README.md'), 'utf8');
    const block = /<!-- emulator-curl[^>]*-->\s*```bash\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    await rest(d).createRoom({ name: 'before' });
    // async: the emulator runs in this process, so a blocking exec would deadlock it
    const { stdout } = await promisify(execFile)(
      'bash',
      ['-ec', (block as string).replaceAll('http://127.0.0.1:8787', d.origin)],
      { cwd: t.dir, env: { PATH: process.env.PATH ?? '', DAILY_TOKENS_ADMIN_TOKEN: d.adminToken }, encoding: 'utf8' },
    );
    expect(d.faults.list()).toMatchObject([{ method: 'POST', path: '/v1/rooms', status: 429, remaining: 2 }]);
    expect(d.clock.now().toISOString()).toBe('2026-03-10T14:00:00.000Z');
    expect(stdout).toContain('"body":{"name":"before"}');
    expect(statSync(join(t.dir, 'state.json')).size).toBeGreaterThan(0);
    expect(stdout.endsWith('{"domains":1,"keys":1,"rooms":1}')).toBe(true);
  });

  it('documents every control under the emulator tag with the admin token', async () => {
    const d = await emulator();
    const doc = (await (await fetch(`${d.origin}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { operationId: string; tags: string[]; security: unknown }>>;
    };
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ at: `${method.toUpperCase()} ${path}`, ...op })),
    );
    const emulatorOps = ops.filter((o) => o.tags?.includes('emulator'));
    expect(Object.fromEntries(emulatorOps.map((o) => [o.operationId, o.at]))).toEqual({
      EmulatorAddFault: 'POST /admin/faults',
      EmulatorListFaults: 'GET /admin/faults',
      EmulatorClearFaults: 'DELETE /admin/faults',
      EmulatorRemoveFault: 'DELETE /admin/faults/{id}',
      EmulatorJournal: 'GET /admin/journal',
      EmulatorClearJournal: 'DELETE /admin/journal',
      EmulatorGetClock: 'GET /admin/clock',
      EmulatorSetClock: 'POST /admin/clock',
      EmulatorGetSnapshot: 'GET /admin/snapshot',
      EmulatorRestoreSnapshot: 'PUT /admin/snapshot',
    });
    for (const o of emulatorOps) expect(o.security, o.at).toEqual([{ AdminToken: [] }]);
  });
});
