import { describe, expect, it } from 'vitest';
import { createMeetingToken, type Finding, LINT_RULES, lintMeetingToken } from '../src/index.js';
import { DOCS_TOKEN, DOMAIN, HS256, handToken, KEY, NOW, NOW_S } from './fixtures.js';

const rules = (f: Finding[]) => f.map((x) => x.rule);
const good = { r: 'standup', d: DOMAIN, iat: NOW_S, exp: NOW_S + 1800 };
const lint = (input: Parameters<typeof lintMeetingToken>[0], o: Parameters<typeof lintMeetingToken>[1] = {}) =>
  lintMeetingToken(input, { now: NOW, ...o });

describe('lintMeetingToken', () => {
  it('finds nothing in a short-lived, room-bound token minted by createMeetingToken', async () => {
    const t = await createMeetingToken(
      { room_name: 'standup', user_name: 'Ada' },
      { apiKey: KEY, domainId: DOMAIN, now: NOW },
    );
    expect(lint(t, { apiKey: KEY })).toEqual([]);
    expect(lint(good)).toEqual([]);
  });

  // Each row: input claims, the rule it must raise, its severity.
  const cases: [string, Record<string, unknown>, string, Finding['severity'], Record<string, unknown>?][] = [
    ['no exp', { r: 'a', d: DOMAIN, iat: NOW_S }, 'no-expiry', 'error'],
    ['no room', { ...good, r: undefined }, 'no-room', 'error'],
    ['no domain', { ...good, d: undefined }, 'no-domain', 'error'],
    ['exp in ms', { ...good, exp: (NOW_S + 60) * 1000 }, 'milliseconds-timestamp', 'error'],
    ['expired', { ...good, exp: NOW_S - 5 }, 'expired', 'error'],
    ['nbf after exp', { ...good, nbf: NOW_S + 1800 }, 'not-before-after-expiry', 'error'],
    ['ca array', { ...good, p: { ca: ['participants'] } }, 'permissions-array', 'error'],
    ['cs array', { ...good, p: { cs: ['video'] } }, 'permissions-array', 'error'],
    ['long user id', { ...good, ud: 'x'.repeat(37) }, 'user-id-too-long', 'error'],
    ['wrong type', { ...good, o: 'true' }, 'invalid-claim', 'error'],
    ['a day long', { ...good, exp: NOW_S + 86400 }, 'long-lifetime', 'warning'],
    ['full-name claim', { ...good, is_owner: true }, 'full-name-claim', 'warning'],
    ['unknown claim', { ...good, ownr: true }, 'unknown-claim', 'warning'],
    ['legacy recording value', { ...good, er: 'rtp-tracks' }, 'legacy-value', 'warning'],
    ['misspelt recording option', { ...good, sro: { videobitrate: 2000 } }, 'unknown-option', 'warning'],
    ['unknown layout key', { ...good, sro: { layout: { preset: 'default', cams: 2 } } }, 'unknown-option', 'warning'],
    [
      'layout key of another preset',
      { ...good, sro: { layout: { preset: 'audio-only', max_cam_streams: 2 } } },
      'unknown-option',
      'warning',
    ],
    ['non-UUID user id on HIPAA', { ...good, ud: 'user-42' }, 'user-id-not-uuid', 'warning', { hipaa: true }],
    ['e-mail in user name', { ...good, u: 'ada@example.com' }, 'personal-data', 'warning'],
    ['phone in user id', { ...good, ud: '+1 (555) 123-4567' }, 'personal-data', 'warning'],
    ['weak key', good, 'weak-key', 'warning', { apiKey: 'short' }],
    ['eject without exp', { r: 'a', d: DOMAIN, iat: NOW_S, ejt: true }, 'eject-without-expiry', 'warning'],
    ['start recording without er', { ...good, sr: true }, 'recording-not-enabled', 'info'],
    ['no iat', { ...good, iat: undefined }, 'no-issued-at', 'info'],
  ];
  it.each(cases)('%s → %s (%s)', (_name, claims, rule, severity, options) => {
    const clean = JSON.parse(JSON.stringify(claims));
    const found = lint(clean, options ?? {});
    const hit = found.find((f) => f.rule === rule);
    expect(hit, JSON.stringify(found)).toBeDefined();
    expect(hit?.severity).toBe(severity);
    expect(hit?.message.length).toBeGreaterThan(10);
    expect(hit?.fix?.length).toBeGreaterThan(3);
  });

  it('says room_name is not read when it stands in for r, and suggests the claim meant', () => {
    const f = lint({ room_name: 'a', d: DOMAIN, iat: NOW_S, exp: NOW_S + 60, ejx: true });
    expect(f.find((x) => x.rule === 'no-room')?.message).toMatch(/"room_name" is not read/);
    expect(f.find((x) => x.rule === 'unknown-claim')?.message).toMatch(/did you mean "ejt", eject_at_token_exp/);
  });

  it("takes cloud-audio-only as a current recording type (Daily's recording guide), in er and sro.type", () => {
    expect(lint({ ...good, er: 'cloud-audio-only', sro: { type: 'cloud-audio-only' } })).toEqual([]);
    expect(lint({ room_name: 'a', exp: NOW_S + 60, enable_recording: 'cloud-audio-only' })).toEqual([]);
  });

  it('reports an unknown recording option once, with the key meant, from a token or from properties', async () => {
    const sro = { videobitrate: 2000, layout: { preset: 'raw-tracks-audio-only' } };
    const t = await handToken(HS256, { ...good, sro });
    const props = { room_name: 'standup', exp: NOW_S + 1800, start_cloud_recording_opts: sro };
    for (const found of [lint(t), lint({ ...good, sro }), lint(props)]) {
      expect(found.map((f) => [f.rule, f.severity, f.claim])).toEqual([
        ['unknown-option', 'warning', 'sro.videobitrate'],
      ]);
      expect(found[0]?.message).toMatch(/did you mean "videoBitrate"/i);
    }
  });

  it('flags a token over 2048 characters', async () => {
    const t = await handToken(HS256, { ...good, u: 'x'.repeat(1600) });
    expect(rules(lint(t))).toContain('token-too-long');
  });

  it("lints Daily's example token: ten years long, otherwise sound", () => {
    expect(rules(lint(DOCS_TOKEN))).toEqual(['long-lifetime']);
  });

  it('lints full-name properties the way createMeetingToken would sign them', () => {
    const f = lint({ room_name: 'a', user_id: 'x'.repeat(40), permissions: { canAdmin: ['participants'] } });
    expect(rules(f)).toEqual(['no-expiry', 'user-id-too-long']);
    expect(rules(lint({ room_name: 'a', exp: new Date((NOW_S + 60) * 1000) }))).toEqual([]);
  });

  it('puts errors first and reports malformed input as one finding', () => {
    const f = lint({ ...good, exp: NOW_S + 86400, o: 1, ownr: 1 });
    const order = f.map((x) => x.severity);
    expect(order).toEqual(
      [...order].sort((a, b) => ['error', 'warning', 'info'].indexOf(a) - ['error', 'warning', 'info'].indexOf(b)),
    );
    expect(lint('not.a-token')).toEqual([expect.objectContaining({ rule: 'malformed', severity: 'error' })]);
  });

  it('has the severities the contract names for every rule', () => {
    const errors = LINT_RULES.filter((r) => r.severity === 'error').map((r) => r.id);
    expect(errors).toEqual(
      expect.arrayContaining([
        'no-expiry',
        'no-room',
        'permissions-array',
        'milliseconds-timestamp',
        'expired',
        'not-before-after-expiry',
        'user-id-too-long',
        'token-too-long',
      ]),
    );
    for (const r of [
      'long-lifetime',
      'full-name-claim',
      'unknown-claim',
      'user-id-not-uuid',
      'personal-data',
      'weak-key',
      'eject-without-expiry',
    ]) {
      expect(LINT_RULES.find((x) => x.id === r)?.severity).not.toBe('error');
    }
  });

  it('throws TypeError for bad options', () => {
    expect(() => lintMeetingToken(good, { maxLifetime: '1' })).toThrow(TypeError);
    expect(() => lintMeetingToken(good, { hipaa: 'yes' as never })).toThrow(TypeError);
    expect(() => lintMeetingToken(42 as never)).toThrow(TypeError);
  });
});
