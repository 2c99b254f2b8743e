/**
 * Rotation and deactivation end what the key cache serves at once, on the fast path too: the cache TTL here
 * is a minute, so only the invalidation (clear() on a local change, LISTEN/NOTIFY from another replica) can
 * make the next request see the change. Against the real service, on SQLite and on Postgres.
 */
import { verifyMeetingToken } from 'daily-tokens';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, config, MASTER_KEY, PG_URL, pgSchema, type Running, start, tempDir, untilStatus } from './helpers.js';

const ADMIN = 'admin-token-for-key-change-tests-0123';
const SEED = 'key-change-seed-key-0123456789abcdef';
const exp = () => Math.floor(Date.now() / 1000) + 3600;

async function fastServed(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let n = 0;
  for (const m of text.matchAll(/^daily_tokens_fast_path_requests_total\{[^}]*\} (\d+)$/gm)) n += Number(m[1]);
  return n;
}

/** Mints and validates a few times: from the second request on, the key comes from the cache (fast path). */
async function warm(url: string, key: string): Promise<void> {
  const before = await fastServed(url);
  for (let i = 0; i < 3; i++) {
    const minted = await call(url, 'POST', '/v1/meeting-tokens', {
      key,
      body: { properties: { room_name: 'r', exp: exp() } },
    });
    expect(minted.status).toBe(200);
    expect((await call(url, 'GET', `/v1/meeting-tokens/${minted.body.token}`, { key })).status).toBe(200);
  }
  expect(await fastServed(url)).toBeGreaterThan(before);
}

const mint = (url: string, key: string) =>
  call(url, 'POST', '/v1/meeting-tokens', { key, body: { properties: { room_name: 'r', exp: exp() } } });

type Store = { name: string; flags: () => Parameters<typeof config>[0]; env: () => Record<string, string> };
let schema: Awaited<ReturnType<typeof pgSchema>>;
const tmp = tempDir();
const stores: Store[] = [
  { name: 'SQLite', flags: () => ({ data: tmp.dir }), env: () => ({}) },
  {
    name: 'Postgres',
    flags: () => ({ databaseUrl: PG_URL }),
    env: () => ({ DAILY_TOKENS_DB_SCHEMA: schema.schema }),
  },
];

beforeAll(async () => {
  schema = await pgSchema();
});
afterAll(async () => {
  await schema?.drop();
  tmp.remove();
});

describe.each(stores)('key changes on $name', (store) => {
  let svc: Running;
  beforeAll(async () => {
    const cfg = config(store.flags(), {
      DAILY_TOKENS_MASTER_KEY: MASTER_KEY,
      DAILY_TOKENS_ADMIN_TOKEN: ADMIN,
      DAILY_API_KEY: SEED,
      ...store.env(),
    });
    svc = await start({ ...cfg, keyCacheTtlMs: 60_000 });
  });
  afterAll(async () => {
    await svc?.close();
  });

  it('rotation: the next token is signed with the new key; the old key works for its grace, then not at all once deactivated', async () => {
    const created = await call(svc.url, 'POST', '/admin/domains', {
      key: ADMIN,
      body: { name: `rot-${store.name.toLowerCase()}` },
    });
    expect(created.status).toBe(200);
    const oldKey = created.body.key.api_key as string;
    const oldId = created.body.key.id as string;
    await warm(svc.url, oldKey);

    const rotated = await call(svc.url, 'POST', `/admin/keys/${oldId}/rotate`, { key: ADMIN, body: { grace: 3600 } });
    expect(rotated.status).toBe(200);
    const newKey = rotated.body.key.api_key as string;
    // the old key still authenticates (grace), but what it mints is signed with the new key at once
    const minted = await mint(svc.url, oldKey);
    expect(minted.status).toBe(200);
    expect((await verifyMeetingToken(minted.body.token, { keys: [{ secret: newKey }] })).valid).toBe(true);
    expect((await verifyMeetingToken(minted.body.token, { keys: [{ secret: oldKey }] })).valid).toBe(false);
    await warm(svc.url, newKey);
    await warm(svc.url, oldKey);

    const off = await call(svc.url, 'POST', `/admin/keys/${oldId}/deactivate`, { key: ADMIN });
    expect(off.status).toBe(200);
    const refused = await mint(svc.url, oldKey);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('authentication-error');
    expect((await call(svc.url, 'GET', `/v1/meeting-tokens/${minted.body.token}`, { key: oldKey })).status).toBe(401);
    // the new key is untouched
    expect((await mint(svc.url, newKey)).status).toBe(200);
  });

  it('deactivation without rotation: the very next request with the key is refused, on both routes', async () => {
    const created = await call(svc.url, 'POST', '/admin/domains', {
      key: ADMIN,
      body: { name: `off-${store.name.toLowerCase()}` },
    });
    const key = created.body.key.api_key as string;
    await warm(svc.url, key);
    const token = (await mint(svc.url, key)).body.token as string;
    await call(svc.url, 'POST', `/admin/keys/${created.body.key.id}/deactivate`, { key: ADMIN });
    expect((await mint(svc.url, key)).status).toBe(401);
    expect((await call(svc.url, 'GET', `/v1/meeting-tokens/${token}`, { key })).status).toBe(401);
  });
});

describe('key changes between two Postgres replicas (LISTEN/NOTIFY, no Redis)', () => {
  it('a key deactivated on one replica is refused by the other, whose fast path served it, within 1 s', async () => {
    const replica = async () =>
      start({
        ...config(
          { databaseUrl: PG_URL },
          {
            DAILY_TOKENS_MASTER_KEY: MASTER_KEY,
            DAILY_TOKENS_ADMIN_TOKEN: ADMIN,
            DAILY_API_KEY: SEED,
            DAILY_TOKENS_DB_SCHEMA: schema.schema,
          },
        ),
        keyCacheTtlMs: 60_000,
      });
    const [a, b] = await Promise.all([replica(), replica()]);
    try {
      const created = await call(a.url, 'POST', '/admin/domains', { key: ADMIN, body: { name: 'replicated-off' } });
      const key = created.body.key.api_key as string;
      await warm(b.url, key);
      await call(a.url, 'POST', `/admin/keys/${created.body.key.id}/deactivate`, { key: ADMIN });
      expect(await untilStatus(() => mint(b.url, key), 401, 1000, 20)).toBe(401);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
