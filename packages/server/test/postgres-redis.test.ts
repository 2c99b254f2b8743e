/**
 * Postgres + Redis: two replicas against one schema and one Redis prefix (global limits, keys shared,
 * deactivation seen everywhere within 1 s), a restart that keeps every key, and a store outage.
 */
import { once } from 'node:events';
import net from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  config,
  MASTER_KEY,
  PG_URL,
  pgSchema,
  REDIS_URL,
  randomPrefix,
  type Running,
  start,
  untilStatus,
} from './helpers.js';

const ADMIN = 'admin-token-for-pg-tests-0123456789';
const SEED_KEY = 'pg-seed-key-0123456789abcdefabcdef';

let schema: Awaited<ReturnType<typeof pgSchema>>;
const prefix = randomPrefix();
const env = (extra: Record<string, string> = {}) => ({
  DAILY_TOKENS_MASTER_KEY: MASTER_KEY,
  DAILY_TOKENS_ADMIN_TOKEN: ADMIN,
  DAILY_TOKENS_DB_SCHEMA: schema.schema,
  DAILY_TOKENS_REDIS_PREFIX: prefix,
  DAILY_API_KEY: SEED_KEY,
  DAILY_DOMAIN_NAME: 'pg-dev',
  ...extra,
});

beforeAll(async () => {
  schema = await pgSchema();
});

