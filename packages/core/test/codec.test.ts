import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createMeetingToken,
  decodeUnverified,
  MeetingTokenError,
  type RecordingOptions,
  toClaims,
  toProperties,
  validateProperties,
} from '../src/index.js';
import { buildClaims } from '../src/jwt/create.js';

import { DOMAIN, KEY, NOW, NOW_S } from './fixtures.js';

// One path for every shape: whatever the input, minting, previewing, decoding and converting back agree.
const anyValue = fc.oneof(
  fc.boolean(),
  fc.string({ maxLength: 5 }),
  fc.integer({ min: -5, max: 99_999_999_999_999 }),
  fc.double(),
  fc.constant(undefined),
  fc.constant(null),
  fc.date({ min: new Date(0), max: new Date('2100-01-01') }),
  fc.array(fc.constantFrom('video', 'audio', 'screen', 'participants', 'streaming'), { maxLength: 4 }),
);
/** Mostly the plausible value, sometimes anything at all. */
const mostly = <T>(good: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 12, arbitrary: good }, { weight: 1, arbitrary: anyValue });
const rarely = <T>(a: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: a });
const set = (values: string[]) =>
  mostly(fc.oneof(fc.boolean(), fc.array(fc.constantFrom(...values), { maxLength: 7 })));
const permissions = fc
  .oneof(
    fc.record(
      {
        hasPresence: mostly(fc.boolean()),
        canSend: set(['video', 'audio', 'screenVideo', 'screenAudio', 'customVideo', 'customAudio', 'screen']),
        canAdmin: set(['participants', 'streaming', 'transcription', 'admin']),
        canReceive: mostly(
          fc.oneof(
            fc.record({ base: fc.boolean() }),
            fc.record({ base: fc.boolean(), byUserId: fc.constant({ a: true }) }),
          ),
        ),
        can_send: rarely(fc.boolean()),
      },
      { requiredKeys: [] },
    ),
    anyValue,
  )
  .map((p) =>
    p && typeof p === 'object' ? Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) : p,
  );
const properties = fc
  .record(
    {
      room_name: mostly(fc.string({ maxLength: 8 })),
      user_name: mostly(fc.string({ maxLength: 8 })),
      user_id: mostly(fc.string({ maxLength: 40 })),
      is_owner: mostly(fc.boolean()),
      exp: mostly(
        fc.oneof(
          fc.integer({ min: NOW_S - 100, max: NOW_S + 100_000 }),
          fc.date({ min: NOW, max: new Date('2030-01-01') }),
        ),
      ),
      nbf: mostly(fc.integer({ min: NOW_S - 100, max: NOW_S + 100_000 })),
      eject_after_elapsed: mostly(fc.integer({ min: -1, max: 100 })),
      enable_recording: mostly(fc.constantFrom('cloud', 'local', 'raw-tracks', 'rtp-tracks', 'x')),
      lang: mostly(fc.constantFrom('en', 'pt-BR', 'xx')),
      enable_prejoin_ui: mostly(fc.boolean()),
      redirect_on_meeting_exit: rarely(fc.constantFrom('https://example.com', 'nope')),
      domain_id: rarely(fc.constantFrom(DOMAIN, 'other')),
      iat: rarely(fc.integer({ min: 0, max: NOW_S })),
      permissions,
      r: rarely(fc.string()),
    },
    { requiredKeys: [] },
  )
  .map((p) => Object.fromEntries(Object.entries(p).filter(([k, v]) => v !== undefined || k === 'user_name')));
const flags = fc.record({ allRooms: fc.boolean(), noExpiry: fc.boolean(), ttl: fc.integer({ min: 1, max: 100_000 }) });

const errorsOf = (e: unknown) => {
  expect(e).toBeInstanceOf(MeetingTokenError);
  return (e as MeetingTokenError).issues.filter((i) => i.severity === 'error').map((i) => `${i.path}: ${i.message}`);
};

describe('the compiled claim codecs', () => {
  it('mint, preview, decode and convert back consistently for any input', async () => {
    let minted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(properties, flags, async (p, f) => {
        const options = {
          apiKey: KEY,
          domainId: DOMAIN,
          now: NOW,
          allRooms: f.allRooms,
          ...(f.noExpiry ? { noExpiry: true } : { expiresIn: f.ttl }),
        };
        let claims: Record<string, unknown> | undefined;
        let previewErrors: string[] = [];
        try {
          claims = buildClaims(p as never, options) as Record<string, unknown>;
        } catch (e) {
          previewErrors = errorsOf(e);
        }
        let token: string | undefined;
        let mintErrors: string[] = [];
        try {
          token = await createMeetingToken(p as never, options);
        } catch (e) {
          mintErrors = errorsOf(e);
        }
        expect(mintErrors).toEqual(previewErrors);
        if (!claims || !token) {
          refused++;
          // Every problem validation alone finds is among the ones minting reports.
          const validation = validateProperties(p, { allowDates: true })
            .filter((i) => i.severity === 'error')
            .map((i) => `${i.path}: ${i.message}`);
          for (const v of validation) expect(mintErrors).toContain(v);
          return;
        }
        minted++;
        const decoded = decodeUnverified(token);
        // The JSON writer and the object builder write the same claims in the same order.
        expect(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).toBe(JSON.stringify(claims));
        expect(decoded.issues.filter((i) => i.severity === 'error')).toEqual([]);
        expect(decoded.properties).toEqual(toProperties(claims));
        expect(toClaims(decoded.properties)).toEqual(claims);
      }),
      { numRuns: 1500 },
    );
    // The generator must exercise both outcomes, or this test proves little.
    expect(minted).toBeGreaterThan(30);
    expect(refused).toBeGreaterThan(100);
  });

  it('writes valid JSON for a token with no properties of its own', async () => {
    const t = await createMeetingToken({}, { apiKey: KEY, domainId: DOMAIN, now: NOW, allRooms: true, noExpiry: true });
    expect(decodeUnverified(t).claims).toEqual({ d: DOMAIN, iat: NOW_S });
  });

  it('refuses an object that cannot be written as JSON with a path, instead of throwing', async () => {
    const params: Record<string, unknown> = {};
    params.self = params;
    const err = await createMeetingToken(
      {
        room_name: 'a',
        // under a key Daily does not know yet, so nothing but the JSON check reads it
        start_cloud_recording_opts: { futureOption: params } as RecordingOptions,
      },
      { apiKey: KEY, domainId: DOMAIN, now: NOW },
    ).catch((e: unknown) => e);
    expect(errorsOf(err)).toEqual([
      'start_cloud_recording_opts: must be plain JSON data (no cycles, BigInts or functions)',
    ]);
  });
});

describe('hints', () => {
  it('suggest a value only when it keeps some of what was typed', () => {
    const message = (lang: string) => validateProperties({ lang })[0]?.message ?? '';
    expect(message('xx')).not.toMatch(/did you mean/);
    expect(message('pt-br')).toMatch(/did you mean "pt-BR"\?/);
    expect(message('enn')).toMatch(/did you mean "en"\?/);
  });

  it('write -0 as the 0 it is', () => {
    const claims = buildClaims({ room_name: 'a', nbf: -0 }, { apiKey: KEY, domainId: DOMAIN, now: NOW });
    expect(Object.is(claims.nbf, 0)).toBe(true);
  });
});
