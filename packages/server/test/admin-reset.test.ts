/**
 * `POST /admin/reset` gives every key its full rate-limit budget back (in memory, and in Redis for
 * replicas), besides deleting rooms: a suite that met a 429 must not carry it into the next case.
 */
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { call, config, MASTER_KEY, REDIS_URL, randomPrefix, start, tempDir } from './helpers.js';

const ADMIN = 'admin-token-for-reset-tests-012345';
const KEY = 'reset-test-key-0123456789abcdef0123';
const prefix = randomPrefix();

afterAll(async () => {
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

describe.each([
  { name: 'in memory', flags: {} },
  { name: 'in Redis', flags: { redisUrl: REDIS_URL } },
])('/admin/reset and rate limits $name', ({ flags }) => {
  it('clears the counters: a key refused with 429 gets its full budget back', async () => {
    const tmp = tempDir();
    const svc = await start(
      config(
        { data: tmp.dir, rateLimit: '3/60s', ...flags },
        {
          DAILY_TOKENS_MASTER_KEY: MASTER_KEY,
          DAILY_TOKENS_ADMIN_TOKEN: ADMIN,
          DAILY_API_KEY: KEY,
          DAILY_TOKENS_REDIS_PREFIX: prefix,
        },
      ),
    );
    try {
      const mint = () =>
        call(svc.url, 'POST', '/v1/meeting-tokens', { key: KEY, body: { properties: { room_name: 'r' } } });
      const first: number[] = [];
      for (let i = 0; i < 4; i++) first.push((await mint()).status);
      expect(first).toEqual([200, 200, 200, 429]);
      const reset = await call(svc.url, 'POST', '/admin/reset', { key: ADMIN });
      expect(reset.status).toBe(200);
      expect(reset.body).toEqual({ deleted_rooms: 0, domains: 1 });
      const after: number[] = [];
      for (let i = 0; i < 4; i++) after.push((await mint()).status);
      expect(after).toEqual([200, 200, 200, 429]);
    } finally {
      await svc.close();
      tmp.remove();
    }
  });
});
