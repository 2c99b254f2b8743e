/**
 * Postgres dropping the service's connections under load (pg_terminate_backend, as a restart or failover
 * does): the process must survive, answer 503 server-error while the store is away and recover by itself.
 * Only this test's connections are terminated, found by their application_name.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, MASTER_KEY, PG_URL, pgSchema } from './helpers.js';
import { type ServeProcess, spawnServe } from './process.js';

const KEY = 'pg-fault-key-0123456789abcdef';
let schema: Awaited<ReturnType<typeof pgSchema>>;
let admin: pg.Client;

beforeAll(async () => {
  schema = await pgSchema();
  admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
  await schema?.drop();
});

async function terminate(appName: string): Promise<number> {
  const r = await admin.query(
    'select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where application_name = $1',
    [appName],
  );
  return r.rows[0].n as number;
}

/** `concurrency` loops of POST /v1/rooms until `until`; every status is counted, a reset is 'reset'. */
async function load(url: string, concurrency: number, until: () => boolean) {
  const statuses = new Map<string | number, number>();
  const loop = async () => {
    while (!until()) {
      let status: string | number;
      try {
        status = (await call(url, 'POST', '/v1/rooms', { key: KEY, body: {} })).status;
      } catch {
        status = 'reset';
      }
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return statuses;
}

describe('Postgres terminates the service’s connections under load', () => {
  let svc: ServeProcess;
  const appName = `dt_fault_${randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    const url = new URL(PG_URL);
    url.searchParams.set('application_name', appName);
    // no Redis: the LISTEN/NOTIFY connection is terminated too
    svc = await spawnServe({
      DATABASE_URL: url.toString(),
      DAILY_TOKENS_DB_SCHEMA: schema.schema,
      DAILY_TOKENS_MASTER_KEY: MASTER_KEY,
      DAILY_API_KEY: KEY,
      DAILY_TOKENS_RATE_LIMIT: 'off',
    });
  });
  afterAll(async () => {
    await svc?.kill();
  });

  it('survives five rounds of kills with 16 clients, answers only 200 or 503, and recovers', async () => {
    let done = false;
    const running = load(svc.url, 16, () => done);
    let killed = 0;
    for (let round = 0; round < 5; round++) {
      await new Promise((r) => setTimeout(r, 250));
      killed += await terminate(appName);
    }
    await new Promise((r) => setTimeout(r, 250));
    done = true;
    const statuses = await running;
    expect(killed).toBeGreaterThanOrEqual(5);
    expect(svc.child.exitCode, svc.output()).toBeNull();
    expect(
      [...statuses.keys()].filter((s) => s !== 200 && s !== 503),
      svc.output(),
    ).toEqual([]);
    expect(statuses.get(200)).toBeGreaterThan(0);

    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await call(svc.url, 'POST', '/v1/rooms', { key: KEY, body: {} })).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
    expect((await call(svc.url, 'GET', '/readyz')).status).toBe(200);
  });
});

describe('Postgres terminates the idle connections of a service at rest', () => {
  it('survives: the pool and the LISTEN connection reconnect, and the next request is served', async () => {
    const appName = `dt_idle_${randomBytes(4).toString('hex')}`;
    const url = new URL(PG_URL);
    url.searchParams.set('application_name', appName);
    const svc = await spawnServe({
      DATABASE_URL: url.toString(),
      DAILY_TOKENS_DB_SCHEMA: schema.schema,
      DAILY_TOKENS_MASTER_KEY: MASTER_KEY,
      DAILY_API_KEY: KEY,
      DAILY_TOKENS_RATE_LIMIT: 'off',
    });
    try {
      for (let i = 0; i < 3; i++) {
        expect((await call(svc.url, 'GET', '/v1/rooms', { key: KEY })).status).toBe(200);
        expect(await terminate(appName)).toBeGreaterThan(0);
        // the LISTEN connection reconnects after a second
        await new Promise((r) => setTimeout(r, 1200));
      }
      expect(svc.child.exitCode, svc.output()).toBeNull();
      expect((await call(svc.url, 'GET', '/v1/rooms', { key: KEY })).status).toBe(200);
    } finally {
      await svc.kill();
    }
  });
});
