import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ADMIN_CODES,
  MEDIA_CODES,
  type MeetingTokenInput,
  normalizePermissions,
  PERMISSION_FIELDS,
  type Permissions,
  toClaims,
  toProperties,
} from '../src/index.js';

const media = Object.keys(MEDIA_CODES) as (keyof typeof MEDIA_CODES)[];
const admin = Object.keys(ADMIN_CODES) as (keyof typeof ADMIN_CODES)[];

describe('permissions codec', () => {
  it("describes each field's value form the way the codec reads it", () => {
    const claimOf = (permissions: Record<string, unknown>) =>
      (toClaims({ permissions } as MeetingTokenInput) as { p: Record<string, unknown> }).p;
    for (const [field, { claim, value }] of Object.entries(PERMISSION_FIELDS)) {
      if (value.kind === 'set') {
        // Every listed item is accepted, and all of them together are the full set.
        for (const item of value.items) expect(claimOf({ [field]: [item] })[claim]).toBeTypeOf('string');
        expect(claimOf({ [field]: [...value.items] })[claim]).toBe(true);
        expect(() => claimOf({ [field]: ['not-an-item'] })).toThrow();
      } else if (value.kind === 'boolean') {
        expect(claimOf({ [field]: false })[claim]).toBe(false);
        expect(() => claimOf({ [field]: 'yes' })).toThrow();
      } else {
        expect(claimOf({ [field]: JSON.parse(value.example) })[claim]).toBeTypeOf('object');
      }
    }
  });

  it.each([
    [{ canSend: ['video', 'audio'] }, { cs: 'v,a' }],
    [{ canSend: ['audio', 'video', 'audio'] }, { cs: 'v,a' }],
    [{ canSend: [...media] }, { cs: true }],
    [{ canSend: [] }, { cs: false }],
    [{ canSend: false }, { cs: false }],
    [{ canAdmin: ['participants', 'streaming', 'transcription'] }, { ca: true }],
    [{ canAdmin: ['transcription', 'participants'] }, { ca: 'p,t' }],
    [{ hasPresence: false }, { hp: false }],
    [
      {
        canReceive: {
          base: {
            video: true,
            audio: true,
            screenVideo: false,
            screenAudio: false,
            customVideo: { '*': true },
            customAudio: { '*': false, music: true },
          },
          byUserId: { bob: false, eve: { audio: false } },
          byParticipantId: { 'sess-1': true },
        },
      },
      {
        cr: {
          b: { v: true, a: true, sv: false, sa: false, cv: { '*': true }, ca: { '*': false, music: true } },
          u: { bob: false, eve: { a: false } },
          p: { 'sess-1': true },
        },
      },
    ],
  ] as [Permissions, Record<string, unknown>][])('%j ↔ %j', (full, minified) => {
    expect(toClaims({ permissions: full }).p).toEqual(minified);
    expect(toProperties({ p: minified }).permissions).toEqual(normalizePermissions(full));
  });

  it('reads exactly what Daily reads from the minified form', () => {
    expect(toProperties({ p: { cs: 'v,a,sv,sa,cv,ca' } }).permissions).toEqual({ canSend: true });
    expect(toProperties({ p: { ca: '' } }).permissions).toEqual({ canAdmin: false });
    expect(() => toProperties({ p: { ca: ['participants'] } })).toThrow(
      /p\.ca: is an array \(\["participants"\]\); Daily reads only true\/false or a comma-separated string, so it drops this permission/,
    );
    expect(() => toProperties({ p: { cs: 'v,x' } })).toThrow(/"x" is not one of v, a, sv, sa, cv, ca/);
    expect(() => toProperties({ p: { canSend: 'v' } })).toThrow(/full permission name.*"cs"/);
    expect(() => toProperties({ p: { cr: { b: { v: true } } } })).toThrow(/p\.cr\.b\.a: is required/);
  });

  const track = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.boolean(), { maxKeys: 3 });
  const partialMedia = fc.record(
    {
      video: fc.boolean(),
      audio: fc.boolean(),
      screenVideo: fc.boolean(),
      screenAudio: fc.boolean(),
      customVideo: track,
      customAudio: track,
    },
    { requiredKeys: [] },
  );
  const fullMedia = fc.record({
    video: fc.boolean(),
    audio: fc.boolean(),
    screenVideo: fc.boolean(),
    screenAudio: fc.boolean(),
    customVideo: track.map((t) => ({ '*': true, ...t })),
    customAudio: track.map((t) => ({ '*': false, ...t })),
  });
  const ids = fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.oneof(fc.boolean(), partialMedia), {
    maxKeys: 3,
  });
  const permissions: fc.Arbitrary<Permissions> = fc.record(
    {
      hasPresence: fc.boolean(),
      canSend: fc.oneof(fc.boolean(), fc.subarray(media)),
      canAdmin: fc.oneof(fc.boolean(), fc.subarray(admin)),
      canReceive: fc.record(
        { base: fc.oneof(fc.boolean(), fullMedia), byUserId: ids, byParticipantId: ids },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: [] },
  );
  const properties: fc.Arbitrary<MeetingTokenInput> = fc.record(
    {
      room_name: fc.string({ minLength: 1, maxLength: 40 }),
      user_name: fc.string({ minLength: 1, maxLength: 40 }),
      user_id: fc.string({ minLength: 1, maxLength: 36 }),
      is_owner: fc.boolean(),
      exp: fc.integer({ min: 0, max: 99_999_999_999 }),
      nbf: fc.integer({ min: 0, max: 99_999_999_999 }),
      eject_after_elapsed: fc.integer({ min: 1, max: 86400 }),
      enable_recording: fc.constantFrom('cloud', 'local', 'raw-tracks'),
      lang: fc.constantFrom('en', 'de', 'pt-BR', 'user'),
      enable_prejoin_ui: fc.boolean(),
      enable_terse_logging: fc.boolean(),
      redirect_on_meeting_exit: fc.webUrl(),
      permissions,
    },
    { requiredKeys: [] },
  );

  it('round-trips arbitrary valid properties through toClaims and toProperties', () => {
    fc.assert(
      fc.property(properties, (p) => {
        const back = toProperties(toClaims(p));
        const expected = { ...p, ...(p.permissions ? { permissions: normalizePermissions(p.permissions) } : {}) };
        expect(back).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('custom tracks from a caller’s object', () => {
  it('are copied as checked: a getter that answers a boolean once and then a string cannot slip the string in', () => {
    let reads = 0;
    const tracks = {
      '*': true,
      get screen(): unknown {
        reads++;
        return reads === 1 ? false : 'on';
      },
    };
    const base = {
      video: true,
      audio: true,
      screenVideo: true,
      screenAudio: true,
      customVideo: tracks,
      customAudio: { '*': true },
    };
    const claims = toClaims({ room_name: 'r', permissions: { canReceive: { base } } } as MeetingTokenInput);
    const cv = (claims.p?.cr?.b as { cv?: Record<string, unknown> } | undefined)?.cv;
    expect(cv).toEqual({ '*': true, screen: false });
    expect(reads).toBe(1);
  });
});
