/** The Daily-compatible /v1 API over real HTTP on the embedded SQLite store. */
import { CLAIM_REGISTRY, createMeetingToken, decodeUnverified, REST_PROPERTY_NAMES } from 'daily-tokens';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, config, type Running, start, tempDir } from './helpers.js';

const NOW = new Date('2026-03-01T12:00:00Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);
const SEED_KEY = 'seed-key-for-tests-0123456789abcdef';
const DOMAIN_ID = '7f1c2f3e-1111-4222-8333-944455566677';
const ADMIN = 'admin-token-for-tests-0123456789';

let tmp: ReturnType<typeof tempDir>;
let svc: Running;
let url: string;
const logs: string[] = [];

beforeAll(async () => {
  tmp = tempDir();
  const cfg = config(
    { data: tmp.dir },
    {
      DAILY_API_KEY: SEED_KEY,
      DAILY_DOMAIN_ID: DOMAIN_ID,
      DAILY_DOMAIN_NAME: 'acme-dev',
      DAILY_TOKENS_ADMIN_TOKEN: ADMIN,
      DAILY_TOKENS_LOG_LEVEL: 'info',
    },
  );
  svc = await start(cfg, { clock: () => NOW, logStream: { write: (line) => logs.push(line) } });
  url = svc.url;
});

afterAll(async () => {
  await svc?.close();
  tmp?.remove();
});

describe('GET /v1 (domain config)', () => {
  it.each(['/v1', '/v1/'])('%s returns the seeded domain', async (path) => {
    const r = await call(url, 'GET', path, { key: SEED_KEY });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.body).toMatchObject({ domain_name: 'acme-dev', domain_id: DOMAIN_ID });
    expect(typeof r.body.config).toBe('object');
  });

  it('accepts a GET with Content-Type: application/json and an empty body', async () => {
    const res = await fetch(`${url}/v1/`, {
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SEED_KEY}`, 'content-length': '0' },
    });
    expect(res.status).toBe(200);
  });
});

describe('authentication', () => {
  it('missing header → 400 authorization-header-error', async () => {
    const r = await call(url, 'GET', '/v1/');
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('authorization-header-error');
    expect(r.body.info).toMatch(/Bearer/);
  });
  it.each(['Basic abc', 'Bearer', 'Bearer a b', `Token ${SEED_KEY}`])('malformed header %j → 400', async (h) => {
    const r = await call(url, 'GET', '/v1/', { headers: { authorization: h } });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('authorization-header-error');
  });
  it('unknown key → 401 authentication-error', async () => {
    const r = await call(url, 'GET', '/v1/', { key: 'not-a-real-key-000000' });
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ error: 'authentication-error', info: expect.any(String) });
  });
});

describe('POST /v1/meeting-tokens', () => {
  it('mints abbreviated claims with d and iat, signed with the domain key (the curl from the docs)', async () => {
    const exp = NOW_S + 3600;
    const r = await call(url, 'POST', '/v1/meeting-tokens', {
      key: SEED_KEY,
      body: { properties: { room_name: 'my-room', exp, is_owner: true } },
    });
    expect(r.status).toBe(200);
    const { claims, header } = decodeUnverified(r.body.token);
    expect(header.alg).toBe('HS256');
    expect(claims).toEqual({ r: 'my-room', exp, o: true, d: DOMAIN_ID, iat: NOW_S });
    const v = await call(url, 'GET', `/v1/meeting-tokens/${r.body.token}`, { key: SEED_KEY });
    expect(v.status).toBe(200);
    expect(v.body).toMatchObject({ room_name: 'my-room', exp, is_owner: true });
  });

  it('a self-signed token and a REST-minted one for the same properties validate to the same JSON', async () => {
    const properties = {
      room_name: 'standup',
      exp: NOW_S + 600,
      nbf: NOW_S - 60,
      user_name: 'Ada',
      user_id: 'ada-1',
      enable_recording: 'cloud',
      lang: 'de',
      permissions: { canSend: ['video', 'audio'], canAdmin: ['participants'] },
    };
    const rest = await call(url, 'POST', '/v1/meeting-tokens', { key: SEED_KEY, body: { properties } });
    expect(rest.status).toBe(200);
    const selfSigned = await createMeetingToken(properties as never, {
      apiKey: SEED_KEY,
      domainId: DOMAIN_ID,
      now: NOW,
    });
    const a = await call(url, 'GET', `/v1/meeting-tokens/${rest.body.token}`, { key: SEED_KEY });
    const b = await call(url, 'GET', `/v1/meeting-tokens/${selfSigned}`, { key: SEED_KEY });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.body).toEqual(b.body);
    expect(a.body).toMatchObject({ room_name: 'standup', user_name: 'Ada', lang: 'de' });
    expect(a.body.permissions.canSend).toEqual(['video', 'audio']);
  });

  it('accepts every documented property at its registry default (as the generated SDK sends them)', async () => {
    const defaults = Object.fromEntries(
      REST_PROPERTY_NAMES.flatMap((n) => {
        const spec = CLAIM_REGISTRY[n] as { default?: unknown };
        return spec.default === undefined ? [] : [[n, spec.default]];
      }),
    );
    expect(Object.keys(defaults).length).toBeGreaterThan(5);
    const r = await call(url, 'POST', '/v1/meeting-tokens', {
      key: SEED_KEY,
      body: { properties: { room_name: 'r', exp: NOW_S + 60, ...defaults } },
    });
    expect(r.status).toBe(200);
  });

  it('no body, an empty body or {} mint an all-rooms, never-expiring token (as Daily) and log lint findings', async () => {
    for (const opts of [{}, { raw: '' }, { body: {} }, { body: { properties: {} } }]) {
      const r = await call(url, 'POST', '/v1/meeting-tokens', { key: SEED_KEY, ...opts });
      expect(r.status).toBe(200);
      expect(decodeUnverified(r.body.token).claims).toEqual({ d: DOMAIN_ID, iat: NOW_S });
    }
    // on the request's own line, at warn
    const lintLines = logs.map((l) => JSON.parse(l)).filter((o) => o.lint);
    expect(lintLines.length).toBeGreaterThanOrEqual(4);
    expect(lintLines[0]).toMatchObject({ level: 40, msg: 'request', route: '/v1/meeting-tokens' });
    expect(lintLines[0].lint.map((f: { rule: string }) => f.rule)).toContain('no-expiry');
  });

  it('floors float exp and nbf', async () => {
    const r = await call(url, 'POST', '/v1/meeting-tokens', {
      key: SEED_KEY,
      body: { properties: { room_name: 'f', exp: NOW_S + 100.75, nbf: NOW_S - 0.5 } },
    });
    expect(r.status).toBe(200);
    expect(decodeUnverified(r.body.token).claims).toMatchObject({ exp: NOW_S + 100, nbf: NOW_S - 1 });
  });

  const bad: [string, unknown, RegExp][] = [
    ['flat body', { room_name: 'x', exp: NOW_S + 60 }, /must be inside "properties"/],
    ['abbreviated flat body', { r: 'x' }, /"room_name"/],
    ['snake_case permissions', { properties: { permissions: { can_send: true } } }, /canSend/],
    ['unknown property', { properties: { room_nam: 'x' } }, /room_nam/],
    ['JWT abbreviation inside properties', { properties: { r: 'x' } }, /room_name/],
    ['jwt-only property', { properties: { meeting_join_hook: 'https://example.com' } }, /meeting_join_hook/],
    ['signer property', { properties: { domain_id: DOMAIN_ID } }, /domain_id/],
    ['milliseconds exp', { properties: { exp: (NOW_S + 60) * 1000 } }, /milliseconds/],
    ['bad enum', { properties: { enable_recording: 'clod' } }, /enable_recording/],
    ['too long user_id', { properties: { user_id: 'x'.repeat(37) } }, /user_id/],
    ['properties not an object', { properties: [1] }, /object/],
    ['array body', [1, 2], /JSON object/],
    ['exp in the past', { properties: { room_name: 'x', exp: NOW_S - 10 } }, /past/],
  ];
  it.each(bad)('%s → 400 invalid-request-error naming the fix', async (_name, body, info) => {
    const r = await call(url, 'POST', '/v1/meeting-tokens', { key: SEED_KEY, body });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('invalid-request-error');
    expect(r.body.info).toMatch(info);
  });

  it('invalid JSON → 400 json-parsing-error', async () => {
    const r = await call(url, 'POST', '/v1/meeting-tokens', { key: SEED_KEY, raw: '{"properties":' });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('json-parsing-error');
  });

  it('an oversized body is refused with a JSON error, not a crash', async () => {
    const r = await call(url, 'POST', '/v1/meeting-tokens', {
      key: SEED_KEY,
      raw: JSON.stringify({ properties: { user_name: 'x'.repeat(100_000) } }),
    });
    expect(r.status).toBe(413);
    expect(r.body.error).toBe('invalid-request-error');
  });
});

describe('GET /v1/meeting-tokens/:token', () => {
  const mint = (properties: Record<string, unknown>, apiKey = SEED_KEY, domainId = DOMAIN_ID) =>
    createMeetingToken(properties as never, { apiKey, domainId, now: NOW, allRooms: true });

  it('expired → 400 naming the problem', async () => {
    const t = await mint({ room_name: 'a', exp: NOW_S - 1, nbf: NOW_S - 100 }).catch(() => undefined);
    // core refuses to mint an already-expired token, so sign one that expires later and move the clock instead
    const token =
      t ??
      (await createMeetingToken({ room_name: 'a', exp: NOW_S + 1 } as never, {
        apiKey: SEED_KEY,
        domainId: DOMAIN_ID,
        now: new Date(NOW.getTime() - 10_000),
      }));
    const late = await createMeetingToken({ room_name: 'a', exp: NOW_S - 5 } as never, {
      apiKey: SEED_KEY,
      domainId: DOMAIN_ID,
      now: new Date((NOW_S - 100) * 1000),
    });
    for (const tok of [late]) {
      const r = await call(url, 'GET', `/v1/meeting-tokens/${tok}`, { key: SEED_KEY });
      expect(r.status).toBe(400);
      expect(r.body.error).toBe('invalid-request-error');
      expect(r.body.info).toMatch(/expire/i);
    }
    expect(token).toBeTypeOf('string');
  });

  it('nbf in the future fails unless ignoreNbf=true', async () => {
    const t = await mint({ room_name: 'a', nbf: NOW_S + 600, exp: NOW_S + 1200 });
    const r = await call(url, 'GET', `/v1/meeting-tokens/${t}`, { key: SEED_KEY });
    expect(r.status).toBe(400);
    expect(r.body.info).toMatch(/nbf|not.*valid|before/i);
    const ok = await call(url, 'GET', `/v1/meeting-tokens/${t}?ignoreNbf=true`, { key: SEED_KEY });
    expect(ok.status).toBe(200);
    expect(ok.body.nbf).toBe(NOW_S + 600);
    const badFlag = await call(url, 'GET', `/v1/meeting-tokens/${t}?ignoreNbf=maybe`, { key: SEED_KEY });
    expect(badFlag.status).toBe(400);
  });

  it('a token of another domain, or signed with another key, is refused', async () => {
    const other = await mint({ room_name: 'a', exp: NOW_S + 60 }, SEED_KEY, 'another-domain');
    const r1 = await call(url, 'GET', `/v1/meeting-tokens/${other}`, { key: SEED_KEY });
    expect(r1.status).toBe(400);
    expect(r1.body.info).toMatch(/domain/i);
    const forged = await mint({ room_name: 'a', exp: NOW_S + 60 }, 'some-other-secret-key');
    const r2 = await call(url, 'GET', `/v1/meeting-tokens/${forged}`, { key: SEED_KEY });
    expect(r2.status).toBe(400);
    expect(r2.body.info).toMatch(/signature/i);
  });

  it('?room= (an extension) tells a token for another room from a room that does not exist', async () => {
    await call(url, 'POST', '/v1/rooms', { key: SEED_KEY, body: { name: 'room-a' } });
    await call(url, 'POST', '/v1/rooms', { key: SEED_KEY, body: { name: 'room-b' } });
    const t = await mint({ room_name: 'room-a', exp: NOW_S + 60 });
    expect((await call(url, 'GET', `/v1/meeting-tokens/${t}?room=room-a`, { key: SEED_KEY })).status).toBe(200);
    const other = await call(url, 'GET', `/v1/meeting-tokens/${t}?room=room-b`, { key: SEED_KEY });
    expect(other.status).toBe(400);
    expect(other.body.info).toMatch(/room-a/);
    expect(other.body.info).not.toMatch(/does not exist/);
    const missing = await call(url, 'GET', `/v1/meeting-tokens/${t}?room=room-zzz`, { key: SEED_KEY });
    expect(missing.status).toBe(400);
    expect(missing.body.info).toMatch(/room room-zzz does not exist/);
  });

  it('garbage and oversized tokens → 400, never 500', async () => {
    for (const t of ['abc', 'a.b.c', 'x'.repeat(9000)]) {
      const r = await call(url, 'GET', `/v1/meeting-tokens/${t}`, { key: SEED_KEY });
      expect(r.status).toBe(400);
      expect(r.body.error).toBe('invalid-request-error');
    }
  });

  it('masks tokens in request logs and never logs the API key', async () => {
    const t = await mint({ room_name: 'secret-room', exp: NOW_S + 60 });
    await call(url, 'GET', `/v1/meeting-tokens/${t}`, { key: SEED_KEY });
    const all = logs.join('');
    expect(all).toContain('"route":"/v1/meeting-tokens/:meeting_token"');
    expect(all).not.toContain(t);
    expect(all).not.toContain(SEED_KEY);
  });
});

describe('rooms', () => {
  it('create room → token → validate, then delete (404 afterwards)', async () => {
    const room = await call(url, 'POST', '/v1/rooms', {
      key: SEED_KEY,
      body: { name: 'bot-room', privacy: 'private', properties: { exp: NOW_S + 3600 } },
    });
    expect(room.status).toBe(200);
    expect(room.body).toMatchObject({
      name: 'bot-room',
      api_created: true,
      privacy: 'private',
      url: 'https://acme-dev.daily.co/bot-room',
    });
    for (const f of ['id', 'name', 'api_created', 'privacy', 'url', 'created_at', 'config'])
      expect(room.body).toHaveProperty(f);
    const dup = await call(url, 'POST', '/v1/rooms', { key: SEED_KEY, body: { name: 'bot-room' } });
    expect(dup.status).toBe(400);
    const tok = await call(url, 'POST', '/v1/meeting-tokens', {
      key: SEED_KEY,
      body: { properties: { room_name: room.body.name, exp: NOW_S + 60 } },
    });
    expect(tok.status).toBe(200);
    expect((await call(url, 'GET', '/v1/rooms/bot-room', { key: SEED_KEY })).body.name).toBe('bot-room');
    const list = await call(url, 'GET', '/v1/rooms', { key: SEED_KEY });
    expect(list.body.data.map((r: { name: string }) => r.name)).toContain('bot-room');
    const del = await call(url, 'DELETE', '/v1/rooms/bot-room', { key: SEED_KEY });
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ deleted: true, name: 'bot-room' });
    const gone = await call(url, 'DELETE', '/v1/rooms/bot-room', { key: SEED_KEY });
    expect(gone.status).toBe(404);
    expect(gone.body.error).toBe('not-found');
  });

  it('a room without a name gets a generated one; bad names and privacy are 400', async () => {
    const r = await call(url, 'POST', '/v1/rooms', { key: SEED_KEY });
    expect(r.status).toBe(200);
    expect(r.body.name).toMatch(/^[A-Za-z0-9]{20}$/);
    expect((await call(url, 'POST', '/v1/rooms', { key: SEED_KEY, body: { name: 'a b' } })).status).toBe(400);
    expect((await call(url, 'POST', '/v1/rooms', { key: SEED_KEY, body: { privacy: 'secret' } })).status).toBe(400);
  });
});

describe('admin API and key lifecycle', () => {
  const admin = (method: string, path: string, body?: unknown) =>
    call(url, method, `/admin${path}`, { key: ADMIN, body });

  it('refuses callers without the admin token', async () => {
    expect((await call(url, 'GET', '/admin/domains')).status).toBe(400);
    expect((await call(url, 'GET', '/admin/domains', { key: SEED_KEY })).status).toBe(401);
  });

  it('creates a domain whose key works at once, and lists keys without secrets', async () => {
    const created = await admin('POST', '/domains', { name: 'team-two' });
    expect(created.status).toBe(200);
    const key = created.body.key.api_key as string;
    const d = await call(url, 'GET', '/v1/', { key });
    expect(d.body).toMatchObject({ domain_name: 'team-two', domain_id: created.body.domain.id });
    const keys = await admin('GET', '/domains/team-two/keys');
    expect(keys.body.data).toHaveLength(1);
    expect(JSON.stringify(keys.body)).not.toContain(key);
    expect(keys.body.data[0].hint).toBe(key.slice(-4));
    expect((await admin('POST', '/domains', { name: 'team-two' })).status).toBe(400);
    expect((await admin('POST', '/domains', { name: 'Bad Name' })).status).toBe(400);
    // the body is read by the operation alone: each wrong field is named with its fix
    const info = async (body: unknown) => ((await admin('POST', '/domains', body)).body as { info: string }).info;
    expect(await info({})).toBe('name is required: {"name": "acme-dev"}');
    expect(await info({ name: 5 })).toBe('name must be a string such as "acme-dev"');
    expect(await info({ name: 'team-three', id: 7 })).toBe('id must be letters, digits, - or _ (a UUID)');
    expect(await info([])).toBe('the body must be a JSON object');
  });

  it('rotation: the old key keeps working for the grace period; deactivation stops it at once', async () => {
    const created = await admin('POST', '/domains', { name: 'rotating' });
    const oldKey = created.body.key.api_key as string;
    const oldId = created.body.key.id as string;
    const oldToken = (
      await call(url, 'POST', '/v1/meeting-tokens', {
        key: oldKey,
        body: { properties: { room_name: 'r', exp: NOW_S + 60 } },
      })
    ).body.token;

    const rotated = await admin('POST', `/admin/../keys/${oldId}/rotate`.replace('/admin/..', ''), { grace: '1h' });
    expect(rotated.status).toBe(200);
    const newKey = rotated.body.key.api_key as string;
    expect(rotated.body.retired.status).toBe('retiring');
    // both keys authenticate during the grace period, and the old key's tokens still validate
    expect((await call(url, 'GET', '/v1/', { key: oldKey })).status).toBe(200);
    expect((await call(url, 'GET', `/v1/meeting-tokens/${oldToken}`, { key: newKey })).status).toBe(200);
    // new tokens are signed with the new key
    const fresh = (
      await call(url, 'POST', '/v1/meeting-tokens', {
        key: oldKey,
        body: { properties: { room_name: 'r', exp: NOW_S + 60 } },
      })
    ).body.token;
    expect(
      await createMeetingToken({ room_name: 'r', exp: NOW_S + 60 } as never, {
        apiKey: newKey,
        domainId: created.body.domain.id,
        now: NOW,
      }),
    ).toBe(fresh);

    const off = await admin('POST', `/keys/${oldId}/deactivate`);
    expect(off.body.status).toBe('inactive');
    const r = await call(url, 'GET', '/v1/', { key: oldKey });
    expect(r.status).toBe(401);
    expect(r.body.error).toBe('authentication-error');
    const v = await call(url, 'GET', `/v1/meeting-tokens/${oldToken}`, { key: newKey });
    expect(v.status).toBe(400);
    expect(v.body.info).toMatch(/inactive|no longer active|deactivated|rotated/i);
    expect((await admin('POST', '/keys/key_nope/deactivate')).status).toBe(404);
  });
});

describe('service endpoints', () => {
  it('healthz, readyz, metrics and openapi', async () => {
    expect((await call(url, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await call(url, 'GET', '/readyz')).body).toMatchObject({ ready: true, store: 'up' });
    const m = await fetch(`${url}/metrics`);
    expect(m.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await m.text();
    expect(text).toMatch(
      /daily_tokens_http_requests_total\{method="POST",route="\/v1\/meeting-tokens",status="200"\} \d+/,
    );
    expect(text).toMatch(/daily_tokens_tokens_minted_total \d+/);
    expect(text).not.toContain('eyJ');
    const o = await call(url, 'GET', '/openapi.json');
    expect(o.body.paths['/v1/meeting-tokens']).toBeDefined();
    expect(Object.keys(o.body.components.schemas.MeetingTokenProperties.properties)).toEqual(
      expect.arrayContaining([...REST_PROPERTY_NAMES]),
    );
  });

  it('unknown routes are a JSON 404; / serves the inspector or says how to build it', async () => {
    const r = await call(url, 'GET', '/v2/nothing');
    expect(r.status).toBe(404);
    expect(r.body.error).toBe('not-found');
    const home = await fetch(`${url}/`);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toMatch(/text\/html/);
    expect(home.headers.get('content-security-policy')).toContain("default-src 'none'");
    const asset = await call(url, 'GET', '/assets/..%2f..%2fpackage.json');
    expect(asset.status).toBe(404);
  });
});
