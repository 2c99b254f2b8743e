/** The core's DailyRestClient against the real service over HTTP: the emulator and the client agree. */
import { createMeetingToken } from 'daily-tokens';
import { DailyApiError, DailyRestClient } from 'daily-tokens/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config, type Running, start, tempDir } from './helpers.js';

const KEY = 'rest-client-test-key-0123456789abcdef';
const DOMAIN_ID = '0b3e6a52-4f6e-4d7e-9a51-2f7c9d1e8a40';

let tmp: ReturnType<typeof tempDir>;
let svc: Running;
let limited: Running;

beforeAll(async () => {
  tmp = tempDir();
  const env = { DAILY_API_KEY: KEY, DAILY_DOMAIN_ID: DOMAIN_ID, DAILY_DOMAIN_NAME: 'client-test' };
  svc = await start(config({ data: `${tmp.dir}/a` }, env));
  // A second service with a tight limit, to see the client back off and retry on 429.
  limited = await start(config({ data: `${tmp.dir}/b`, rateLimit: '2/1s' }, env));
});

afterAll(async () => {
  await svc?.close();
  await limited?.close();
  tmp?.remove();
});

const client = (url: string, apiKey = KEY) => new DailyRestClient({ apiKey, baseUrl: `${url}/v1`, maxRetryDelay: 2 });

describe('DailyRestClient against the service', () => {
  it('reads the domain, creates a room and a token, and validates it by full name', async () => {
    const daily = client(svc.url);
    const domain = await daily.getDomain();
    expect(domain).toMatchObject({ domain_name: 'client-test', domain_id: DOMAIN_ID });
    const room = await daily.createRoom({ privacy: 'private' });
    expect(room).toMatchObject({ privacy: 'private', api_created: true });
    expect((await daily.getRoom(room.name)).id).toBe(room.id);
    expect((await daily.listRooms()).map((r) => r.name)).toContain(room.name);

    const exp = Math.floor(Date.now() / 1000) + 600;
    const token = await daily.createMeetingToken({ room_name: room.name, user_name: 'Ada', is_owner: true, exp });
    const props = await daily.validateMeetingToken(token);
    expect(props).toMatchObject({ room_name: room.name, user_name: 'Ada', is_owner: true, exp });

    await daily.deleteRoom(room.name);
    await expect(daily.getRoom(room.name)).rejects.toMatchObject({ status: 404 });
    await expect(daily.deleteRoom(room.name)).resolves.toBeUndefined();
  });

  it('updates a room (merge, typed errors) and pages through rooms', async () => {
    const daily = client(svc.url);
    const exp = Math.floor(Date.now() / 1000) + 3600;
    await daily.createRoom({ name: 'paged-0', properties: { exp, max_participants: 5 } });
    const updated = await daily.updateRoom('paged-0', { privacy: 'private', properties: { max_participants: null } });
    expect(updated).toMatchObject({ name: 'paged-0', privacy: 'private', config: { exp } });
    expect(updated.config).not.toHaveProperty('max_participants');
    const err = await daily.updateRoom('paged-0', { properties: { maxParticipants: 3 } as never }).catch((e) => e);
    expect(err).toBeInstanceOf(DailyApiError);
    expect(err).toMatchObject({ status: 400, type: 'invalid-request-error' });
    expect(err.info).toMatch(/max_participants/);
    await expect(daily.updateRoom('no-such-room', { privacy: 'public' })).rejects.toMatchObject({ status: 404 });

    for (let i = 1; i < 5; i++) await daily.createRoom({ name: `paged-${i}` });
    const first = await daily.listRoomPage({ limit: 2 });
    expect(first.data).toHaveLength(2);
    const next = await daily.listRoomPage({ limit: 2, starting_after: first.data[1]?.id as string });
    expect(next.data.map((r) => r.id)).not.toContain(first.data[0]?.id);
    const all: string[] = [];
    for (let after: string | undefined, guard = 0; guard < 10; guard++) {
      const page = await daily.listRoomPage({ limit: 2, ...(after ? { starting_after: after } : {}) });
      all.push(...page.data.map((r) => r.name));
      if (page.data.length < 2) break;
      after = page.data.at(-1)?.id;
    }
    expect(all.length).toBe(first.total_count);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(expect.arrayContaining(['paged-0', 'paged-1', 'paged-2', 'paged-3', 'paged-4']));
    await expect(daily.listRoomPage({ limit: 0 })).rejects.toMatchObject({
      status: 400,
      type: 'invalid-request-error',
    });
    await expect(daily.listRoomPage({ starting_after: 'a', ending_before: 'b' })).rejects.toMatchObject({
      status: 400,
      info: expect.stringMatching(/not both/),
    });
  });

  it('gets the same full-name JSON for a self-signed and a REST-minted token', async () => {
    const daily = client(svc.url);
    const properties = {
      room_name: 'same',
      user_name: 'Grace',
      user_id: 'g-1',
      enable_screenshare: false,
      start_audio_off: true,
      lang: 'de' as const,
      exp: Math.floor(Date.now() / 1000) + 900,
      permissions: { canSend: ['audio' as const], canAdmin: ['participants' as const] },
    };
    const minted = await daily.createMeetingToken(properties);
    const signed = await createMeetingToken(properties, { apiKey: KEY, domainId: DOMAIN_ID });
    const a = await daily.validateMeetingToken(minted);
    const b = await daily.validateMeetingToken(signed);
    const { iat: _a, ...restA } = a as Record<string, unknown>;
    const { iat: _b, ...restB } = b as Record<string, unknown>;
    expect(restA).toEqual(restB);
    expect(restA).toMatchObject({ room_name: 'same', user_id: 'g-1', enable_screenshare: false, lang: 'de' });
  });

  it('maps Daily errors to DailyApiError and never retries them', async () => {
    const bad = await client(svc.url, 'not-a-key-of-this-service-000000')
      .getDomain()
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(DailyApiError);
    expect(bad).toMatchObject({ status: 401, type: 'authentication-error' });
    const expired = await createMeetingToken(
      { room_name: 'x' },
      { apiKey: KEY, domainId: DOMAIN_ID, now: new Date(Date.now() - 7200_000), expiresIn: '1h' },
    );
    await expect(client(svc.url).validateMeetingToken(expired)).rejects.toMatchObject({
      status: 400,
      type: 'invalid-request-error',
    });
  });

  it('takes a bare origin as its /v1, where the API answers (not the inspector page at /)', async () => {
    const origin = new DailyRestClient({ apiKey: KEY, baseUrl: svc.url, retries: 0 });
    expect(origin.baseUrl).toBe(`${svc.url}/v1`);
    expect(await origin.getDomain()).toMatchObject({ domain_id: DOMAIN_ID });
    // A path of its own is kept as given.
    expect(new DailyRestClient({ apiKey: KEY, baseUrl: `${svc.url}/proxy/v1/` }).baseUrl).toBe(`${svc.url}/proxy/v1`);
  });

  it('keeps the API key out of what inspecting or serialising the client shows', async () => {
    const { inspect } = await import('node:util');
    const daily = client(svc.url);
    expect(inspect(daily, { showHidden: true, depth: 5 })).not.toContain(KEY);
    expect(JSON.stringify(daily)).not.toContain(KEY);
  });

  it('backs off on 429 and gets through once the window passes', async () => {
    const daily = client(limited.url);
    const results = await Promise.all(Array.from({ length: 5 }, () => daily.getDomain()));
    expect(results.every((d) => d.domain_id === DOMAIN_ID)).toBe(true);
  });
});
