import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildClaims } from '../src/index.js';
import { fastPayload } from '../src/jwt/payload.js';
import { DOMAIN, KEY, NOW, NOW_S } from './fixtures.js';

// The fast path must either decline (undefined) or write exactly what the validated slow path writes.
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

describe('fastPayload', () => {
  it('declines or writes exactly what buildClaims validates and builds', () => {
    let fast = 0;
    fc.assert(
      fc.property(properties, flags, (p, f) => {
        const options = {
          apiKey: KEY,
          domainId: DOMAIN,
          now: NOW,
          expiresIn: f.ttl,
          allRooms: f.allRooms,
          ...(f.noExpiry ? { noExpiry: true, expiresIn: undefined } : {}),
        };
        const got = fastPayload(
          p as Record<string, unknown>,
          JSON.stringify(DOMAIN),
          NOW_S,
          f.ttl,
          f.allRooms,
          f.noExpiry,
        );
        let slow: string | undefined;
        try {
          slow = JSON.stringify(buildClaims(p as never, options as never));
        } catch {
          slow = undefined;
        }
        if (got !== undefined) {
          fast++;
          expect(got).toBe(slow);
        }
      }),
      { numRuns: 3000 },
    );
    // The generator must exercise the fast path, or this test proves nothing.
    expect(fast).toBeGreaterThan(30);
  });

  it('writes valid JSON for a token with no properties of its own', async () => {
    const { createMeetingToken, decodeUnverified } = await import('../src/index.js');
    const t = await createMeetingToken({}, { apiKey: KEY, domainId: DOMAIN, now: NOW, allRooms: true, noExpiry: true });
    expect(decodeUnverified(t).claims).toEqual({ d: DOMAIN, iat: NOW_S });
  });

  it('takes the fast path for the common full-featured token', () => {
    const p = {
      room_name: 'standup',
      nbf: NOW_S,
      exp: NOW_S + 3600,
      is_owner: false,
      user_name: 'Ada',
      user_id: 'u1',
      enable_screenshare: true,
      enable_recording: 'cloud',
      start_audio_off: true,
      start_video_off: false,
      eject_at_token_exp: true,
      permissions: {
        hasPresence: true,
        canSend: ['video', 'audio'],
        canReceive: { base: true },
        canAdmin: ['participants'],
      },
    };
    const got = fastPayload(p, JSON.stringify(DOMAIN), NOW_S, 3600, false, false);
    expect(got).toBe(JSON.stringify(buildClaims(p as never, { apiKey: KEY, domainId: DOMAIN, now: NOW })));
  });
});
