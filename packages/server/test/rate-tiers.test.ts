/** Daily's per-route tiers over real HTTP: DELETE /rooms/:name has a budget of its own (2/s, 50 per 30 s). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, config, type Running, start, tempDir } from './helpers.js';

const KEY = 'rate-tier-test-key-0123456789abcdef';
let tmp: ReturnType<typeof tempDir>;
let svc: Running;

beforeAll(async () => {
  tmp = tempDir();
  // the default per-key limit (Daily's 20/s, 100 per 5 s) is on
  svc = await start(config({ data: tmp.dir, rateLimit: '20/1s,100/5s' }, { DAILY_API_KEY: KEY }));
});

afterAll(async () => {
  await svc?.close();
  tmp?.remove();
});

describe('per-route rate-limit tiers', () => {
  it('a burst of 10 DELETEs gets 2 through and 8 × 429, while other calls keep their own budget', async () => {
    for (let i = 0; i < 10; i++) {
      expect((await call(svc.url, 'POST', '/v1/rooms', { key: KEY, body: { name: `burst-${i}` } })).status).toBe(200);
    }
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) => call(svc.url, 'DELETE', `/v1/rooms/burst-${i}`, { key: KEY })),
    );
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(2);
    expect(statuses.filter((s) => s === 429)).toHaveLength(8);
    const refused = replies.find((r) => r.status === 429);
    expect(refused?.body).toMatchObject({
      error: 'rate-limit-error',
      info: expect.stringMatching(/2 requests per 1 s/),
    });
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    // the default tier is untouched by the DELETE burst
    const list = await call(svc.url, 'GET', '/v1/rooms', { key: KEY });
    expect(list.status).toBe(200);
    expect(list.body.total_count).toBe(8);
  });

  it('the tier is in the DELETE operation’s documentation', async () => {
    const doc = (await call(svc.url, 'GET', '/openapi.json')).body;
    expect(doc.paths['/v1/rooms/{room_name}'].delete.description).toMatch(/2 per second and 50 per 30 s per API key/);
  });
});