afterAll(async () => {
  await schema?.drop();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

describe('two replicas on one Postgres and one Redis', () => {
  let a: Running;
  let b: Running;
  beforeAll(async () => {
    // started together: migrations and seeding must cope with the race
    const replica = () => start(config({ databaseUrl: PG_URL, redisUrl: REDIS_URL, rateLimit: '6/5s' }, env()));
    [a, b] = await Promise.all([replica(), replica()]);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('listen on different ports and serve the same seeded domain', async () => {
    expect(a.url).not.toBe(b.url);
    const [da, db] = await Promise.all([a, b].map((s) => call(s.url, 'GET', '/v1/', { key: SEED_KEY })));
    expect(da?.status).toBe(200);
    expect(da?.body).toEqual(db?.body);
  });

  it('a key created on one replica works on the other; deactivated on one, it fails on the other within 1 s', async () => {
    const created = await call(a.url, 'POST', '/admin/domains', { key: ADMIN, body: { name: 'replicated' } });
    expect(created.status).toBe(200);
    const key = created.body.key.api_key as string;
    const token = (await call(a.url, 'POST', '/v1/meeting-tokens', { key, body: { properties: { room_name: 'x' } } }))
      .body.token;
    expect((await call(b.url, 'GET', `/v1/meeting-tokens/${token}`, { key })).status).toBe(200);

    const off = await call(a.url, 'POST', `/admin/keys/${created.body.key.id}/deactivate`, { key: ADMIN });
    expect(off.status).toBe(200);
    const t0 = Date.now();
    expect(await untilStatus(() => call(b.url, 'GET', '/v1/', { key }), 401, 1000)).toBe(401);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('the rate limit is global: requests to both replicas share one budget per key', async () => {
    const created = await call(a.url, 'POST', '/admin/domains', { key: ADMIN, body: { name: 'limited' } });
    const key = created.body.key.api_key as string;
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await call(i % 2 ? b.url : a.url, 'GET', '/v1/', { key })).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(6);
    expect(statuses.slice(6)).toEqual([429, 429]);
    const limited = await call(b.url, 'GET', '/v1/', { key });
    expect(limited.body.error).toBe('rate-limit-error');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});

describe('two replicas on Postgres without Redis', () => {
  it('announce key changes with LISTEN/NOTIFY: deactivation is seen at once, not after the cache TTL', async () => {
    // a cache TTL of a minute: only the announcement can make the other replica forget the key
    const replica = () => start({ ...config({ databaseUrl: PG_URL }, env()), keyCacheTtlMs: 60_000 });
    const [a, b] = await Promise.all([replica(), replica()]);
    try {
      const created = await call(a.url, 'POST', '/admin/domains', { key: ADMIN, body: { name: 'notified' } });
      const key = created.body.key.api_key as string;
      expect((await call(b.url, 'GET', '/v1/', { key })).status).toBe(200);
      await call(a.url, 'POST', `/admin/keys/${created.body.key.id}/deactivate`, { key: ADMIN });
      expect(await untilStatus(() => call(b.url, 'GET', '/v1/', { key }), 401, 1000, 20)).toBe(401);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('restart on Postgres keeps every key', () => {
  it('closes and reopens the same schema; keys and rooms survive', async () => {
    const cfg = config({ databaseUrl: PG_URL }, env());
    const first = await start(cfg);
    const created = await call(first.url, 'POST', '/admin/domains', { key: ADMIN, body: { name: 'durable' } });
    const extra = await call(first.url, 'POST', '/admin/domains/durable/keys', { key: ADMIN });
    await call(first.url, 'POST', '/v1/rooms', { key: extra.body.api_key, body: { name: 'kept' } });
    await first.close();
    const second = await start(cfg);
    try {
      for (const key of [SEED_KEY, created.body.key.api_key, extra.body.api_key]) {
        expect((await call(second.url, 'GET', '/v1/', { key })).status).toBe(200);
      }
      expect((await call(second.url, 'GET', '/v1/rooms/kept', { key: extra.body.api_key })).status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('refuses to start on Postgres without a master key', async () => {
    expect(() => config({ databaseUrl: PG_URL }, { DAILY_TOKENS_DB_SCHEMA: schema.schema })).toThrow(
      /DAILY_TOKENS_MASTER_KEY/,
    );
  });

  it('refuses to start with a master key other than the one the keys were stored with', async () => {
    await expect(
      start(config({ databaseUrl: PG_URL }, env({ DAILY_TOKENS_MASTER_KEY: 'another-master-key-0123456789abcdef' }))),
    ).rejects.toThrow(/not the key the stored API keys were encrypted with/);
  });
});

/** A TCP proxy in front of Postgres that the test can cut and restore. */
async function proxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const open = async () => {
    server = net.createServer((client) => {
      const upstream = net.connect(target.port, target.host);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => {});
        s.on('close', () => sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
    });
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as net.AddressInfo).port;
  };
  const cut = async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server?.close(r));
  };
  await open();
  return { port: () => port, cut, restore: open };
}

describe('Redis outage', () => {
  it('limits per replica while Redis is unreachable, and shares limits again when it returns', async () => {
    const redisUrl = new URL(REDIS_URL);
    const p = await proxy({ host: redisUrl.hostname, port: Number(redisUrl.port || 6379) });
    redisUrl.port = String(p.port());
    const svc = await start(config({ databaseUrl: PG_URL, redisUrl: redisUrl.toString(), rateLimit: '3/10s' }, env()));
    try {
      const created = await call(svc.url, 'POST', '/admin/domains', { key: ADMIN, body: { name: 'redis-outage' } });
      const key = created.body.key.api_key as string;
      await p.cut();
      const during = [];
      for (let i = 0; i < 6; i++) during.push((await call(svc.url, 'GET', '/v1/', { key })).status);
      expect(during).toEqual([200, 200, 200, 429, 429, 429]);
      await p.restore();
      let redisUp = false;
      for (let i = 0; i < 60 && !redisUp; i++) {
        redisUp = (await call(svc.url, 'GET', '/readyz')).body.redis === 'up';
        if (!redisUp) await new Promise((r) => setTimeout(r, 100));
      }
      expect(redisUp).toBe(true);
      // counted in Redis again, which saw none of the outage's requests (memory would refuse)
      const after = [];
      for (let i = 0; i < 4; i++) after.push((await call(svc.url, 'GET', '/v1/', { key })).status);
      expect(after).toEqual([200, 200, 200, 429]);
    } finally {
      await svc.close();
      await p.cut();
    }
  });
});

describe('store outage', () => {
  it('answers 503 server-error with Retry-After while Postgres is unreachable, and recovers by itself', async () => {
    const pgUrl = new URL(PG_URL);
    const p = await proxy({ host: pgUrl.hostname, port: Number(pgUrl.port || 5432) });
    pgUrl.port = String(p.port());
    const svc = await start(config({ databaseUrl: pgUrl.toString() }, env()));
    try {
      expect((await call(svc.url, 'GET', '/v1/rooms', { key: SEED_KEY })).status).toBe(200);
      await p.cut();
      const down = await call(svc.url, 'GET', '/v1/rooms', { key: SEED_KEY });
      expect(down.status).toBe(503);
      expect(down.body.error).toBe('server-error');
      expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
      const ready = await call(svc.url, 'GET', '/readyz');
      expect(ready.status).toBe(503);
      expect((await call(svc.url, 'GET', '/healthz')).status).toBe(200);

      await p.restore();
      let status = 0;
      for (let i = 0; i < 40 && status !== 200; i++) {
        status = (await call(svc.url, 'GET', '/v1/rooms', { key: SEED_KEY })).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe(200);
      expect((await call(svc.url, 'GET', '/readyz')).status).toBe(200);
    } finally {
      await svc.close();
      await p.cut();
    }
  });
});
