import { describe, expect, it } from 'vitest';
import {
  createMeetingToken,
  createMeetingTokenSigner,
  createMeetingTokenVerifier,
  decodeUnverified,
  EFFECTS,
  lintMeetingToken,
  MAX_ISSUES,
  MeetingTokenError,
  PROBLEM_CODES,
  type MeetingTokenInput,
  verifyMeetingToken,
} from '../src/index.js';
import { hmac } from '../src/jwt/hmac.js';
import { DOMAIN, handToken, HS256, KEY, NOW, NOW_S, OTHER_KEY } from './fixtures.js';

// Each vitest project picks the backend in its setup file (node:crypto is synchronous, Web Crypto is not).
const syncBackend = () => hmac().sync;

describe('createMeetingTokenSigner', () => {
  const signer = createMeetingTokenSigner({ apiKey: KEY, domainId: DOMAIN, expiresIn: '15m' });

  it('mints what createMeetingToken mints, byte for byte', async () => {
    const props = { room_name: 'standup', user_name: 'Ada', permissions: { canSend: ['video' as const] } };
    const one = await createMeetingToken(props, { apiKey: KEY, domainId: DOMAIN, expiresIn: '15m', now: NOW });
    expect(await signer.sign(props, { now: NOW })).toBe(one);
    expect(await signer.sign(props, { now: NOW_S })).toBe(one);
    expect(signer.claims(props, { now: NOW })).toEqual(decodeUnverified(one).claims);
  });

  it('signs synchronously on node:crypto and says what to use on Web Crypto', async () => {
    const props = { room_name: 'standup' };
    if (syncBackend()) {
      expect(signer.signSync(props, { now: NOW })).toBe(await signer.sign(props, { now: NOW }));
    } else {
      expect(() => signer.signSync(props)).toThrow(/Web Crypto, so use await sign\(\)/);
    }
  });

  it('mints a token together with the claims it carries, from one pass', async () => {
    const props = {
      room_name: 'standup',
      user_name: 'Ada',
      nbf: NOW_S - 10,
      permissions: { canReceive: { base: false, byUserId: { ada: true } } },
    } satisfies MeetingTokenInput;
    const minted = await signer.mint(props, { now: NOW });
    expect(minted.token).toBe(await signer.sign(props, { now: NOW }));
    expect(minted.claims).toEqual(decodeUnverified(minted.token).claims);
    // The same key order as the token's payload: the claims are what was signed, not a re-encoding.
    expect(Object.keys(minted.claims)).toEqual(Object.keys(decodeUnverified(minted.token).claims));
    if (syncBackend()) expect(signer.mintSync(props, { now: NOW })).toEqual(minted);
    else expect(() => signer.mintSync(props)).toThrow(/Web Crypto, so use await mint\(\)/);
    const err = await signer.mint({ room_name: 'x', exp: NOW_S - 1 }, { now: NOW }).catch((e: unknown) => e);
    expect((err as MeetingTokenError).code).toBe('invalid-properties');
  });

  it('checks its options once, at creation, with TypeErrors that never echo the key', () => {
    expect(() => createMeetingTokenSigner({ apiKey: '', domainId: DOMAIN })).toThrow(TypeError);
    expect(() => createMeetingTokenSigner({ apiKey: KEY, domainId: '' })).toThrow(/domainId/);
    expect(() => createMeetingTokenSigner({ apiKey: KEY, domainId: DOMAIN, expiresIn: '3600' })).toThrow(/no unit/);
    expect(() => createMeetingTokenSigner({ apiKey: KEY, domainId: DOMAIN, now: NOW } as never)).toThrow(/per call/);
    try {
      createMeetingTokenSigner({ apiKey: KEY, domainId: DOMAIN, allRooms: 'yes' as never });
    } catch (e) {
      expect((e as Error).message).not.toContain(KEY);
    }
  });

  it('rejects invalid properties with every issue, as createMeetingToken does', async () => {
    const err = await signer.sign({ room_name: '', is_owner: 'yes' as never }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MeetingTokenError);
    expect((err as MeetingTokenError).issues.map((i) => i.path)).toEqual(['room_name', 'is_owner']);
    expect(() => signer.claims({ room_name: 'x' }, { now: 'soon' as never })).toThrow(TypeError);
  });

  it('copies a Uint8Array key: changing the array afterwards does not change what it signs', async () => {
    const bytes = new TextEncoder().encode(KEY);
    const byteSigner = createMeetingTokenSigner({ apiKey: bytes, domainId: DOMAIN });
    const before = await byteSigner.sign({ room_name: 'a' }, { now: NOW });
    bytes[0] = 0;
    expect(await byteSigner.sign({ room_name: 'a' }, { now: NOW })).toBe(before);
  });
});

