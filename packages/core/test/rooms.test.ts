import { describe, expect, it } from 'vitest';
import {
  DOMAIN_PROPERTY_NAMES,
  DOMAIN_PROPERTY_REGISTRY,
  mergeRoomConfig,
  readDomainProperties,
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
    [{ enable_recording: 'clod' }, 'properties.enable_recording', /did you mean "cloud"/],
    [
      { recordings_template: '{room_name}.mp4' },
      'properties.recordings_template',
      /must contain \{epoch_time\}.*e\.g\. "\{room_name\}-\{epoch_time\}\.mp4"/,
    ],
    [{ transcription_template: 'x' }, 'properties.transcription_template', /must contain \{epoch_time\}/],
    [{ dialin: { wait_for_meeting_start: 'yes' } }, 'properties.dialin.wait_for_meeting_start', /true or false/],
    [{ dialout_config: { max_idle_timeout_sec: '30' } }, 'properties.dialout_config.max_idle_timeout_sec', /a number/],
    [{ geo: 7 }, 'properties.geo', /string/],
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

describe('what Daily accepts that the registry only half knows', () => {
  const warnings = (v: unknown) => readRoomProperties(v).issues.filter((i) => i.severity === 'warning');

  it('takes the "not set" defaults daily-ruby sends on every call as null (not set), without a word', () => {
    const r = readRoomProperties({
      enable_recording: '<not set>',
      geo: 'NULL',
      meeting_join_hook: 'NULL',
      rtmp_geo: 'The closest available region to the SFU region used by the meeting.',
    });
    expect(r).toEqual({
      issues: [],
      properties: { enable_recording: null, geo: null, meeting_join_hook: null, rtmp_geo: null },
    });
  });

  it('keeps a region Daily does not document (yet) with a warning that lists the known ones', () => {
    const r = readRoomProperties({ geo: 'eu-south-9', rtmp_geo: 'us-wset-2' });
    expect(r.properties).toEqual({ geo: 'eu-south-9', rtmp_geo: 'us-wset-2' });
    expect(r.issues.map((i) => [i.path, i.severity])).toEqual([
      ['properties.geo', 'warning'],
      ['properties.rtmp_geo', 'warning'],
    ]);
    expect(r.issues[0]?.message).toMatch(/not one of the values Daily documents \(af-south-1,/);
    expect(r.issues[1]?.message).toMatch(/did you mean "us-west-2"\?/);
  });

  it('cloud-audio-only is a current recording type for rooms, not a legacy one', () => {
    expect(ROOM_PROPERTY_REGISTRY.enable_recording.values).toContain('cloud-audio-only');
    expect(readRoomProperties({ enable_recording: 'cloud-audio-only' })).toEqual({
      issues: [],
      properties: { enable_recording: 'cloud-audio-only' },
    });
  });

  it('templates: {epoch_time} required; unknown tags and characters are warnings', () => {
    expect(readRoomProperties({ recordings_template: '{domain_name}/{room_name}/{epoch_time}.' }).issues).toEqual([]);
    expect(readRoomProperties({ transcription_template: '{mtg_session_id}/{epoch_time}.vtt' }).issues).toEqual([]);
    const w = warnings({ recordings_template: '{meeting}/{epoch_time} final.mp4' });
    expect(w.map((i) => i.message)).toEqual([
      expect.stringMatching(/has \{meeting\}, which Daily's docs do not list/),
      expect.stringMatching(/characters outside/),
    ]);
    expect(errors({ recordings_template: `{epoch_time}${'x'.repeat(1024)}` })[0]?.message).toMatch(/at most 1024/);
  });

  it('dialin, dialout_config and sip: documented fields type-checked, others kept with a warning', () => {
    const dialin = { display_name: 'Phone', wait_for_meeting_start: true, room_numbers: [{ phone_number: '+1209' }] };
    const dialout = { allow_room_start: true, dialout_geo: 'us-west-2', max_idle_timeout_sec: 30 };
    expect(readRoomProperties({ dialin, dialout_config: dialout })).toEqual({
      issues: [],
      properties: { dialin, dialout_config: dialout },
    });
    const r = readRoomProperties({ dialout_config: { alow_room_start: true } });
    expect(r.properties).toEqual({ dialout_config: { alow_room_start: true } });
    expect(r.issues).toEqual([
      {
        path: 'properties.dialout_config.alow_room_start',
        severity: 'warning',
        message: expect.stringMatching(/not a field Daily's docs list .*did you mean "allow_room_start"\?/),
      },
    ]);
    expect(errors({ sip: { num_endpoints: 'two' } })[0]?.path).toBe('properties.sip.num_endpoints');
  });
});

describe('domain properties (POST /v1/)', () => {
  it('share the room specs where the names are the same, with the domain’s own defaults', () => {
    expect(DOMAIN_PROPERTY_REGISTRY.geo).toBe(ROOM_PROPERTY_REGISTRY.geo);
    expect(DOMAIN_PROPERTY_REGISTRY.enable_people_ui).toMatchObject({ kind: 'boolean', default: true });
    for (const name of DOMAIN_PROPERTY_NAMES) {
      expect(DOMAIN_PROPERTY_REGISTRY[name].meaning.length, name).toBeLessThanOrEqual(110);
    }
  });

  it('read like room properties: "not set" values are null, a deep link is a redirect, a script is not', () => {
    expect(readDomainProperties({ geo: 'NULL', meeting_join_hook: 'NULL', lang: 'de' })).toEqual({
      issues: [],
      properties: { geo: null, meeting_join_hook: null, lang: 'de' },
    });
    expect(readDomainProperties({ redirect_on_meeting_exit: 'myapp://bye' }).issues).toEqual([]);
    const refused = readDomainProperties({ redirect_on_meeting_exit: 'JavaScript:alert(1)', enable_chat: true });
    expect(refused.issues.map((i) => [i.path, i.severity])).toEqual([
      ['properties.redirect_on_meeting_exit', 'error'],
      ['properties.enable_chat', 'error'],
    ]);
    expect(refused.issues[1]?.message).toMatch(/room property, not a domain one/);
  });

  it('warn where Daily sets the property itself, only when it differs from the default', () => {
    expect(readDomainProperties({ hipaa: false }).issues).toEqual([]);
    const r = readDomainProperties({ hipaa: true });
    expect(r.properties).toEqual({ hipaa: true });
    expect(r.issues).toEqual([
      { path: 'properties.hipaa', severity: 'warning', message: expect.stringMatching(/set by Daily/) },
    ]);
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
  it('replaces what is sent, resets null, keeps the rest, and keeps a property set to its default', () => {
    expect(
      mergeRoomConfig(
        { max_participants: 4, enable_chat: true, exp: NOW },
        { max_participants: null, enable_chat: false, lang: 'en', start_video_off: true },
      ),
    ).toEqual({ exp: NOW, enable_chat: false, lang: 'en', start_video_off: true });
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
