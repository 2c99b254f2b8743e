import * as jose from 'jose';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { createMeetingToken, type ProblemCode, verifyMeetingToken } from '../src/index.js';
import { DOCS_TOKEN, DOMAIN, HS256, handToken, KEY, NOW, NOW_S, OTHER_KEY } from './fixtures.js';

const codes = (r: { problems: { code: ProblemCode }[] }) => r.problems.map((p) => p.code);
const mint = (props: Record<string, unknown> = {}, opts: Record<string, unknown> = {}) =>
  createMeetingToken({ room_name: 'standup', ...props }, { apiKey: KEY, domainId: DOMAIN, now: NOW, ...opts });

describe('verifyMeetingToken', () => {
  it('accepts a token it minted and returns claims, properties and the key id', async () => {
    const t = await mint({ user_name: 'Ada', permissions: { canSend: ['video', 'audio'] } });
    const r = await verifyMeetingToken(t, {
      keys: [{ id: 'k1', secret: KEY }],
      domainId: DOMAIN,
      roomName: 'standup',
      now: NOW,
    });
    expect(r.valid).toBe(true);
    expect(r.problems).toEqual([]);
    expect(r.keyId).toBe('k1');
    expect(r.claims).toMatchObject({
      r: 'standup',
      u: 'Ada',
      d: DOMAIN,
      iat: NOW_S,
      exp: NOW_S + 3600,
      p: { cs: 'v,a' },
    });
    expect(r.properties).toMatchObject({ room_name: 'standup', permissions: { canSend: ['video', 'audio'] } });
  });

  it('accepts a Uint8Array secret equal to the UTF-8 bytes of the string key', async () => {
    const t = await mint();
    const r = await verifyMeetingToken(t, { apiKey: new TextEncoder().encode(KEY), now: NOW });
    expect(r.valid).toBe(true);
  });

  it('reports bad-signature for another key, and inactive-key for a rotated-out one', async () => {
    const t = await mint();
    expect(codes(await verifyMeetingToken(t, { apiKey: OTHER_KEY, now: NOW }))).toEqual(['bad-signature']);
    const r = await verifyMeetingToken(t, {
      keys: [
        { id: 'new', secret: OTHER_KEY },
        { id: 'old', secret: KEY, active: false },
      ],
      now: NOW,
    });
    expect(codes(r)).toEqual(['inactive-key']);
    expect(r.keyId).toBe('old');
    expect(r.problems[0]?.message).toContain('"old"');
  });

  it('treats now >= exp as expired (the boundary second no longer works) and says when', async () => {
    const t = await mint({}, { expiresIn: '1h' });
    const exp = NOW_S + 3600;
    const at = (s: number) => verifyMeetingToken(t, { apiKey: KEY, now: new Date(s * 1000) });
    expect((await at(exp - 1)).valid).toBe(true);
    const r = await at(exp);
    expect(codes(r)).toEqual(['expired']);
    const later = await at(exp + 2 * 3600 + 180);
    expect(later.problems[0]).toMatchObject({ code: 'expired', claim: 'exp', actual: exp });
    expect(later.problems[0]?.message).toBe(`expired 2 h 3 min ago (exp ${exp} = 2024-03-09T16:00:00Z)`);
  });

  it('applies clockTolerance to exp and nbf, caps it at 5 minutes and honours ignoreNbf', async () => {
    const t = await mint({ nbf: NOW_S + 60 }, { expiresIn: '1h' });
    expect(codes(await verifyMeetingToken(t, { apiKey: KEY, now: NOW }))).toEqual(['not-yet-valid']);
    expect((await verifyMeetingToken(t, { apiKey: KEY, now: NOW, clockTolerance: '1m' })).valid).toBe(true);
    expect((await verifyMeetingToken(t, { apiKey: KEY, now: NOW, ignoreNbf: true })).valid).toBe(true);
    const expired = new Date((NOW_S + 3600 + 30) * 1000);
    expect((await verifyMeetingToken(t, { apiKey: KEY, now: expired, clockTolerance: 30 })).problems).toHaveLength(1);
    expect((await verifyMeetingToken(t, { apiKey: KEY, now: expired, clockTolerance: 31 })).valid).toBe(true);
    await expect(verifyMeetingToken(t, { apiKey: KEY, clockTolerance: '6m' })).rejects.toThrow(TypeError);
  });

  it('reports wrong-domain and wrong-room with expected and actual', async () => {
    const t = await mint();
    const r = await verifyMeetingToken(t, { apiKey: KEY, domainId: 'other-domain', roomName: 'other-room', now: NOW });
    expect(r.problems.map(({ code, claim, expected, actual }) => ({ code, claim, expected, actual }))).toEqual([
      { code: 'wrong-domain', claim: 'd', expected: 'other-domain', actual: DOMAIN },
      { code: 'wrong-room', claim: 'r', expected: 'other-room', actual: 'standup' },
    ]);
  });

  it('reports every problem at once', async () => {
    const t = await handToken(
      HS256,
      { r: 'x', exp: NOW_S - 10, nbf: NOW_S + 10, o: 'yes', p: { ca: ['participants'] } },
      OTHER_KEY,
    );
    const r = await verifyMeetingToken(t, { apiKey: KEY, roomName: 'y', now: NOW });
    expect(codes(r).sort()).toEqual(
      ['bad-signature', 'expired', 'missing-claim', 'not-yet-valid', 'wrong-room'].sort(),
    );
    expect(r.verdict).toBe('refuses');
    // Claims Daily cannot read are dropped, not refusals: warnings, each with its effect and a fix.
    expect(r.warnings.map((p) => [p.code, p.claim, p.effect])).toEqual([
      ['invalid-claim', 'o', 'drops'],
      ['permissions-array', 'p.ca', 'drops'],
    ]);
    expect(r.warnings.find((p) => p.claim === 'p.ca')?.actual).toEqual(['participants']);
    for (const p of [...r.problems, ...r.warnings]) expect(p.fix.length).toBeGreaterThan(10);
    expect(r.problems.find((p) => p.code === 'missing-claim')?.claim).toBe('d');
  });

  const algorithms: [string, Record<string, unknown>][] = [
    ['none', { alg: 'none', typ: 'JWT' }],
    ['HS512', { alg: 'HS512', typ: 'JWT' }],
    ['RS256', { alg: 'RS256', typ: 'JWT' }],
    ['missing alg', { typ: 'JWT' }],
    ['lower-case hs256', { alg: 'hs256' }],
  ];
  it.each(algorithms)('refuses alg %s as unsupported-algorithm, even with a matching HMAC', async (_n, header) => {
    const t = await handToken(header, { r: 'standup', d: DOMAIN, exp: NOW_S + 60 });
    const r = await verifyMeetingToken(t, { apiKey: KEY, now: NOW });
    expect(r.valid).toBe(false);
    expect(codes(r)).toEqual(['unsupported-algorithm']);
  });

  it('refuses an unsigned token (empty signature) as malformed', async () => {
    const t = await handToken(HS256, { r: 'a', d: DOMAIN });
    const unsigned = `${t.slice(0, t.lastIndexOf('.'))}.`;
    expect(codes(await verifyMeetingToken(unsigned, { apiKey: KEY, now: NOW }))).toEqual(['malformed']);
  });

  const garbage: [string, unknown][] = [
    ['a number', 7],
    ['undefined', undefined],
    ['one part', 'abc'],
    ['whitespace', ' eyJ.eyJ.sig '],
    ['over 8 KiB', `${'a'.repeat(4100)}.${'b'.repeat(4100)}.c`],
  ];
  it.each(garbage)('never throws for a bad token (%s): malformed', async (_n, token) => {
    const r = await verifyMeetingToken(token as string, { apiKey: KEY, now: NOW });
    expect(r.valid).toBe(false);
    expect(codes(r)).toEqual(['malformed']);
  });

  it('refuses a tampered payload and a non-canonical signature', async () => {
    const t = await mint();
    const [h, , s] = t.split('.') as [string, string, string];
    const forged = `${h}.${Buffer.from(JSON.stringify({ r: 'standup', d: DOMAIN, o: true })).toString('base64url')}.${s}`;
    expect(codes(await verifyMeetingToken(forged, { apiKey: KEY, now: NOW }))).toEqual(['bad-signature']);
    const last = s.at(-1) as string;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const tweaked = alphabet[alphabet.indexOf(last) | 1] as string; // sets an unused low bit
    const r = await verifyMeetingToken(`${h}.${t.split('.')[1]}.${s.slice(0, -1)}${tweaked}`, {
      apiKey: KEY,
      now: NOW,
    });
    expect(codes(r)).toEqual(['malformed']);
    const plus = await verifyMeetingToken(`${h}.${t.split('.')[1]}.+${s.slice(1)}`, { apiKey: KEY, now: NOW });
    expect(plus.problems.map((p) => [p.code, p.message])).toEqual([
      ['malformed', 'the signature (part 3) is not canonical base64url'],
    ]);
  });

  it('throws TypeError for caller mistakes, never for the token', async () => {
    const t = await mint();
    const bad: unknown[] = [
      undefined,
      {},
      { apiKey: KEY, keys: [{ secret: KEY }] },
      { apiKey: '' },
      { apiKey: 42 },
      { keys: [] },
      { keys: [{ secret: KEY, active: 'yes' }] },
      { apiKey: KEY, now: 'today' },
      { apiKey: KEY, clockTolerance: '30' },
      { apiKey: KEY, roomName: '' },
    ];
    for (const options of bad) {
      await expect(verifyMeetingToken(t, options as never)).rejects.toThrow(TypeError);
    }
  });

  it('never echoes the secret in problems or errors', async () => {
    const t = await mint();
    const r = await verifyMeetingToken(t, { apiKey: OTHER_KEY, now: NOW });
    expect(JSON.stringify(r)).not.toContain(OTHER_KEY);
    await verifyMeetingToken(t, { apiKey: OTHER_KEY, clockTolerance: 'x' }).catch((e: Error) =>
      expect(e.message).not.toContain(OTHER_KEY),
    );
  });

  it("verifies Daily's documented example as a well-formed token signed by some other key", async () => {
    const r = await verifyMeetingToken(DOCS_TOKEN, { apiKey: KEY, now: NOW });
    expect(codes(r)).toEqual(['bad-signature']);
    expect(r.properties?.room_name).toBe('hello');
  });

  it('verifies the RFC 7515 A.1 HS256 example as a generic JWS', async () => {
    const token =
      'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    const key = Buffer.from(
      'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow',
      'base64url',
    );
    const r = await verifyMeetingToken(token, { apiKey: new Uint8Array(key), now: new Date('2011-03-22T00:00:00Z') });
    // The signature holds; the only complaint is that it is not a Daily token (no domain).
    expect(codes(r)).toEqual(['missing-claim']);
    expect(r.claims).toEqual({ iss: 'joe', exp: 1300819380, 'http://example.com/is_root': true });
    const late = await verifyMeetingToken(token, {
      apiKey: new Uint8Array(key),
      now: new Date('2011-03-23T00:00:00Z'),
    });
    expect(codes(late)).toEqual(['expired', 'missing-claim']);
  });
});

