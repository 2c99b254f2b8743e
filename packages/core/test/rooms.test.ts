import { describe, expect, it } from 'vitest';
import {
  mergeRoomConfig,
  readRoomProperties,
  readRoomRequest,
  ROOM_PROPERTY_NAMES,
  ROOM_PROPERTY_REGISTRY,
  roomPropertiesSchema,
} from '../src/rooms/index.js';

const NOW = 1_800_000_000;
const errors = (v: unknown, now?: number) =>
  readRoomProperties(v, now === undefined ? {} : { now }).issues.filter((i) => i.severity === 'error');

describe('room-property registry', () => {
  it('has a meaning for every property, short enough for a table cell', () => {
    for (const name of ROOM_PROPERTY_NAMES) {
      const { meaning } = ROOM_PROPERTY_REGISTRY[name];
      expect(meaning.length, name).toBeGreaterThan(10);
      expect(meaning.length, name).toBeLessThanOrEqual(110);
    }
  });

  it('defaults pass their own validation', () => {
    for (const name of ROOM_PROPERTY_NAMES) {
      const spec = ROOM_PROPERTY_REGISTRY[name] as { default?: unknown };
      if (spec.default === undefined) continue;
      expect(errors({ [name]: spec.default }), name).toEqual([]);
    }
  });

  it('the schema lists exactly the registry', () => {
    const schema = roomPropertiesSchema() as { properties: Record<string, unknown>; additionalProperties: boolean };
    expect(Object.keys(schema.properties)).toEqual(ROOM_PROPERTY_NAMES);
    expect(schema.additionalProperties).toBe(false);
  });
});

describe('readRoomProperties', () => {
  it.each([
    [{ max_participants: 'lots' }, 'properties.max_participants', /whole number/],
    [{ max_participants: 0 }, 'properties.max_participants', /at least 1/],
    [{ maxParticipants: 4 }, 'properties.maxParticipants', /camelCase.*"max_participants"/],
    [{ max_participant: 4 }, 'properties.max_participant', /did you mean "max_participants"/],
    [{ enable_recording: '<not set>' }, 'properties.enable_recording', /placeholder/],
    [{ enable_recording: 'clod' }, 'properties.enable_recording', /did you mean "cloud"/],
    [{ geo: 'NULL' }, 'properties.geo', /placeholder/],
    [{ exp: 1_800_000_000_000 }, 'properties.exp', /milliseconds/],
    [{ lang: 'english' }, 'properties.lang', /not one of/],
    [{ is_owner: true }, 'properties.is_owner', /meeting-token property/],
    [{ privacy: 'private' }, 'properties.privacy', /beside "properties"/],
    [{ meeting_join_hook: 'hooks.example.com/join' }, 'properties.meeting_join_hook', /absolute URL/],
    [{ meeting_join_hook: 'javascript:alert(1)' }, 'properties.meeting_join_hook', /refused for safety/],
    [{ streaming_endpoints: [1] }, 'properties.streaming_endpoints', /array of objects/],
    [{ permissions: { canSend: ['screen'] } }, 'properties.permissions.canSend[0]', /not one of/],
  ])('%j → error at %s', (props, path, message) => {
    const found = errors(props);
    expect(found.map((i) => i.path)).toContain(path);
    expect(found.find((i) => i.path === path)?.message).toMatch(message);
  });

  it('refuses a past exp and nbf after exp, given the time', () => {
    expect(errors({ exp: NOW - 1 }, NOW)[0]?.message).toMatch(/in the past/);
    expect(errors({ exp: NOW - 1 })).toEqual([]);
    expect(errors({ nbf: NOW + 20, exp: NOW + 10 }, NOW)[0]?.path).toBe('properties.nbf');
  });

  it('floors float timestamps, keeps null as "reset", keeps legacy values with a warning', () => {
    const r = readRoomProperties({ exp: NOW + 0.75, enable_chat: null, enable_recording: 'rtp-tracks' });
    expect(r.properties).toEqual({ exp: NOW, enable_chat: null, enable_recording: 'rtp-tracks' });
    expect(r.issues.map((i) => i.severity)).toEqual(['warning']);
  });
});

describe('readRoomRequest', () => {
  it('takes name only on create, and points room properties sent flat into "properties"', () => {
    expect(readRoomRequest({ name: 'x' }, 'update').issues[0]?.message).toMatch(/cannot be changed/);
    expect(readRoomRequest({ name: 'a b' }, 'create').issues[0]?.path).toBe('name');
    expect(readRoomRequest({ exp: NOW }, 'create').issues[0]?.message).toMatch(/inside "properties"/);
    expect(readRoomRequest({ privcy: 'public' }, 'create').issues[0]?.message).toMatch(/did you mean "privacy"/);
    expect(readRoomRequest({ privacy: 'secret' }, 'create').issues[0]?.path).toBe('privacy');
    const ok = readRoomRequest({ name: 'room-1', privacy: 'private', properties: { enable_chat: true } }, 'create');
    expect(ok).toMatchObject({ issues: [], name: 'room-1', privacy: 'private', properties: { enable_chat: true } });
  });
});

describe('mergeRoomConfig', () => {
  it('replaces what is sent, resets null, keeps the rest, leaves out defaults', () => {
    expect(
      mergeRoomConfig(
        { max_participants: 4, enable_chat: true, exp: NOW },
        { max_participants: null, enable_chat: false, lang: 'en', start_video_off: true },
      ),
    ).toEqual({ exp: NOW, start_video_off: true });
  });
});

describe('the daily-tokens/rooms entry', () => {
  it('loads through import and require from the built package', async () => {
    const { execFileSync } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const script = (how: string) =>
      `${how}; console.log(m.ROOM_PROPERTY_NAMES.length, m.readRoomProperties({ maxParticipants: 1 }).issues[0].message)`;
    const esm = execFileSync(
      'node',
      ['--input-type=module', '-e', script("const m = await import('daily-tokens/rooms')")],
      {
        cwd,
        encoding: 'utf8',
      },
    );
    const cjs = execFileSync(
      'node',
      ['--input-type=commonjs', '-e', script("const m = require('daily-tokens/rooms')")],
      {
        cwd,
        encoding: 'utf8',
      },
    );
    expect(esm).toBe(cjs);
    expect(esm).toMatch(new RegExp(`^${ROOM_PROPERTY_NAMES.length} is camelCase`));
  });
});
