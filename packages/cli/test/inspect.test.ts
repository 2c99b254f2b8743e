import { createMeetingToken, PROPERTY_BY_CLAIM } from 'daily-tokens';
import { CLAIM_MEANINGS } from 'daily-tokens/explain';
import { beforeAll, describe, expect, it } from 'vitest';
import { DOCS_TOKEN, DOMAIN, ensureBuilt, KEY, KEY_ENV, NOW_ISO, NOW_S, payloadOf, runCli } from './helpers.js';

beforeAll(ensureBuilt, 180_000);

const mint = (props: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  createMeetingToken(props, { apiKey: KEY, domainId: DOMAIN, now: new Date(NOW_S * 1000), ...extra });

describe('decode', () => {
  it('shows the header and full names with ISO and relative times; says on stderr nothing was verified', async () => {
    const r = await runCli(['decode', DOCS_TOKEN, '--now', NOW_ISO]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('alg HS256');
    for (const name of ['room_name', 'is_owner', 'enable_screenshare', 'enable_recording', 'domain_id']) {
      expect(r.stdout).toContain(name);
    }
    expect(r.stdout).toContain('2029-01-26T00:25:38Z (expires in 1783 days 9 h)');
    expect(r.stdout).toContain('2019-01-29T00:26:09Z (usable since 1866 days 14 h ago)');
    expect(r.stderr).toContain('not verified');
    expect(r.stdout).not.toContain('not verified');
  });

  it.each([
    ['Bearer with quotes after it', `Bearer "${DOCS_TOKEN}"`],
    ['an Authorization header', `Authorization: Bearer ${DOCS_TOKEN}`],
    [
      'a token wrapped over lines',
      `${DOCS_TOKEN.slice(0, 50)}\n  ${DOCS_TOKEN.slice(50, 120)}\n${DOCS_TOKEN.slice(120)}`,
    ],
    ["the inspector's link", `https://tokens.example/#token=${DOCS_TOKEN}`],
  ])('decodes a paste of %s, as the inspector does, and says what it took off', async (_what, paste) => {
    for (const r of [
      await runCli(['decode', paste, '--json', '--now', NOW_ISO]),
      await runCli(['decode', '-', '--json', '--now', NOW_ISO], { input: paste }),
    ]) {
      expect(r.stderr).not.toContain('canonical');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).claims).toEqual(payloadOf(DOCS_TOKEN));
      expect(r.stderr).toMatch(/note: (removed|joined|took)/);
    }
  });

  it('reads - from stdin, takes ?t= from a meeting URL, and has a stable --json', async () => {
    const r = await runCli(['decode', '-', '--json', '--now', NOW_ISO], { input: `  ${DOCS_TOKEN}\n` });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual([
      'verified',
      'header',
      'claims',
      'properties',
      'unknownClaims',
      'issues',
      'times',
    ]);
    expect(out.verified).toBe(false);
    expect(out.claims).toEqual(payloadOf(DOCS_TOKEN));
    expect(out.properties.room_name).toBe('hello');
    expect(out.times.exp).toEqual({ iso: '2029-01-26T00:25:38Z', relative: 'in 1783 days 9 h' });
    const url = await runCli(['decode', `https://acme.daily.co/hello?t=${DOCS_TOKEN}`, '--json']);
    expect(JSON.parse(url.stdout).properties.room_name).toBe('hello');
    expect(url.stderr).toContain('?t=');
  });

  it('a malformed token is exit 1 with the reason and no stack trace', async () => {
    const r = await runCli(['decode', 'not-a-token']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Malformed token');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('verify', () => {
  it('valid token: exit 0, one line with key, room and expiry', async () => {
    const t = await mint({ room_name: 'standup' });
    const r = await runCli(['verify', t, '--room', 'standup', '--now', NOW_ISO], { env: KEY_ENV });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓ valid: signed with DAILY_API_KEY · room "standup" · expires in 1 h');
  });

  it('lists every problem with its code and fix, exit 1; --json is the library result', async () => {
    const t = await mint({ room_name: 'standup', nbf: NOW_S + 600 }, { domainId: 'another-domain' });
    const r = await runCli(['verify', t, '--room', 'other', '--now', NOW_ISO], { env: KEY_ENV });
    expect(r.code).toBe(1);
    for (const code of ['not-yet-valid', 'wrong-domain', 'wrong-room']) expect(r.stdout).toContain(code);
    expect(r.stdout.match(/fix:/g)?.length).toBe(3);
    const j = await runCli(['verify', t, '--room', 'other', '--now', NOW_ISO, '--json'], { env: KEY_ENV });
    const out = JSON.parse(j.stdout);
    expect(out.valid).toBe(false);
    expect(out.problems.map((p: { code: string }) => p.code)).toEqual(['not-yet-valid', 'wrong-domain', 'wrong-room']);
    const ignored = await runCli(['verify', t, '--ignore-nbf', '--domain-id', 'another-domain', '--now', NOW_ISO], {
      env: { DAILY_API_KEY: KEY },
    });
    expect(ignored.code, ignored.stdout).toBe(0);
  });

  it('expired, bad signature and clock tolerance', async () => {
    const t = await mint({ room_name: 'x' }, { expiresIn: 60 });
    const late = new Date((NOW_S + 70) * 1000).toISOString();
    const expired = await runCli(['verify', t, '--now', late], { env: KEY_ENV });
    expect(expired.code).toBe(1);
    expect(expired.stdout).toContain('expired (exp): expired 10 s ago');
    const tolerated = await runCli(['verify', t, '--now', late, '--clock-tolerance', '30s'], { env: KEY_ENV });
    expect(tolerated.code).toBe(0);
    const tooMuch = await runCli(['verify', t, '--clock-tolerance', '1h'], { env: KEY_ENV });
    expect(tooMuch.code).toBe(2);
    expect(tooMuch.stderr).toContain('--clock-tolerance is capped at 5 minutes');
    const bad = await runCli(['verify', DOCS_TOKEN, '--now', NOW_ISO], { env: KEY_ENV });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('bad-signature');
  });
});

describe('lint', () => {
  it('findings by severity; exit 1 with errors, 0 with warnings only; stable --json', async () => {
    const warn = await runCli(['lint', DOCS_TOKEN, '--now', NOW_ISO]);
    expect(warn.code).toBe(0);
    expect(warn.stdout).toContain('long-lifetime');
    const props = JSON.stringify({ user_id: 'ada@example.com', exp: 1710000000000 });
    const err = await runCli(['lint', '--properties', props, '--hipaa', '--now', NOW_ISO]);
    expect(err.code).toBe(1);
    expect(err.stdout).toMatch(/error\s+milliseconds-timestamp/);
    expect(err.stdout.indexOf('error')).toBeLessThan(err.stdout.indexOf('warning'));
    const j = await runCli(['lint', '--properties', props, '--hipaa', '--now', NOW_ISO, '--json']);
    const out = JSON.parse(j.stdout);
    expect(Object.keys(out)).toEqual(['errors', 'warnings', 'infos', 'findings']);
    expect(out.errors).toBeGreaterThan(0);
    expect(out.findings.map((f: { rule: string }) => f.rule)).toContain('user-id-not-uuid');
  });

  it('bad JSON for --properties is a usage error that says how to write it', async () => {
    const r = await runCli(['lint', '--properties', '{room_name:x}']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--properties is not valid JSON');
  });
});

describe('explain', () => {
  it("shows every field of the docs' example token with its meaning, and ends with the verdict", async () => {
    const r = await runCli(['explain', DOCS_TOKEN, '--now', NOW_ISO]);
    expect(r.code).toBe(0);
    const text = r.stdout.replace(/\s+/g, ' ');
    for (const [claim, value] of Object.entries(payloadOf(DOCS_TOKEN))) {
      const name = PROPERTY_BY_CLAIM.get(claim);
      expect(name, claim).toBeDefined();
      expect(text).toContain(CLAIM_MEANINGS[name as keyof typeof CLAIM_MEANINGS].meaning);
      expect(text).toContain(String(value));
    }
    expect(text).toContain('2029-01-26T00:25:38Z');
    expect(text).toMatch(/alg HS256 Signature algorithm/);
    expect(r.stdout.trimEnd().split('\n').slice(-3).join('\n')).toMatch(/Verdict UNVERIFIED[\s\S]*long-lifetime/);
  });

  it('with a key: INVALID with the cause and what to change, exit 1 (the "invalid-token" case)', async () => {
    const r = await runCli(['explain', DOCS_TOKEN, '--now', NOW_ISO], { env: KEY_ENV });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('bad-signature');
    expect(r.stdout).toContain('Verdict INVALID');
    expect(r.stdout).toContain('Meeting token ignored: invalid-token');
    expect(r.stdout).toMatch(/What to change:\n {2}1\. bad-signature: Sign with this domain's current API key/);
    const good = await runCli(['explain', await mint({ room_name: 'x' }), '--room', 'x', '--now', NOW_ISO, '--json'], {
      env: KEY_ENV,
    });
    expect(good.code).toBe(0);
    const out = JSON.parse(good.stdout);
    expect(out.verdict).toBe('valid');
    expect(out.daily).toBe('applies');
    expect(Object.keys(out)).toEqual([
      'verdict',
      'daily',
      'dropped',
      'verified',
      'length',
      'header',
      'rows',
      'problems',
      'findings',
      'changes',
    ]);
  });
});

describe('explain on broken input', () => {
  it('names ignored claims, escapes control characters and lists each change once', async () => {
    const { createHmac } = await import('node:crypto');
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const input = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc({
      room_name: 'standup',
      d: DOMAIN,
      exp: 1710000000000,
      p: { ca: ['participants'] },
      custom: '\u001b[31mred',
    })}`;
    const token = `${input}.${createHmac('sha256', KEY).update(input).digest('base64url')}`;
    const r = await runCli(['explain', token, '--now', NOW_ISO], { env: KEY_ENV });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Full property name used as a claim: Daily ignores it (write "r")');
    expect(r.stdout).toContain('\\u001b[31mred');
    expect(r.stdout).not.toContain('\u001b');
    const changes = r.stdout.slice(r.stdout.indexOf('What to change:'));
    expect(changes).toContain('milliseconds-timestamp: Divide by 1000: 1710000000.');
    expect(changes).toContain('permissions-array:');
    expect(changes).not.toContain('invalid-claim');
  });

  it('a malformed token is INVALID with the malformed cause, exit 1', async () => {
    const r = await runCli(['explain', 'Bearer abc.def'], { env: KEY_ENV });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('removed the "Bearer " prefix');
    expect(r.stdout).toContain('malformed');
    expect(r.stdout).toContain('Verdict INVALID');
  });
});

describe('usage, exit codes and colours', () => {
  it('every command has --help with examples, exit 0', async () => {
    for (const cmd of ['create', 'decode', 'verify', 'lint', 'explain']) {
      const r = await runCli([cmd, '--help']);
      expect(r.code, cmd).toBe(0);
      expect(r.stdout, cmd).toContain('Examples:');
    }
    const root = await runCli(['--help']);
    expect(root.stdout).toContain('explain');
    expect((await runCli(['help', 'verify'])).code).toBe(0);
    const none = await runCli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: daily-tokens');
  });

  it('unknown flags and commands are exit 2 with a one-line reason, nothing on stdout', async () => {
    for (const args of [
      ['decode', '--bogus', DOCS_TOKEN],
      ['frobnicate'],
      ['create', '--rom', 'x'],
      ['decode', 'a', 'b'],
    ]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')[0]).toMatch(/^daily-tokens: (unknown|too many)/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('no colour on pipes or with NO_COLOR; FORCE_COLOR turns it on unless NO_COLOR is set', async () => {
    const esc = '\u001b[';
    const plain = await runCli(['decode', 'junk']);
    expect(plain.stderr).not.toContain(esc);
    const forced = await runCli(['decode', 'junk'], { env: { FORCE_COLOR: '1' } });
    expect(forced.stderr).toContain(esc);
    const no = await runCli(['decode', 'junk'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(no.stderr).not.toContain(esc);
    const explain = await runCli(['explain', DOCS_TOKEN], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(explain.stdout).not.toContain(esc);
  });
});