describe('interop with jsonwebtoken and jose', () => {
  const payload = { r: 'standup', d: DOMAIN, iat: NOW_S, exp: NOW_S + 600, o: true, p: { cs: 'v,a', ca: 'p' } };

  it('verifies tokens signed by jsonwebtoken (string secret, as in Daily guides)', async () => {
    const t = jwt.sign(payload, KEY, { algorithm: 'HS256' });
    const r = await verifyMeetingToken(t, { apiKey: KEY, domainId: DOMAIN, roomName: 'standup', now: NOW });
    expect(r.valid).toBe(true);
    expect(r.properties?.permissions).toEqual({ canSend: ['video', 'audio'], canAdmin: ['participants'] });
  });

  it('verifies tokens signed by jose', async () => {
    const t = await new jose.SignJWT(payload)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(new TextEncoder().encode(KEY));
    expect((await verifyMeetingToken(t, { apiKey: KEY, now: NOW })).valid).toBe(true);
  });

  it('mints tokens that jsonwebtoken and jose verify, with the same payload', async () => {
    const t = await createMeetingToken(
      {
        room_name: 'standup',
        is_owner: true,
        permissions: { canSend: ['video', 'audio'], canAdmin: ['participants'] },
      },
      { apiKey: KEY, domainId: DOMAIN, now: NOW, expiresIn: 600 },
    );
    const viaJwt = jwt.verify(t, KEY, { algorithms: ['HS256'], clockTimestamp: NOW_S });
    expect(viaJwt).toEqual(payload);
    const viaJose = await jose.jwtVerify(t, new TextEncoder().encode(KEY), { algorithms: ['HS256'], currentDate: NOW });
    expect(viaJose.payload).toEqual(payload);
    expect(viaJose.protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
  });
});
