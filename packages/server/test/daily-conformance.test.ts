/**
 * The emulator against Daily's own artifact: the facts of Daily's OpenAPI as its generated Ruby SDK
 * (daily-ruby) carries them (`shared/reference/daily-openapi-facts.json`, beside the clone). Daily's SDK
 * sends every field's default on each call, so the body it sends for a room nobody configured must be
 * accepted; and every reply must read back through that SDK: enum values it knows, the types it declares,
 * no null where it raises on one. generated-client.test.ts checks the service against its own
 * /openapi.json; this file checks it against Daily's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import {
  DOMAIN_CONFIG_FIELDS,
  DOMAIN_PROPERTY_REGISTRY,
  type DomainPropertyName,
  ROOM_PROPERTY_REGISTRY,
  type RoomPropertyName,
  type RoomPropertySpec,
} from 'daily-tokens/rooms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, config, type Running, start, tempDir } from './helpers.js';

interface FieldFact {
  type: string;
  enum?: string[];
  /** Ruby syntax: `'text'`, `true`, `200`, `0.5`. */
  sdk_default?: string;
  not_nil?: boolean;
  nullable?: boolean;
}
type Facts = { models: Record<string, Record<string, FieldFact>> };

/**
 * The facts file is kept in the repository (docs/reference/), so a fresh clone tests against it. The
 * steering copy in `shared/reference/` beside the clone (where CI and developers have it; a worktree may
 * sit a level deeper, so the folders above the repo root are tried in turn) must be the same file: when
 * it moves on, this test says to copy it.
 */
const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const FACTS_FILE = join(REPO, 'docs', 'reference', 'daily-openapi-facts.json');
function steeringFacts(): string | undefined {
  for (let dir = dirname(REPO); ; dir = dirname(dir)) {
    const file = join(dir, 'shared', 'reference', 'daily-openapi-facts.json');
    if (existsSync(file)) return file;
    if (dirname(dir) === dir) return undefined;
  }
}

it('the repository copy of the facts file is the steering copy, where that is at hand', () => {
  const steering = steeringFacts();
  if (steering === undefined) return;
  expect(readFileSync(FACTS_FILE, 'utf8'), `copy ${steering} to docs/reference/`).toBe(readFileSync(steering, 'utf8'));
});

const FACTS = JSON.parse(readFileSync(FACTS_FILE, 'utf8')) as Facts;
const model = (name: string): Record<string, FieldFact> => {
  const m = FACTS.models[name];
  if (!m) throw new Error(`the facts file has no model ${name}`);
  return m;
};

/** A sentence the spec gives as a "default" (`'The closest available region … meeting.'`), not a value. */
const isProse = (s: string) => /\s/.test(s) && /^[A-Z][a-z]/.test(s) && s.endsWith('.');

/** An `sdk_default` as the JSON the SDK sends; `prose` for the description-like ones. */
function fromRuby(raw: string): { value: unknown; prose: boolean } {
  if (raw === 'true' || raw === 'false') return { value: raw === 'true', prose: false };
  if (/^-?\d+(\.\d+)?$/.test(raw)) return { value: Number(raw), prose: false };
  const quoted = /^'(.*)'$/s.exec(raw);
  if (quoted) {
    const text = (quoted[1] as string).replaceAll("\\'", "'");
    return { value: text, prose: isProse(text) };
  }
  throw new Error(`an sdk_default this test cannot read: ${raw}`);
}

