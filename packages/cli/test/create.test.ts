import { CLAIM_REGISTRY, claimKeyOf, type PropertyName, REST_PROPERTY_NAMES, verifyMeetingToken } from 'daily-tokens';
import { beforeAll, describe, expect, it } from 'vitest';
import { DOMAIN, ensureBuilt, KEY, KEY_ENV, NOW_ISO, NOW_S, payloadOf, runCli } from './helpers.js';

beforeAll(ensureBuilt, 180_000);

const kebab = (s: string) => s.replace(/_/g, '-');

describe('create', () => {
  it('prints only the token on stdout and a summary on stderr', async () => {
    const r = await runCli(
      [
        'create',
        '--room',
        'standup',
        '--owner',
        '--user-name',
        'Ada',
        '--user-id',
        'u-1',
        '--expires-in',
        '15m',
        '--not-before',
        '1m',
        '--lang',
        'de',
        '--recording',
        'cloud',
        '--can-send',
        'video,audio',
        '--can-admin',
        'participants',
        '--now',
        NOW_ISO,
      ],
      { env: KEY_ENV },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const token = r.stdout.trim();
    expect(r.stderr).toContain('minted a token');
    expect(r.stderr).toContain('room "standup"');
    expect(r.stderr).not.toContain(token);
    const result = await verifyMeetingToken(token, {
      apiKey: KEY,
      domainId: DOMAIN,
      roomName: 'standup',
      now: new Date((NOW_S + 120) * 1000),
    });
    expect(result.problems).toEqual([]);
    expect(payloadOf(token)).toEqual({
      r: 'standup',
      o: true,
      u: 'Ada',
      ud: 'u-1',
      nbf: NOW_S + 60,
      uil: 'de',
      er: 'cloud',
      p: { cs: 'v,a', ca: 'p' },
      exp: NOW_S + 900,
      d: DOMAIN,
      iat: NOW_S,
    });
  });

  it('--json prints { token, claims, properties }', async () => {
    const r = await runCli(['create', '--room', 'r1', '--json', '--now', NOW_ISO], { env: KEY_ENV });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      token: string;
      claims: Record<string, unknown>;
      properties: Record<string, unknown>;
    };
    expect(Object.keys(out)).toEqual(['token', 'claims', 'properties']);
    expect(out.claims).toEqual(payloadOf(out.token));
    expect(out.properties).toMatchObject({ room_name: 'r1', exp: NOW_S + 3600, domain_id: DOMAIN, iat: NOW_S });
  });

  it('has a flag for every REST property of the registry, with enum values and meanings in --help', async () => {
    const r = await runCli(['create', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Examples:');
    const help = r.stdout.replace(/\s+/g, ' ');
    for (const name of REST_PROPERTY_NAMES) {
      expect(help).toContain(`--${kebab(name)}`);
      const spec = CLAIM_REGISTRY[name];
      if ('values' in spec) expect(help).toContain(spec.values.join('|'));
    }
  });

  it('sets every boolean property through its derived --flag and --no-flag', async () => {
    const booleans = REST_PROPERTY_NAMES.filter((n) => CLAIM_REGISTRY[n].kind === 'boolean');
    const on = booleans.map((n) => `--${kebab(n)}`);
    const r = await runCli(['create', '--room', 'x', '--json', '--now', NOW_ISO, ...on], { env: KEY_ENV });
    expect(r.code, r.stderr).toBe(0);
    const { claims } = JSON.parse(r.stdout) as { claims: Record<string, unknown> };
    for (const n of booleans) expect(claims[claimKeyOf(n as PropertyName)], n).toBe(true);
    const off = await runCli(['create', '--room', 'x', '--json', '--now', NOW_ISO, '--no-enable-screenshare'], {
      env: KEY_ENV,
    });
    expect((JSON.parse(off.stdout) as { claims: Record<string, unknown> }).claims.ss).toBe(false);
  });

  it('merges --properties (inline, @file, stdin) with flags and refuses a property given twice', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(`${tmpdir()}/cli-props-`);
    writeFileSync(`${dir}/p.json`, JSON.stringify({ user_name: 'From file', permissions: { hasPresence: false } }));
    const file = await runCli(['create', '--room', 'x', '--properties', `@${dir}/p.json`, '--json', '--now', NOW_ISO], {
      env: KEY_ENV,
    });
    expect(file.code, file.stderr).toBe(0);
    expect(JSON.parse(file.stdout).claims).toMatchObject({ r: 'x', u: 'From file', p: { hp: false } });

    const stdin = await runCli(['create', '--properties', '-', '--json', '--now', NOW_ISO], {
      env: KEY_ENV,
      input: '{"room_name":"from-stdin"}',
    });
    expect(JSON.parse(stdin.stdout).claims.r).toBe('from-stdin');

    const twice = await runCli(['create', '--room', 'x', '--properties', '{"room_name":"y"}'], { env: KEY_ENV });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('room_name is set both in --properties and by --room');
  });

  it('explains invalid properties with the flag that set them, exit 2', async () => {
    const r = await runCli(['create', '--room', 'x', '--lang', 'xx', '--can-send', 'vidoe'], { env: KEY_ENV });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('lang: "xx" is not one of');
    expect(r.stderr).toContain('(from --lang)');
    expect(r.stderr).toContain('did you mean "video"?');
    expect(r.stderr).toContain('(from --can-send)');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('requires a room unless --all-rooms, and an expiry unless --no-expiry', async () => {
    const noRoom = await runCli(['create'], { env: KEY_ENV });
    expect(noRoom.code).toBe(2);
    expect(noRoom.stderr).toContain('--all-rooms');
    const all = await runCli(['create', '--all-rooms', '--no-expiry', '--user-name', 'Ada', '--json'], {
      env: KEY_ENV,
    });
    expect(all.code, all.stderr).toBe(0);
    const claims = JSON.parse(all.stdout).claims;
    expect(claims.r).toBeUndefined();
    expect(claims.exp).toBeUndefined();
  });

  it('usage errors for bad values say why: unitless duration, bad time, domain missing', async () => {
    const unitless = await runCli(['create', '--room', 'x', '--expires-in', '3600'], { env: KEY_ENV });
    expect(unitless.code).toBe(2);
    expect(unitless.stderr).toContain(
      'has no unit, so it could mean seconds or milliseconds; write "3600s" for seconds',
    );
    const badTime = await runCli(['create', '--room', 'x', '--exp', 'tomorrow'], { env: KEY_ENV });
    expect(badTime.code).toBe(2);
    expect(badTime.stderr).toContain('--exp "tomorrow" is not a time');
    const noDomain = await runCli(['create', '--room', 'x'], { env: { DAILY_API_KEY: KEY } });
    expect(noDomain.code).toBe(2);
    expect(noDomain.stderr).toContain('DAILY_DOMAIN_ID');
  });

  it('mints already-expired and not-yet-valid test tokens only when asked', async () => {
    const past = NOW_S - 3600;
    const refused = await runCli(['create', '--room', 'x', '--exp', String(past), '--now', NOW_ISO], { env: KEY_ENV });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('pass --allow-past-exp to mint one on purpose');
    const expired = await runCli(
      ['create', '--room', 'x', '--exp', String(past), '--now', NOW_ISO, '--allow-past-exp', '-q'],
      { env: KEY_ENV },
    );
    expect(expired.code, expired.stderr).toBe(0);
    const token = expired.stdout.trim();
    expect(payloadOf(token)).toMatchObject({ exp: past, iat: NOW_S });
    const result = await verifyMeetingToken(token, { apiKey: KEY, now: new Date(NOW_S * 1000) });
    expect(result.problems.map((p) => p.code)).toEqual(['expired']);
    const notYet = await runCli(['create', '--room', 'x', '--nbf', '1h', '--exp', '2h', '--now', NOW_ISO, '-q'], {
      env: KEY_ENV,
    });
    const early = await verifyMeetingToken(notYet.stdout.trim(), { apiKey: KEY, now: new Date(NOW_S * 1000) });
    expect(early.problems.map((p) => p.code)).toEqual(['not-yet-valid']);
    const batch = await runCli(['create', '--batch', '-', '--allow-past-exp'], { env: KEY_ENV, input: '{}\n' });
    expect(batch.code).toBe(2);
  });
});
