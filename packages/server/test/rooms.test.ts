/** Rooms as Daily has them, over real HTTP on SQLite and on Postgres, with a clock the tests move. */
import { createRequire } from 'node:module';
import { ROOM_PROPERTY_NAMES, ROOM_PROPERTY_REGISTRY } from 'daily-tokens/rooms';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call, config, MASTER_KEY, PG_URL, pgSchema, type Running, start, tempDir } from './helpers.js';

const T0 = new Date('2026-03-01T12:00:00Z').getTime();
const KEY = 'rooms-test-key-0123456789abcdef012';
const ADMIN = 'admin-token-for-rooms-0123456789';
const pkg = createRequire(import.meta.url)('../package.json') as { version: string };

let nowMs = T0;
const nowS = () => Math.floor(nowMs / 1000);
let tmp: ReturnType<typeof tempDir>;
let svc: Running;
let url: string;
let otherKey: string;

const api = (method: string, path: string, body?: unknown, key = KEY) =>
  call(url, method, path, { key, ...(body !== undefined ? { body } : {}) });
const createRoom = (body: unknown) => api('POST', '/v1/rooms', body);
const admin = (path: string, token = ADMIN) => call(url, 'POST', path, { key: token });

describe.each(['sqlite', 'postgres'] as const)('%s store', (engine) => {
  let schema: Awaited<ReturnType<typeof pgSchema>> | undefined;

  beforeAll(async () => {
    tmp = tempDir();
    const env = { DAILY_API_KEY: KEY, DAILY_DOMAIN_NAME: 'rooms-dev', DAILY_TOKENS_ADMIN_TOKEN: ADMIN };
    const clock = { clock: () => new Date(nowMs) };
    if (engine === 'postgres') {
      schema = await pgSchema();
      const pgEnv = { ...env, DAILY_TOKENS_MASTER_KEY: MASTER_KEY, DAILY_TOKENS_DB_SCHEMA: schema.schema };
      svc = await start(config({ databaseUrl: PG_URL }, pgEnv), clock);
    } else {
      svc = await start(config({ data: tmp.dir }, env), clock);
    }
    url = svc.url;
    // a second domain, to see that rooms never cross domains
    const other = await call(url, 'POST', '/admin/domains', { key: ADMIN, body: { name: 'other-dev' } });
    expect(other.status).toBe(200);
    otherKey = other.body.key.api_key;
  });

  beforeEach(async () => {
    nowMs = T0;
    expect((await admin('/admin/reset')).status).toBe(200);
  });

  afterAll(async () => {
    await svc?.close();
    await schema?.drop();
    tmp?.remove();
  });

  describe('room properties are validated against the registry', () => {
    it.each([
      [{ max_participants: 'lots' }, /properties\.max_participants must be a whole number, got "lots"/],
      [{ maxParticipants: 4 }, /properties\.maxParticipants is camelCase.*write "max_participants"/],
      [{ enable_chatt: true }, /properties\.enable_chatt is not a room property; did you mean "enable_chat"\?/],
      [{ enable_recording: 'clod' }, /properties\.enable_recording "clod" is not one of .*did you mean "cloud"/],
      [{ geo: 7 }, /properties\.geo must be a string such as "af-south-1", got 7/],
      [{ recordings_template: '{room_name}.mp4' }, /properties\.recordings_template must contain \{epoch_time\}/],
      [
        { dialin: { wait_for_meeting_start: 'yes' } },
        /properties\.dialin\.wait_for_meeting_start must be true or false/,
      ],
      [{ exp: Math.floor(T0 / 1000) - 60 }, /properties\.exp .* is in the past/],
      [{ exp: T0 }, /which is milliseconds \(2026-03-01T12:00:00Z\); Daily reads seconds/],
      [{ room_name: 'x' }, /properties\.room_name is a meeting-token property/],
    ])('%j → 400 naming the property', async (properties, info) => {
      const r = await createRoom({ properties });
      expect(r.status).toBe(400);
      expect(r.body.error).toBe('invalid-request-error');
      expect(r.body.info).toMatch(info);
      expect((await api('GET', '/v1/rooms')).body.total_count).toBe(0);
    });

    it('checks the key before the body: a bad key with a bad body is 401, no key is 400 authorization-header-error', async () => {
      const body = { properties: { maxParticipants: 4 } };
      const bad = await call(url, 'POST', '/v1/rooms', { key: 'not-a-key-of-this-service-000000', body });
      expect(bad.status).toBe(401);
      expect(bad.body.error).toBe('authentication-error');
      const none = await call(url, 'POST', '/v1/rooms', { body });
      expect(none.body.error).toBe('authorization-header-error');
    });

    it('refuses unknown and misplaced top-level fields and bad names, and lists every problem at once', async () => {
      const r = await createRoom({ nam: 'x', exp: nowS() + 60, name: 'no spaces', properties: { enable_chat: 'yes' } });
      expect(r.status).toBe(400);
      expect(r.body.info).toMatch(/nam is not a room field.*did you mean "name"/);
      expect(r.body.info).toMatch(/exp is a room property: put it inside "properties"/);
      expect(r.body.info).toMatch(/name must be 1–128 letters/);
      expect(r.body.info).toMatch(/properties\.enable_chat must be true or false/);
      expect((await createRoom([1, 2])).body.info).toMatch(/the body must be a JSON object/);
    });

    it('accepts every documented property at its default (as generated SDKs send them) and shows each as set', async () => {
      const defaults = Object.fromEntries(
        ROOM_PROPERTY_NAMES.flatMap((n) => {
          const d = (ROOM_PROPERTY_REGISTRY[n] as { default?: unknown }).default;
          return d === undefined ? [] : [[n, d]];
        }),
      );
      expect(Object.keys(defaults).length).toBeGreaterThan(15);
      const r = await createRoom({ name: 'defaults', properties: defaults });
      expect(r.status).toBe(200);
      // daily-js room({includeRoomConfigDefaults: false}): "only explicitly-set properties", defaults included
      expect(r.body.config).toEqual(defaults);
    });

    it('config lists what was set, even to its default, as Daily shows it; float exp is floored', async () => {
      const exp = nowS() + 3600.7;
      const r = await createRoom({
        name: 'configured',
        privacy: 'private',
        properties: { max_participants: 4, enable_chat: true, start_video_off: false, exp, nbf: nowS() },
      });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        name: 'configured',
        privacy: 'private',
        api_created: true,
        url: 'https://rooms-dev.daily.co/configured',
      });
      expect(r.body.config).toEqual({
        max_participants: 4,
        enable_chat: true,
        start_video_off: false,
        exp: Math.floor(exp),
        nbf: nowS(),
      });
      expect((await api('GET', '/v1/rooms/configured')).body.config).toEqual(r.body.config);
    });
  });

  describe('properties Daily documents beyond daily-ruby’s model', () => {
    it('dialin, dialout_config, enable_dialout, transcription_template and cloud-audio-only are kept and shown', async () => {
      const properties = {
        dialin: { display_name: 'Phone caller', wait_for_meeting_start: true, room_numbers: [{ phone_number: '+1' }] },
        dialout_config: { allow_room_start: true, dialout_geo: 'us-west-2', max_idle_timeout_sec: 30 },
        enable_dialout: true,
        transcription_template: '{room_name}/{mtg_session_id}/{epoch_time}.vtt',
        recordings_template: '{domain_name}/{room_name}/{epoch_time}.mp4',
        enable_recording: 'cloud-audio-only',
        exp: nowS() + 3600,
      };
      const r = await createRoom({ name: 'phone', properties });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.config).toEqual(properties);
      expect((await api('GET', '/v1/rooms/phone')).body.config).toEqual(properties);
      const off = await api('POST', '/v1/rooms/phone', { properties: { dialin: null, enable_dialout: false } });
      const { dialin: _, ...rest } = properties;
      expect(off.body.config).toEqual({ ...rest, enable_dialout: false });
    });

    it('a template without {epoch_time} is refused on update too, and the room is unchanged', async () => {
      await createRoom({ name: 'tmpl', properties: { transcription_template: '{epoch_time}.vtt' } });
      const r = await api('POST', '/v1/rooms/tmpl', { properties: { transcription_template: '{room_name}.vtt' } });
      expect(r.status).toBe(400);
      expect(r.body.info).toMatch(/properties\.transcription_template must contain \{epoch_time\}/);
      expect((await api('GET', '/v1/rooms/tmpl')).body.config).toEqual({ transcription_template: '{epoch_time}.vtt' });
    });
  });

  describe('POST /v1/rooms/:name (set room config)', () => {
    it('merges properties, resets null ones, changes privacy, and returns the room', async () => {
      const created = await createRoom({ name: 'merge-me', properties: { max_participants: 4, enable_chat: true } });
      const r = await api('POST', '/v1/rooms/merge-me', {
        privacy: 'private',
        properties: { enable_chat: null, start_video_off: true },
      });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: created.body.id, name: 'merge-me', privacy: 'private' });
      expect(r.body.config).toEqual({ max_participants: 4, start_video_off: true });
      expect((await api('GET', '/v1/rooms/merge-me')).body).toEqual(r.body);
      // privacy alone leaves the properties; an empty body changes nothing
      expect((await api('POST', '/v1/rooms/merge-me', { privacy: 'public' })).body.config).toEqual(r.body.config);
      expect((await api('POST', '/v1/rooms/merge-me')).body.privacy).toBe('public');
    });

    it('validates like create, refuses a rename, and answers 404 for a missing room', async () => {
      await createRoom({ name: 'strict' });
      const bad = await api('POST', '/v1/rooms/strict', { properties: { maxParticipants: 3 } });
      expect(bad.status).toBe(400);
      expect(bad.body.info).toMatch(/did you mean|camelCase/);
      expect((await api('POST', '/v1/rooms/strict', { name: 'renamed' })).body.info).toMatch(/cannot be changed/);
      const missing = await api('POST', '/v1/rooms/nope', { privacy: 'private' });
      expect(missing.status).toBe(404);
      expect(missing.body.error).toBe('not-found');
    });

    it('an update sending the SDK’s "not set" defaults unsets those properties, as null does', async () => {
      await createRoom({
        name: 'unset',
        properties: { enable_recording: 'cloud', geo: 'eu-west-2', enable_chat: true },
      });
      const r = await api('POST', '/v1/rooms/unset', { properties: { enable_recording: '<not set>', geo: 'NULL' } });
      expect(r.status).toBe(200);
      expect(r.body.config).toEqual({ enable_chat: true });
    });

    it('refuses an update that would leave nbf after exp', async () => {
      await createRoom({ name: 'window', properties: { nbf: nowS() + 100 } });
      const r = await api('POST', '/v1/rooms/window', { properties: { exp: nowS() + 50 } });
      expect(r.status).toBe(400);
      expect(r.body.info).toMatch(/nbf .* not be before exp/);
    });
  });

  describe('GET /v1/rooms paging', () => {
    /** Five rooms a second apart, the last three more in the same millisecond as r4, so ties are paged too. */
    async function seed(): Promise<string[]> {
      const names: string[] = [];
      for (let i = 0; i < 5; i++) {
        nowMs = T0 + i * 1000;
        names.push((await createRoom({ name: `r${i}` })).body.name);
      }
      for (let i = 5; i < 8; i++) names.push((await createRoom({ name: `r${i}` })).body.name);
      return names;
    }

    it('is newest first, limit pages with total_count of all, cursors walk both ways without gaps or repeats', async () => {
      await seed();
      const all = await api('GET', '/v1/rooms');
      expect(all.body.total_count).toBe(8);
      expect(all.body.data).toHaveLength(8);
      const order: string[] = all.body.data.map((r: { name: string }) => r.name);
      expect(order.slice(4)).toEqual(['r3', 'r2', 'r1', 'r0']);
      expect(order.slice(0, 4).sort()).toEqual(['r4', 'r5', 'r6', 'r7']);

      const seen: string[] = [];
      let after: string | undefined;
      const pages: string[][] = [];
      for (let guard = 0; guard < 10; guard++) {
        const page = await api('GET', `/v1/rooms?limit=3${after ? `&starting_after=${after}` : ''}`);
        expect(page.status).toBe(200);
        expect(page.body.total_count).toBe(8);
        const names = page.body.data.map((r: { name: string }) => r.name);
        pages.push(names);
        seen.push(...names);
        if (page.body.data.length < 3) break;
        after = page.body.data.at(-1).id;
      }
      expect(seen).toEqual(order);
      expect(pages.map((p) => p.length)).toEqual([3, 3, 2]);

      const second = await api('GET', `/v1/rooms?limit=3&starting_after=${all.body.data[2].id}`);
      const back = await api('GET', `/v1/rooms?limit=3&ending_before=${second.body.data[0].id}`);
      expect(back.body.data.map((r: { name: string }) => r.name)).toEqual(order.slice(0, 3));
    });

    it('ending_before=OLDEST is the page of the oldest rooms, still newest first, and pages on from there', async () => {
      await seed();
      const order: string[] = (await api('GET', '/v1/rooms')).body.data.map((r: { name: string }) => r.name);
      const oldest = await api('GET', '/v1/rooms?limit=3&ending_before=OLDEST');
      expect(oldest.status).toBe(200);
      expect(oldest.body.total_count).toBe(8);
      // Daily's docs: data[data.length-1] is your oldest room, data[0] the third-oldest
      expect(oldest.body.data.map((r: { name: string }) => r.name)).toEqual(['r2', 'r1', 'r0']);
      const newer = await api('GET', `/v1/rooms?limit=3&ending_before=${oldest.body.data[0].id}`);
      expect(newer.body.data.map((r: { name: string }) => r.name)).toEqual(order.slice(2, 5));
      const all = await api('GET', '/v1/rooms?ending_before=OLDEST');
      expect(all.body.data.map((r: { name: string }) => r.name)).toEqual(order);
      expect((await api('GET', '/v1/rooms?ending_before=OLDEST&starting_after=x')).status).toBe(400);
    });

    it.each([
      ['limit=abc', /limit must be integer/],
      ['limit=0', /limit must be >= 1/],
      ['limit=101', /limit must be <= 100/],
      ['limit=1.5', /limit must be integer/],
      ['starting_after=nope', /starting_after must be the id of a room of this domain/],
      ['starting_after=a&ending_before=b', /not both/],
    ])('?%s → 400', async (query, info) => {
      const r = await api('GET', `/v1/rooms?${query}`);
      expect(r.status).toBe(400);
      expect(r.body.error).toBe('invalid-request-error');
      expect(r.body.info).toMatch(info);
    });

    it('never shows or pages over another domain’s rooms', async () => {
      const mine = await createRoom({ name: 'mine' });
      const theirs = await api('GET', '/v1/rooms', undefined, otherKey);
      expect(theirs.body.total_count).toBe(0);
      const cursor = await api('GET', `/v1/rooms?starting_after=${mine.body.id}`, undefined, otherKey);
      expect(cursor.status).toBe(400);
    });
  });

  describe('room lifetime', () => {
    it('a room whose exp has passed is gone for GET, list, update and DELETE; its name is free again; nbf is kept', async () => {
      const nbf = nowS() + 10;
      await createRoom({ name: 'short', properties: { nbf, exp: nowS() + 60 } });
      await createRoom({ name: 'long' });
      expect((await api('GET', '/v1/rooms/short')).body.config).toEqual({ nbf, exp: nowS() + 60 });

      nowMs += 61_000;
      for (const [method, path] of [
        ['GET', '/v1/rooms/short'],
        ['DELETE', '/v1/rooms/short'],
        ['POST', '/v1/rooms/short'],
      ] as const) {
        const r = await api(method, path, method === 'POST' ? { privacy: 'private' } : undefined);
        expect(r.status, `${method} ${path}`).toBe(404);
        expect(r.body.error).toBe('not-found');
      }
      const list = await api('GET', '/v1/rooms');
      expect(list.body.total_count).toBe(1);
      expect(list.body.data.map((r: { name: string }) => r.name)).toEqual(['long']);
      const again = await createRoom({ name: 'short' });
      expect(again.status).toBe(200);
      expect(again.body.config).toEqual({});
    });

    it('DELETE deletes a live room once, then 404s', async () => {
      await createRoom({ name: 'bye' });
      const r = await api('DELETE', '/v1/rooms/bye');
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ deleted: true, name: 'bye' });
      expect((await api('DELETE', '/v1/rooms/bye')).status).toBe(404);
    });
  });

  describe('test ergonomics', () => {
    it('every reply names the emulator and its version from package.json, errors and 404s too', async () => {
      for (const r of [
        await api('GET', '/v1/'),
        await api('GET', '/v1/rooms/none'),
        await call(url, 'GET', '/no/such/endpoint'),
        await call(url, 'GET', '/v1/'),
      ]) {
        expect(r.headers.get('x-daily-emulator')).toBe(`daily-tokens/${pkg.version}`);
      }
    });

    it('POST /admin/reset clears every domain’s rooms, /admin/domains/:d/reset one domain’s; keys keep working', async () => {
      await createRoom({ name: 'a1' });
      await createRoom({ name: 'a2' });
      await api('POST', '/v1/rooms', { name: 'b1' }, otherKey);
      const one = await admin('/admin/domains/other-dev/reset');
      expect(one.body).toEqual({ deleted_rooms: 1, domains: 1 });
      expect((await api('GET', '/v1/rooms')).body.total_count).toBe(2);
      const all = await admin('/admin/reset');
      expect(all.status).toBe(200);
      expect(all.body.deleted_rooms).toBe(2);
      expect((await api('GET', '/v1/rooms')).body).toEqual({ total_count: 0, data: [] });
      expect((await createRoom({ name: 'a1' })).status).toBe(200);
    });

    it('reset is admin-only', async () => {
      await createRoom({ name: 'kept' });
      expect((await admin('/admin/reset', KEY)).status).toBe(401);
      expect((await call(url, 'POST', '/admin/reset')).status).toBe(400);
      expect((await admin('/admin/domains/no-such-domain/reset')).status).toBe(404);
      expect((await api('GET', '/v1/rooms')).body.total_count).toBe(1);
    });

    it('POST /v1/ sets domain properties (merge, null resets), GET /v1/ shows them, /admin/reset clears them', async () => {
      const set = await api('POST', '/v1/', {
        properties: { lang: 'de', hide_daily_branding: true, geo: 'eu-west-2', meeting_join_hook: 'NULL' },
      });
      expect(set.status, JSON.stringify(set.body)).toBe(200);
      expect(set.body.config).toMatchObject({ lang: 'de', hide_daily_branding: true, geo: 'eu-west-2' });
      const again = await api('POST', '/v1/', { properties: { lang: null, enable_pip_ui: false } });
      expect(again.body.config).toMatchObject({ lang: 'en', hide_daily_branding: true, enable_pip_ui: false });
      expect((await api('GET', '/v1/')).body).toEqual(again.body);
      // another domain is untouched
      expect((await api('GET', '/v1/', undefined, otherKey)).body.config).not.toHaveProperty('geo');
      expect((await admin('/admin/reset')).status).toBe(200);
      const fresh = (await api('GET', '/v1/')).body.config;
      expect(fresh).toMatchObject({ lang: 'en', hide_daily_branding: false });
      expect(fresh).not.toHaveProperty('geo');
    });

    it.each([
      [{ properties: { enable_chat: true } }, /properties\.enable_chat is a room property, not a domain one/],
      [{ properties: { lang: 'klingon' } }, /properties\.lang "klingon" is not one of/],
      [{ properties: { redirect_on_meeting_exit: 'javascript:alert(1)' } }, /must not be a javascript:/],
      [{ properties: { recordings_template: 'x.mp4' } }, /must contain \{epoch_time\}/],
      [{ lang: 'de' }, /lang is a domain property: put it inside "properties"/],
      [[1], /the body must be a JSON object/],
    ])('POST /v1/ %j → 400 naming the problem', async (body, info) => {
      const r = await api('POST', '/v1/', body);
      expect(r.status).toBe(400);
      expect(r.body.error).toBe('invalid-request-error');
      expect(r.body.info).toMatch(info);
    });

    it('POST /v1/ takes a deep link as redirect_on_meeting_exit and keeps hipaa (set by Daily) as sent', async () => {
      const r = await api('POST', '/v1/', { properties: { redirect_on_meeting_exit: 'myapp://bye', hipaa: true } });
      expect(r.status).toBe(200);
      expect(r.body.config).toMatchObject({ redirect_on_meeting_exit: 'myapp://bye', hipaa: true });
    });

    it('GET /v1/ reports the config fields Daily documents', async () => {
      const r = await api('GET', '/v1/');
      expect(Object.keys(r.body.config).sort()).toEqual(
        [
          'hide_daily_branding',
          'redirect_on_meeting_exit',
          'meeting_join_hook',
          'hipaa',
          'intercom_auto_record',
          'intercom_manual_record',
          'switchover_impl',
          'lang',
          'webhook_meeting_end',
          'recordings_bucket',
          'max_live_streams',
          'max_streaming_instances_per_room',
          'enable_daily_logger',
          'enable_prejoin_ui',
          'enable_live_captions_ui',
          'enable_network_ui',
          'disable_rate_limiting',
          'attach_callobject_to_window',
        ].sort(),
      );
      expect(r.body.config).toMatchObject({ lang: 'en', hipaa: false, disable_rate_limiting: false });
      // sfu_impl may not be null (Daily's OpenAPI); sfu_switchover is an integer there, and 0.5 is not
      expect(r.body.config).not.toHaveProperty('sfu_impl');
      expect(r.body.config).not.toHaveProperty('sfu_switchover');
    });
  });
});