/** What the generated SDK sends for a model built with no arguments (`RoomProperties.new`). */
function sdkDefaults(name: string, { prose = false } = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, fact] of Object.entries(model(name))) {
    if (fact.sdk_default === undefined) continue;
    const d = fromRuby(fact.sdk_default);
    if (d.prose === prose) out[field] = d.value;
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks `value` against a type of the facts file; each problem is pushed with its path. */
function checkType(type: string, value: unknown, path: string, problems: string[], fact?: FieldFact): void {
  if (value === null) {
    if (fact?.not_nil) problems.push(`${path} is null, and daily-ruby raises on a null there (not_nil)`);
    return;
  }
  if (fact?.enum && !fact.enum.includes(value as string)) {
    problems.push(`${path} ${JSON.stringify(value)} is not in Daily's enum (${fact.enum.join(', ')})`);
  }
  const array = /^Array<(.+)>$/.exec(type);
  const hash = /^Hash<String, (.+)>$/.exec(type);
  const expectType = (ok: boolean, what: string) => {
    if (!ok) problems.push(`${path} must be ${what} (${type}), got ${JSON.stringify(value)}`);
  };
  if (type === 'String') expectType(typeof value === 'string', 'a string');
  else if (type === 'Boolean') expectType(typeof value === 'boolean', 'true or false');
  else if (type === 'Integer') expectType(Number.isInteger(value), 'a whole number');
  else if (type === 'Float') expectType(typeof value === 'number', 'a number');
  else if (type === 'Object') expectType(isObject(value), 'an object');
  else if (array) {
    expectType(Array.isArray(value), 'an array');
    if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) checkType(array[1] as string, v, `${path}[${i}]`, problems);
    }
  } else if (hash) {
    expectType(isObject(value), 'an object');
    if (isObject(value))
      for (const [k, v] of Object.entries(value)) checkType(hash[1] as string, v, `${path}.${k}`, problems);
  } else if (FACTS.models[type]) conform(type, value, path, problems);
  // a type the facts file does not describe (PermissionsCanSend, …) has nothing to check against
}

/** Every field of `value` the model names, checked; fields the model does not name are not judged. */
function conform(name: string, value: unknown, path: string, problems: string[]): void {
  if (!isObject(value)) {
    problems.push(`${path} must be an object (${name}), got ${JSON.stringify(value)}`);
    return;
  }
  for (const [field, fact] of Object.entries(model(name))) {
    if (Object.hasOwn(value, field)) checkType(fact.type, value[field], `${path}.${field}`, problems, fact);
  }
}

function expectConforms(name: string, value: unknown, what: string): void {
  const problems: string[] = [];
  conform(name, value, what, problems);
  expect(problems, `${what} read as daily-ruby's ${name}`).toEqual([]);
}

/** A room reply: the room object (ListRooms200ResponseDataInner) and its config as the RoomProperties it came from. */
function expectRoomConforms(room: { config?: unknown }, what: string): void {
  expectConforms('ListRooms200ResponseDataInner', room, what);
  expectConforms('RoomProperties', room.config, `${what}.config`);
}

const KEY = 'daily-conformance-key-0123456789abcdef';
const NOW = new Date('2026-03-01T12:00:00Z');
let tmp: ReturnType<typeof tempDir>;
let svc: Running;
const api = (method: string, path: string, body?: unknown) =>
  call(svc.url, method, path, { key: KEY, ...(body !== undefined ? { body } : {}) });

beforeAll(async () => {
  tmp = tempDir();
  svc = await start(config({ data: tmp.dir }, { DAILY_API_KEY: KEY, DAILY_DOMAIN_NAME: 'conformance' }), {
    clock: () => NOW,
  });
});

afterAll(async () => {
  await svc?.close();
  tmp?.remove();
});

/** The body of CreateRoomRequest.new(properties: RoomProperties.new): every default, none set by hand. */
function sdkRoomBody(): { properties: Record<string, unknown> } {
  expect(model('CreateRoomRequest').properties?.type).toBe('RoomProperties');
  return { properties: sdkDefaults('RoomProperties') };
}

