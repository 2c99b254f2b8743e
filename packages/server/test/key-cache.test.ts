/**
 * The key cache prepares a domain's signer and verifiers once per keyring: the same ones serve request after
 * request and TTL reload, and new ones appear exactly when the keyring changes (rotation, deactivation,
 * invalidation, a grace period ending).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeyCache } from '../src/cache/key-cache.js';
import { openStore } from '../src/store/index.js';
import { config, MASTER_KEY, tempDir } from './helpers.js';

const T0 = new Date('2026-03-01T12:00:00Z');
let tmp: ReturnType<typeof tempDir>;
let store: Awaited<ReturnType<typeof openStore>>;
let now: Date;
let apiKey: string;
let keyId: string;

beforeEach(async () => {
  tmp = tempDir();
  store = await openStore(config({ data: tmp.dir }, { DAILY_TOKENS_MASTER_KEY: MASTER_KEY }), { bootstrap: false });
  now = T0;
  const domain = await store.domains.create('cache', undefined, T0);
  const created = await store.keys.create(domain.id, undefined, T0);
  apiKey = created.apiKey;
  keyId = created.key.id;
});
afterEach(async () => {
  await store.close();
  tmp.remove();
});

const sign = (cache: KeyCache, key = apiKey) =>
  cache.resolve(key).then((r) => r?.signers.expiring.signSync({ room_name: 'r', exp: 1e10 }, { now }));

describe('KeyCache', () => {
  it('serves the same prepared key across requests and TTL reloads while the keyring is unchanged', async () => {
    const cache = new KeyCache(store, 0, () => now);
    const first = await cache.resolve(apiKey);
    expect(first?.active).toBe(true);
    // TTL 0: every resolve reads the store again, and finds the same rows
    const second = await cache.resolve(apiKey);
    expect(second).toBe(first);
    expect(second?.verifier(false)).toBe(first?.verifier(false));
    expect(first?.verifier(true)).not.toBe(first?.verifier(false));
    const token = (await sign(cache)) as string;
    const result = first?.verifier(false).verifySync(token, { now, roomName: 'r' });
    expect(result?.valid).toBe(true);
    expect(result?.keyId).toBe(keyId);
  });

  it('prepares again on rotation: new tokens are signed with the new key, the old key verifies until its grace ends', async () => {
    const cache = new KeyCache(store, 60_000, () => now);
    const before = await cache.resolve(apiKey);
    const oldToken = (await sign(cache)) as string;
    const rotated = await store.keys.rotate(keyId, 60, T0);
    // the app calls clear() on a local change and on every invalidation message
    cache.clear();
    const after = await cache.resolve(apiKey);
    expect(after).not.toBe(before);
    const newToken = (await sign(cache)) as string;
    expect(after?.verifier(false).verifySync(newToken, { now }).keyId).toBe(rotated?.key.id);
    expect(after?.verifier(false).verifySync(oldToken, { now }).valid).toBe(true);
    // no store change, no clear(): the grace period ending alone makes the old key inactive
    now = new Date(T0.getTime() + 61_000);
    const expired = await cache.resolve(apiKey);
    expect(expired).not.toBe(after);
    expect(expired?.active).toBe(false);
    const problems = expired
      ?.verifier(false)
      .verifySync(oldToken, { now })
      .problems.map((p) => p.code);
    expect(problems).toContain('inactive-key');
  });

  it('sees a deactivation made elsewhere at the next reload, even without an invalidation message', async () => {
    const cache = new KeyCache(store, 0, () => now);
    const before = await cache.resolve(apiKey);
    await store.keys.deactivate(keyId, T0);
    const after = await cache.resolve(apiKey);
    expect(after).not.toBe(before);
    expect(after?.active).toBe(false);
  });
});
