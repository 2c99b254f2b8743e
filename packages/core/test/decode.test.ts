import { describe, expect, it } from 'vitest';
import { decodeUnverified, MeetingTokenError } from '../src/index.js';
import { DOCS_PAYLOAD, DOCS_TOKEN, HS256, handToken } from './fixtures.js';

describe('decodeUnverified', () => {
  it("decodes Daily's documented example token to exactly its documented payload", () => {
    const d = decodeUnverified(DOCS_TOKEN);
    expect(d.header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(d.claims).toStrictEqual(DOCS_PAYLOAD);
    expect(d.properties).toEqual({
      nbf: 1548721569,
      exp: 1864081538,
      room_name: 'hello',
      is_owner: true,
      enable_screenshare: true,
      enable_recording: 'local',
      domain_id: '25df5057-ef0d-4d97-bde6-0cf287276cbb',
      iat: 1548721831,
    });
    expect(d.unknownClaims).toEqual({});
    expect(d.issues).toEqual([]);
  });

  it('keeps unknown and full-name claims aside and leaves unreadable ones out of properties', async () => {
    const t = await handToken(HS256, { r: 'a', room_name: 'b', zz: 1, p: { ca: ['participants'], cs: 'v' } });
    const d = decodeUnverified(t);
    expect(d.properties).toEqual({ room_name: 'a', permissions: { canSend: ['video'] } });
    expect(d.unknownClaims).toEqual({ room_name: 'b', zz: 1 });
    // Daily drops the unreadable p.ca and ignores the keys it does not know: each is said once.
    expect(d.issues.map((i) => [i.path, i.severity, i.code])).toEqual([
      ['room_name', 'warning', 'full-name-claim'],
      ['zz', 'warning', 'unknown-claim'],
      ['p.ca', 'error', 'permissions-array'],
    ]);
  });

  const malformed: [string, unknown][] = [
    ['empty', ''],
    ['not a string', 42],
    ['two parts', 'abc.def'],
    ['four parts', 'a.b.c.d'],
    ['header not base64url', '!!!.e30.sig'],
    ['header not JSON', `${Buffer.from('nope').toString('base64url')}.e30.c2ln`],
    ['header is an array', `${Buffer.from('[1]').toString('base64url')}.e30.c2ln`],
    [
      'payload not JSON',
      `${Buffer.from(JSON.stringify(HS256)).toString('base64url')}.${Buffer.from('{').toString('base64url')}.c2ln`,
    ],
    [
      'payload is a string',
      `${Buffer.from(JSON.stringify(HS256)).toString('base64url')}.${Buffer.from('"x"').toString('base64url')}.c2ln`,
    ],
    ['padded base64', `${Buffer.from('{"a":1}').toString('base64')}.e30.c2ln`],
    ['standard base64 alphabet', 'eyJhIjoifn5+In0.e30.c2ln'],
    ['over 8 KiB', `${'a'.repeat(8193)}`],
  ];
  it.each(malformed)('throws MeetingTokenError malformed: %s', (_name, input) => {
    try {
      decodeUnverified(input as string);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MeetingTokenError);
      expect((e as MeetingTokenError).code).toBe('malformed');
      expect((e as Error).message).toMatch(/^Malformed token: /);
    }
  });

  it('refuses non-canonical base64url (unused trailing bits set)', async () => {
    const t = await handToken(HS256, { r: 'a' });
    const [h, p, s] = t.split('.') as [string, string, string];
    // "e30" is {} ; "e31" decodes to the same bytes with a trailing bit set.
    expect(() => decodeUnverified(`${h}.e31.${s}`)).toThrow(/payload.*canonical/);
    expect(decodeUnverified(`${h}.e30.${s}`).claims).toEqual({});
    expect(p.length).toBeGreaterThan(0);
  });

  it('does not let __proto__ or constructor in a payload pollute anything', async () => {
    const raw =
      '{"r":"a","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"p":{"cr":{"u":{"__proto__":true}}}}';
    const t = `${Buffer.from(JSON.stringify(HS256)).toString('base64url')}.${Buffer.from(raw).toString('base64url')}.c2ln`;
    const d = decodeUnverified(t);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(d.unknownClaims)).toBe(Object.prototype);
    expect(Object.keys(d.unknownClaims).sort()).toEqual(['__proto__', 'constructor']);
    expect((d.unknownClaims as { polluted?: unknown }).polluted).toBeUndefined();
    const byUser = d.properties.permissions?.canReceive?.byUserId as Record<string, unknown>;
    expect(Object.keys(byUser)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(byUser)).toBe(Object.prototype);
  });

  it('copies a custom track named __proto__ as a track, not as a prototype', async () => {
    const raw = '{"r":"a","p":{"cr":{"u":{"x":{"cv":{"*":false,"__proto__":true,"screen":true}}}}}}';
    const t = `${Buffer.from(JSON.stringify(HS256)).toString('base64url')}.${Buffer.from(raw).toString('base64url')}.c2ln`;
    const tracks = decodeUnverified(t).properties.permissions?.canReceive?.byUserId?.x as {
      customVideo: Record<string, boolean>;
    };
    expect(Object.keys(tracks.customVideo)).toEqual(['*', '__proto__', 'screen']);
    expect(Object.getPrototypeOf(tracks.customVideo)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(tracks.customVideo, '__proto__')?.value).toBe(true);
  });

  it('reads only a payload’s own claims even when Object.prototype is already polluted', async () => {
    const t = await handToken(HS256, { r: 'a', p: { cs: 'v' } });
    const proto = Object.prototype as Record<string, unknown>;
    proto.o = true;
    proto.hp = true;
    proto.zz = 1;
    try {
      const d = decodeUnverified(t);
      expect(d.properties).toEqual({ room_name: 'a', permissions: { canSend: ['video'] } });
      expect(Object.hasOwn(d.properties, 'is_owner')).toBe(false);
      expect(Object.hasOwn(d.properties.permissions ?? {}, 'hasPresence')).toBe(false);
      expect(Object.keys(d.unknownClaims)).toEqual([]);
    } finally {
      delete proto.o;
      delete proto.hp;
      delete proto.zz;
    }
  });
});
