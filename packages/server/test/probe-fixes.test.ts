/**
 * What an outside probe of the service got through (issue 23), each closed: reply headers, room names Daily
 * cannot have, bodies of near-miss names that cost a hint each, domains named after another domain's id.
 */
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/index.js';
import { call, config, serviceForFile, start, tempDir } from './helpers.js';

const KEY = 'probe-fixes-key-0123456789abcdef';
const ADMIN = 'admin-token-0123456789abcdef';
const held = serviceForFile(KEY, { DAILY_TOKENS_ADMIN_TOKEN: ADMIN });

const mint = (properties: Record<string, unknown>) =>
  call(held.svc.url, 'POST', '/v1/meeting-tokens', { key: KEY, body: { properties } });

describe('reply headers', () => {
  it('every reply, on the fast path and through Fastify, is no-store and nosniff', async () => {
    const replies = [
      await mint({ room_name: 'standup' }), // fast path (after the first request caches the key)
      await mint({ room_name: 'standup' }),
      await call(held.svc.url, 'GET', '/v1/', { key: KEY }),
      await call(held.svc.url, 'GET', '/v1/', { key: 'wrong-key-000000000' }),
      await call(held.svc.url, 'GET', '/v1/meeting-tokens/a.b.c', { key: KEY }),
      await call(held.svc.url, 'GET', '/healthz'),
      await call(held.svc.url, 'GET', '/admin/domains', { key: ADMIN }),
    ];
    for (const r of replies) {
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });
});

describe('room names', () => {
  it.each(['ｈｅｌｌｏ', '../admin', 'a b', 'x'.repeat(129), 'caf\u00e9', ''])(
    'refuses a token for %j',
    async (name) => {
      const r = await mint({ room_name: name });
      expect(r.status).toBe(400);
      expect(r.body.error).toBe('invalid-request-error');
      expect(r.body.info).toMatch(/room_name must be a Daily room name/);
    },
  );

  it('mints for the names Daily allows', async () => {
    for (const name of ['hello', 'A-b_9', 'x'.repeat(128)]) expect((await mint({ room_name: name })).status).toBe(200);
  });
});

describe('bodies of near-miss names', () => {
  /** 64 KB of names one letter off a property: each would cost an edit-distance search. */
  const flood = () => {
    const properties: Record<string, unknown> = {};
    for (let i = 0; i < 3000; i++) properties[`user_nam${i}`] = true;
    return properties;
  };

  it('refuses a token body of thousands of unknown names at once, naming 20 and counting the rest', async () => {
    const body = flood();
    const t0 = performance.now();
    const r = await mint(body);
    const ms = performance.now() - t0;
    expect(r.status).toBe(400);
    expect(r.body.info).toMatch(/properties has 3000 names that are not meeting-token properties: .* and 2980 more/);
    expect(r.body.info).not.toMatch(/did you mean/);
    expect(JSON.stringify(r.body).length).toBeLessThan(2000);
    expect(ms).toBeLessThan(500);
  });

  it('still hints at a few typos', async () => {
    const r = await mint({ room_name: 'standup', user_nme: 'Ada' });
    expect(r.status).toBe(400);
    expect(r.body.info).toMatch(/did you mean "user_name"/);
  });

  it('refuses a room body of thousands of unknown names at once, top level or in properties', async () => {
    const inProps = await call(held.svc.url, 'POST', '/v1/rooms', { key: KEY, body: { properties: flood() } });
    expect(inProps.status).toBe(400);
    expect(inProps.body.info).toMatch(/properties has 3000 names that are not room properties: .* and 2980 more/);
    expect(JSON.stringify(inProps.body).length).toBeLessThan(2000);
    const top = await call(held.svc.url, 'POST', '/v1/rooms', { key: KEY, body: flood() });
    expect(top.status).toBe(400);
    expect(top.body.info).toMatch(/the body has 3000 names that are not room fields/);
  });
});

describe('domains', () => {
  it('does not seed a key into another domain whose id is the seed’s DAILY_DOMAIN_NAME', async () => {
    const tmp = tempDir();
    try {
      const first = await start(config({ data: tmp.dir }, { DAILY_API_KEY: KEY, DAILY_DOMAIN_NAME: 'owner-team' }));
      const ownerId = (await first.app.ctx.store.domains.byName('owner-team'))?.id as string;
      await first.close();
      await expect(
        buildApp(config({ data: tmp.dir }, { DAILY_API_KEY: 'intruder-key-0123456789', DAILY_DOMAIN_NAME: ownerId })),
      ).rejects.toThrow(/is the id of domain owner-team/);
    } finally {
      tmp.remove();
    }
  });

  it('refuses a domain named after another domain’s id, and an id that is another’s name', async () => {
    const first = await call(held.svc.url, 'POST', '/admin/domains', { key: ADMIN, body: { name: 'first-team' } });
    expect(first.status).toBe(200);
    const id = first.body.domain.id as string;
    const named = await call(held.svc.url, 'POST', '/admin/domains', { key: ADMIN, body: { name: id } });
    expect(named.status).toBe(400);
    expect(named.body.info).toMatch(/is the id of domain first-team/);
    const ided = await call(held.svc.url, 'POST', '/admin/domains', {
      key: ADMIN,
      body: { name: 'second-team', id: 'first-team' },
    });
    expect(ided.status).toBe(400);
    // the look-up by id still finds exactly the first domain
    const keys = await call(held.svc.url, 'GET', `/admin/domains/${id}/keys`, { key: ADMIN });
    expect(keys.status).toBe(200);
    expect(keys.body.data.every((k: { domain_id: string }) => k.domain_id === id)).toBe(true);
  });
});