describe('createMeetingTokenVerifier', () => {
  const keys = [
    { id: 'new', secret: KEY },
    { id: 'old', secret: OTHER_KEY, active: false },
  ];
  const verifier = createMeetingTokenVerifier({ keys, domainId: DOMAIN, roomName: 'standup' });

  it('gives the verdict verifyMeetingToken gives, with a per-call room and time', async () => {
    const token = await createMeetingToken({ room_name: 'standup' }, { apiKey: KEY, domainId: DOMAIN, now: NOW });
    const one = await verifyMeetingToken(token, { keys, domainId: DOMAIN, roomName: 'standup', now: NOW });
    expect(await verifier.verify(token, { now: NOW })).toEqual(one);
    expect(one.valid).toBe(true);
    expect(one.keyId).toBe('new');
    const other = await verifier.verify(token, { now: NOW, roomName: 'other' });
    expect(other.problems.map((p) => p.code)).toEqual(['wrong-room']);
    const later = await verifier.verify(token, { now: NOW_S + 7200 });
    expect(later.problems.map((p) => p.code)).toEqual(['expired']);
  });

  it('reports a token of the retired key as inactive-key, synchronously on node:crypto', async () => {
    const token = await createMeetingToken({ room_name: 'standup' }, { apiKey: OTHER_KEY, domainId: DOMAIN, now: NOW });
    const result = syncBackend()
      ? verifier.verifySync(token, { now: NOW })
      : await verifier.verify(token, { now: NOW });
    expect(result.problems.map((p) => p.code)).toEqual(['inactive-key']);
    expect(result.keyId).toBe('old');
    if (!syncBackend()) expect(() => verifier.verifySync(token)).toThrow(/Web Crypto/);
  });

  it('checks its options once, at creation', async () => {
    expect(() => createMeetingTokenVerifier({ domainId: DOMAIN })).toThrow(/exactly one of apiKey/);
    expect(() => createMeetingTokenVerifier({ apiKey: KEY, clockTolerance: '10m' })).toThrow(/capped/);
    await expect(verifier.verify('x', { roomName: '' })).rejects.toThrow(/roomName/);
  });
});

describe('now as unix seconds', () => {
  it('is accepted wherever a Date is, and refused when it is milliseconds', async () => {
    const token = await createMeetingToken({ room_name: 'a' }, { apiKey: KEY, domainId: DOMAIN, now: NOW_S });
    expect(decodeUnverified(token).claims.iat).toBe(NOW_S);
    expect((await verifyMeetingToken(token, { apiKey: KEY, now: NOW_S + 0.7 })).valid).toBe(true);
    expect(lintMeetingToken(token, { now: NOW_S + 7200 }).map((f) => f.rule)).toContain('expired');
    await expect(
      createMeetingToken({ room_name: 'a' }, { apiKey: KEY, domainId: DOMAIN, now: NOW.getTime() }),
    ).rejects.toThrow(/looks like milliseconds/);
    await expect(verifyMeetingToken(token, { apiKey: KEY, now: -1 })).rejects.toThrow(TypeError);
  });
});

describe('allowExpired', () => {
  it('mints an already expired token only when asked, and verify then says expired', async () => {
    const props = { room_name: 'a', exp: NOW_S - 60 };
    await expect(createMeetingToken(props, { apiKey: KEY, domainId: DOMAIN, now: NOW })).rejects.toThrow(
      /allowExpired: true/,
    );
    const token = await createMeetingToken(props, { apiKey: KEY, domainId: DOMAIN, now: NOW, allowExpired: true });
    const r = await verifyMeetingToken(token, { apiKey: KEY, now: NOW });
    expect(r.problems.map((p) => p.code)).toEqual(['expired']);
  });
});

describe('a hostile payload', () => {
  it('costs a bounded answer: at most MAX_ISSUES problems, truncated says so', async () => {
    // 300 values of the wrong type (unknown keys would be warnings, bounded the same way)
    const params = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`p${i}`, []]));
    const sro = { layout: { preset: 'custom', composition_params: params } };
    const token = await handToken(HS256, { r: 'a', d: DOMAIN, exp: NOW_S + 60, sro }, OTHER_KEY);
    const r = await verifyMeetingToken(token, { apiKey: KEY, now: NOW });
    expect(r.problems.length).toBeLessThanOrEqual(MAX_ISSUES);
    expect(r.warnings.length).toBeLessThanOrEqual(MAX_ISSUES);
    expect(r.problems[0]?.code).toBe('bad-signature');
    expect(r.truncated).toBe(true);
    expect(JSON.stringify(r).length).toBeLessThan(20_000);
    expect(decodeUnverified(token).issues.length).toBeLessThanOrEqual(MAX_ISSUES);
  });
});

describe('PROBLEM_CODES', () => {
  it('lists every code verify can report, once', () => {
    expect(new Set(PROBLEM_CODES).size).toBe(PROBLEM_CODES.length);
    expect(PROBLEM_CODES).toContain('inactive-key');
    expect(PROBLEM_CODES).toHaveLength(17);
    // Every code has its effect in the one model of Daily's verdict.
    for (const code of PROBLEM_CODES) expect(['refuses', 'drops', 'applies']).toContain(EFFECTS[code]);
  });
});
