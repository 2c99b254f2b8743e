/**
 * Redis frozen (SIGSTOP) and stopped, on a redis-server of the test's own: requests stay fast (a short
 * command timeout, then a circuit that stops asking), limits fall back to per-replica counting instead of
 * switching off, the outage is logged once per change and shown in /readyz and /metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, config, getFrom, type Running, start, tempDir, until } from './helpers.js';
import { type OwnRedis, ownRedis } from './redis-server.js';

const KEY = 'redis-fault-key-0123456789abcdef';
const ADMIN = 'admin-token-redis-faults-0123456789';
const TIMEOUT_MS = 300;
const RETRY_MS = 400;

let redis: OwnRedis;
let tmp: ReturnType<typeof tempDir>;
let svc: Running;
const logs: string[] = [];

beforeAll(async () => {
  redis = await ownRedis();
  tmp = tempDir();
  svc = await start(
    config(
      { data: tmp.dir, redisUrl: redis.url, rateLimit: '5/20s' },
      {
        DAILY_API_KEY: KEY,
        DAILY_TOKENS_ADMIN_TOKEN: ADMIN,
        DAILY_TOKENS_LOG_LEVEL: 'info',
        DAILY_TOKENS_REDIS_TIMEOUT: `${TIMEOUT_MS}ms`,
        DAILY_TOKENS_REDIS_RETRY: `${RETRY_MS}ms`,
      },
    ),
    { logStream: { write: (line) => logs.push(line) } },
  );
});
afterAll(async () => {
  await svc?.close();
  await redis?.stop();
  tmp?.remove();
});

const newKey = async () =>
  (
    await call(svc.url, 'POST', '/admin/domains', {
      key: ADMIN,
      body: { name: `d${Math.random().toString(36).slice(2, 10)}` },
    })
  ).body.key.api_key as string;
/** Cases run so far: each guesses from its own address. */
let cases = 0;
const redisLogLines = () => logs.filter((l) => /Redis (unavailable|is back)/.test(l));
const metric = async (name: string) => {
  const text = (await call(svc.url, 'GET', '/metrics')).body as string;
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
};

/** Both outages behave the same; the frozen one is the harder (no error, only silence). */
describe.each([
  ['frozen (SIGSTOP)', () => redis.freeze(), async () => redis.resume()],
  ['stopped (SIGKILL)', () => redis.stop(), () => redis.start()],
])('Redis %s', (_name, breakIt, restore) => {
  it('adds no timeout per request, keeps limits per replica, logs once, and shows it; then recovers', async () => {
    const key = await newKey();
    expect((await call(svc.url, 'GET', '/readyz')).body).toMatchObject({ ready: true, redis: 'up' });
    const linesBefore = redisLogLines().length;
    await breakIt();

    // 30 sequential requests: with a timeout each they would take 30 × 300 ms
    const t0 = Date.now();
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await call(svc.url, 'GET', '/v1/', { key: KEY })).status);
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeLessThan(15 * TIMEOUT_MS);
    // the seed key's own limit (5 per 20 s) still holds, counted locally
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(25);
    const fresh = [];
    for (let i = 0; i < 7; i++) fresh.push((await call(svc.url, 'GET', '/v1/', { key })).status);
    expect(fresh).toEqual([200, 200, 200, 200, 200, 429, 429]);
    // failed logins stay limited (30 per minute per address); guessed from a client of its own, since a
    // client over that budget is refused whatever it sends (this test's admin calls included)
    const guesser = `127.0.0.${2 + cases++}`;
    const guesses = [];
    for (let i = 0; i < 35; i++) guesses.push(await getFrom(svc.url, guesser, '/v1/', `guess-${i}-0123456789`));
    expect(guesses.filter((s) => s === 401).length).toBeLessThanOrEqual(30);
    expect(guesses.slice(-5)).toEqual([429, 429, 429, 429, 429]);

    const ready = await call(svc.url, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ ready: true, store: 'up', redis: 'down' });
    expect(await metric('daily_tokens_redis_up')).toBe(0);
    expect(await metric('daily_tokens_rate_limit_fallback_total')).toBeGreaterThan(0);
    const down = redisLogLines().slice(linesBefore);
    expect(down).toHaveLength(1);
    expect(down[0]).toContain('Redis unavailable');

    await restore();
    expect(await until(async () => (await call(svc.url, 'GET', '/readyz')).body.redis === 'up')).toBe(true);
    expect(await metric('daily_tokens_redis_up')).toBe(1);
    const after = redisLogLines().slice(linesBefore);
    expect(after).toHaveLength(2);
    expect(after[1]).toContain('Redis is back');
    // shared limits again: the counter lives in Redis
    const back = await newKey();
    for (let i = 0; i < 5; i++) expect((await call(svc.url, 'GET', '/v1/', { key: back })).status).toBe(200);
    expect((await call(svc.url, 'GET', '/v1/', { key: back })).status).toBe(429);
  });
});