describe("the facts file and the emulator's registries say the same", () => {
  it('every RoomProperties field is in the room registry; every enum value is a value or a "not set" one', () => {
    for (const [field, fact] of Object.entries(model('RoomProperties'))) {
      expect(Object.hasOwn(ROOM_PROPERTY_REGISTRY, field), `room registry has ${field}`).toBe(true);
      const spec: RoomPropertySpec = ROOM_PROPERTY_REGISTRY[field as RoomPropertyName];
      for (const v of fact.enum ?? []) {
        expect([...(spec.values ?? []), ...(spec.notSetValues ?? [])], `${field} takes ${v}`).toContain(v);
      }
    }
  });

  it('an object property typed by a model of the facts lists every field of it, with the same type', () => {
    const asField: Record<string, string> = {
      String: 'string',
      Boolean: 'boolean',
      Float: 'number',
      Integer: 'number',
    };
    let checked = 0;
    for (const [field, fact] of Object.entries(model('RoomProperties'))) {
      const inner = FACTS.models[fact.type];
      const spec: RoomPropertySpec = ROOM_PROPERTY_REGISTRY[field as RoomPropertyName];
      if (!inner || spec.kind !== 'object') continue;
      for (const [name, f] of Object.entries(inner)) {
        expect(spec.fields?.[name], `${field}.${name}`).toBe(asField[f.type] ?? 'object');
      }
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(2);
  });

  it('every DomainProperties field is in the domain registry; every enum value is a value or a "not set" one', () => {
    for (const [field, fact] of Object.entries(model('DomainProperties'))) {
      expect(Object.hasOwn(DOMAIN_PROPERTY_REGISTRY, field), `domain registry has ${field}`).toBe(true);
      const spec = DOMAIN_PROPERTY_REGISTRY[field as DomainPropertyName];
      for (const v of fact.enum ?? []) {
        expect([...(spec.values ?? []), ...(spec.notSetValues ?? [])], `${field} takes ${v}`).toContain(v);
      }
    }
  });

  it('every GetDomainConfig config field is reported with the type Daily declares; not_nil ones never null', () => {
    const asJson: Record<string, string> = {
      String: 'string',
      Boolean: 'boolean',
      Integer: 'integer',
      Float: 'number',
    };
    for (const [field, fact] of Object.entries(model('GetDomainConfig200ResponseConfig'))) {
      const ours = DOMAIN_CONFIG_FIELDS[field];
      expect(ours, `GET /v1/ knows ${field}`).toBeDefined();
      expect(ours?.type, field).toBe(asJson[fact.type] ?? 'object');
      expect(Boolean(ours?.notNil), `${field} not_nil`).toBe(Boolean(fact.not_nil));
    }
  });
});

describe("what Daily's generated SDK sends by default is accepted", () => {
  it('the default room body carries the "not set" defaults that were refused before', () => {
    const { properties } = sdkRoomBody();
    expect(properties).toMatchObject({ enable_recording: '<not set>', geo: 'NULL', max_participants: 200 });
    expect(Object.keys(properties).length).toBeGreaterThan(20);
  });

  it('a client generated from the service’s /openapi.json may send it too', async () => {
    const doc = (await call(svc.url, 'GET', '/openapi.json')).body;
    const ajv = new Ajv({ strict: false, allowUnionTypes: true });
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    ajv.addSchema({ $id: 'doc', ...doc });
    const paths = doc.paths as Record<string, Record<string, { operationId?: string }>>;
    const path = Object.keys(paths).find((p) => paths[p]?.post?.operationId === 'CreateRoom');
    expect(path).toBeDefined();
    const pointer = ['paths', path as string, 'post', 'requestBody', 'content', 'application/json', 'schema']
      .map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1'))
      .join('/');
    const check = ajv.compile({ $ref: `doc#/${pointer}` });
    expect(check(sdkRoomBody()), JSON.stringify(check.errors)).toBe(true);
  });

  it('create, get, list, update and tokens: accepted, and every reply reads back through daily-ruby', async () => {
    const domain = await api('GET', '/v1/');
    expect(domain.status).toBe(200);
    expectConforms('GetDomainConfig200Response', domain.body, 'GET /v1/');

    // plus the nested models, as a caller fills them in (RecordingsBucket.new sends its own default too)
    const bucket = { bucket_name: 'b', bucket_region: 'us-west-2', assume_role_arn: 'arn:aws:iam::1:role/r' };
    const body = {
      name: 'sdk-defaults',
      properties: {
        ...sdkRoomBody().properties,
        recordings_bucket: { ...bucket, ...sdkDefaults('RecordingsBucket') },
        transcription_bucket: { ...bucket, ...sdkDefaults('TranscriptionBucket') },
      },
    };
    const created = await api('POST', '/v1/rooms', body);
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expectRoomConforms(created.body, 'POST /v1/rooms');
    // each default sent is set explicitly, so shown; the "not set" ones are not set
    const expected = Object.fromEntries(
      Object.entries(body.properties).filter(([k, v]) => {
        const spec: RoomPropertySpec = ROOM_PROPERTY_REGISTRY[k as RoomPropertyName];
        return !(typeof v === 'string' && spec.notSetValues?.includes(v));
      }),
    );
    expect(Object.keys(expected)).not.toContain('enable_recording');
    expect(created.body.config).toEqual(expected);

    const got = await api('GET', '/v1/rooms/sdk-defaults');
    expect(got.body).toEqual(created.body);
    expectRoomConforms(got.body, 'GET /v1/rooms/:name');

    await api('POST', '/v1/rooms', { name: 'second' });
    const list = await api('GET', '/v1/rooms');
    expect(list.body.total_count).toBe(2);
    expectConforms('ListRooms200Response', list.body, 'GET /v1/rooms');
    for (const [i, room] of list.body.data.entries())
      expectConforms('RoomProperties', room.config, `data[${i}].config`);
    const oldest = await api('GET', '/v1/rooms?limit=1&ending_before=OLDEST');
    expectConforms('ListRooms200Response', oldest.body, 'GET /v1/rooms?ending_before=OLDEST');

    // SetRoomConfigRequest.new(properties: RoomProperties.new(max_participants: 10)): the other defaults ride along
    expect(model('SetRoomConfigRequest').properties?.type).toBe('RoomProperties');
    const updated = await api('POST', '/v1/rooms/second', {
      properties: { ...sdkDefaults('RoomProperties'), max_participants: 10 },
    });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body.config.max_participants).toBe(10);
    expectRoomConforms(updated.body, 'POST /v1/rooms/:name');

    // CreateMeetingTokenRequest.new(properties: Properties.new(room_name: …))
    expect(model('CreateMeetingTokenRequest').properties?.type).toBe('Properties');
    const minted = await api('POST', '/v1/meeting-tokens', {
      properties: { ...sdkDefaults('Properties'), room_name: 'sdk-defaults' },
    });
    expect(minted.status, JSON.stringify(minted.body)).toBe(200);
    expectConforms('CreateMeetingToken200Response', minted.body, 'POST /v1/meeting-tokens');
    const validated = await api('GET', `/v1/meeting-tokens/${minted.body.token}`);
    expect(validated.status, JSON.stringify(validated.body)).toBe(200);
    expect(validated.body.room_name).toBe('sdk-defaults');
    expectConforms('ValidateMeetingToken200Response', validated.body, 'GET /v1/meeting-tokens/:token');
  });

  it('the defaults the spec gives as a sentence (rtmp_geo) are accepted too, as not set', async () => {
    const prose = sdkDefaults('RoomProperties', { prose: true });
    expect(Object.keys(prose)).toContain('rtmp_geo');
    const r = await api('POST', '/v1/rooms', { name: 'prose-defaults', properties: prose });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.config).toEqual({});
    const domainProse = sdkDefaults('DomainProperties', { prose: true });
    expect(Object.keys(domainProse)).toContain('rtmp_geo');
    const d = await api('POST', '/v1/', { properties: domainProse });
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    expect(d.body.config).not.toHaveProperty('rtmp_geo');
  });

  it('POST /v1/ with DomainProperties.new: accepted, set as sent, and GET /v1/ reads back through daily-ruby', async () => {
    const properties = sdkDefaults('DomainProperties');
    expect(properties).toMatchObject({ meeting_join_hook: 'NULL', geo: 'NULL', lang: 'en', sfu_switchover: 0.5 });
    const set = await api('POST', '/v1/', { properties });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const got = await api('GET', '/v1/');
    expect(got.body).toEqual(set.body);
    for (const [k, v] of Object.entries(properties)) {
      const notSet =
        typeof v === 'string' && DOMAIN_PROPERTY_REGISTRY[k as DomainPropertyName].notSetValues?.includes(v);
      if (notSet) expect(got.body.config[k] ?? null, k).toBeNull();
      else expect(got.body.config[k], k).toEqual(v);
    }
    const problems: string[] = [];
    conform('GetDomainConfig200Response', got.body, 'GET /v1/', problems);
    // Daily's spec disagrees with itself here: DomainProperties sends sfu_switchover 0.5 (a Float) on every
    // call, GetDomainConfig types it Integer. The emulator reports what was set.
    expect(problems).toEqual([expect.stringMatching(/^GET \/v1\/\.config\.sfu_switchover must be a whole number/)]);
  });

  it('the checker itself catches what daily-ruby would not read', () => {
    const problems: string[] = [];
    conform(
      'GetDomainConfig200Response',
      { domain_name: null, config: { sfu_impl: null, hipaa: 'no' } },
      'x',
      problems,
    );
    conform('RoomProperties', { enable_recording: 'clod', max_participants: 2.5 }, 'y', problems);
    expect(problems).toEqual([
      expect.stringMatching(/^x\.domain_name is null/),
      expect.stringMatching(/^x\.config\.hipaa must be true or false/),
      expect.stringMatching(/^x\.config\.sfu_impl is null/),
      expect.stringMatching(/^y\.max_participants must be a whole number/),
      expect.stringMatching(/^y\.enable_recording "clod" is not in Daily's enum/),
    ]);
  });
});
