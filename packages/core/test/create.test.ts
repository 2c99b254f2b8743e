import { describe, expect, it } from 'vitest';
import { createMeetingToken, decodeUnverified, MeetingTokenError, parseDuration } from '../src/index.js';
import { buildClaims } from '../src/jwt/create.js';
import { DOMAIN, KEY, NOW, NOW_S } from './fixtures.js';

const opts = { apiKey: KEY, domainId: DOMAIN, now: NOW };

async function issuesOf(props: Record<string, unknown>, options: Record<string, unknown> = {}) {
  try {
    await createMeetingToken(props as never, { ...opts, ...options });
  } catch (e) {
    if (!(e instanceof MeetingTokenError)) throw e;
    expect(e.code).toBe('invalid-properties');
    return e.issues.filter((i) => i.severity === 'error').map((i) => `${i.path}: ${i.message}`);
  }
  return [];
}

describe('createMeetingToken', () => {
  it('emits abbreviated claims plus d, iat and a one-hour exp by default', async () => {
    const t = await createMeetingToken(
      {
        room_name: 'standup',
        is_owner: false,
        user_name: 'Ada',
        user_id: 'u-1',
        enable_screenshare: true,
        enable_recording: 'cloud',
        start_audio_off: true,
        start_video_off: false,
        eject_at_token_exp: true,
        enable_prejoin_ui: true,
        lang: 'pt-BR',
        permissions: {
          hasPresence: true,
          canSend: ['audio', 'video'],
          canReceive: { base: true },
          canAdmin: ['participants'],
        },
      },
      opts,
    );
    const { header, claims } = decodeUnverified(t);
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(claims).toStrictEqual({
      r: 'standup',
      o: false,
      u: 'Ada',
      ud: 'u-1',
      ss: true,
      er: 'cloud',
      ao: true,
      vo: false,
      ejt: true,
      enable_prejoin_ui: true,
      uil: 'pt-BR',
      p: { hp: true, cs: 'v,a', cr: { b: true }, ca: 'p' },
      exp: NOW_S + 3600,
      d: DOMAIN,
      iat: NOW_S,
    });
  });

  it('takes exp and nbf as Dates or unix seconds, and expiresIn in the one duration grammar', async () => {
    const c1 = buildClaims({ room_name: 'r', exp: new Date((NOW_S + 60) * 1000), nbf: NOW_S }, opts);
    expect(c1).toMatchObject({ exp: NOW_S + 60, nbf: NOW_S });
    for (const [expiresIn, seconds] of [
      [90, 90],
      ['90s', 90],
      ['15m', 900],
      ['1h', 3600],
      ['1h30m', 5400],
      ['7d', 604800],
    ] as const) {
      expect(buildClaims({ room_name: 'r' }, { ...opts, expiresIn }).exp).toBe(NOW_S + seconds);
    }
  });

  it('refuses a token without room_name unless allRooms, and without expiry unless noExpiry', async () => {
    expect(await issuesOf({})).toEqual([expect.stringMatching(/^room_name: is missing.*allRooms: true/)]);
    const all = buildClaims({}, { ...opts, allRooms: true });
    expect(all.r).toBeUndefined();
    const forever = buildClaims({ room_name: 'r' }, { ...opts, noExpiry: true });
    expect(forever.exp).toBeUndefined();
    await expect(createMeetingToken({ room_name: 'r' }, { ...opts, expiresIn: 0 })).rejects.toThrow(/noExpiry: true/);
    await expect(createMeetingToken({ room_name: 'r' }, { ...opts, expiresIn: '1h', noExpiry: true })).rejects.toThrow(
      TypeError,
    );
  });

  it('reports every problem with its path', async () => {
    const issues = await issuesOf({
      room_name: '',
      r: 'x',
      user_id: 'x'.repeat(37),
      exp: Date.now(),
      lang: 'english',
      enable_recording: 'cloud-video',
      is_owner: 'true',
      eject_after_elapsed: -5,
      redirect_on_meeting_exit: 'javascript:alert(1)',
      permissions: { canSend: ['video', 'screen'], can_admin: true, canReceive: { base: { video: true } } },
      start_cloud_recording_opts: { videoBitrate: '2000', layout: { preset: 'grid' } },
      roomName: 'y',
    });
    const paths = issues.map((i) => i.split(':')[0]);
    expect(paths).toEqual(
      expect.arrayContaining([
        'room_name',
        'r',
        'user_id',
        'exp',
        'lang',
        'enable_recording',
        'is_owner',
        'eject_after_elapsed',
        'redirect_on_meeting_exit',
        'permissions.canSend[1]',
        'permissions.can_admin',
        'permissions.canReceive.base.audio',
        'permissions.canReceive.base.customVideo',
        'start_cloud_recording_opts.videoBitrate',
        'start_cloud_recording_opts.layout.preset',
        'roomName',
      ]),
    );
    expect(issues).toContain(
      'permissions.canSend[1]: "screen" is not one of video, audio, screenVideo, screenAudio, customVideo, customAudio',
    );
    expect(issues.find((i) => i.startsWith('r:'))).toMatch(/JWT claim of "room_name"/);
    expect(issues.find((i) => i.startsWith('exp:'))).toMatch(/milliseconds/);
    expect(issues.find((i) => i.startsWith('start_cloud_recording_opts.layout.preset'))).toMatch(
      /did you mean "custom"|one of default/,
    );
    expect(issues.find((i) => i.startsWith('roomName'))).toMatch(/room_name/);
  });

  it('accepts every documented property at its documented default (as generated SDKs send them)', async () => {
    const { CLAIM_REGISTRY, REST_PROPERTY_NAMES } = await import('../src/index.js');
    const defaults = Object.fromEntries(
      REST_PROPERTY_NAMES.flatMap((n) => {
        const d = (CLAIM_REGISTRY[n] as { default?: unknown }).default;
        return d === undefined ? [] : [[n, d]];
      }),
    );
    expect(Object.keys(defaults).length).toBeGreaterThan(8);
    const t = await createMeetingToken({ room_name: 'r', ...defaults }, opts);
    expect(decodeUnverified(t).properties).toMatchObject(defaults);
  });

  it('accepts legacy enable_recording values (with a warning) and refuses contradictions', async () => {
    const t = await createMeetingToken({ room_name: 'r', enable_recording: 'rtp-tracks' }, opts);
    expect(decodeUnverified(t).claims.er).toBe('rtp-tracks');
    expect(await issuesOf({ room_name: 'r', exp: NOW_S - 1 })).toEqual([expect.stringMatching(/^exp: is in the past/)]);
    expect(await issuesOf({ room_name: 'r', nbf: NOW_S + 7200 })).toEqual([
      expect.stringMatching(/^nbf: .*never be valid/),
    ]);
    expect(await issuesOf({ room_name: 'r', domain_id: 'other' })).toEqual([expect.stringMatching(/^domain_id: /)]);
  });

  it('throws TypeError for bad options without echoing the key', async () => {
    const bad: Record<string, unknown>[] = [
      { apiKey: '', domainId: DOMAIN },
      { apiKey: 123, domainId: DOMAIN },
      { apiKey: KEY },
      { apiKey: KEY, domainId: DOMAIN, expiresIn: '3600' },
      { apiKey: KEY, domainId: DOMAIN, expiresIn: -1 },
      { apiKey: KEY, domainId: DOMAIN, now: 'now' },
      { apiKey: KEY, domainId: DOMAIN, allRooms: 'yes' },
    ];
    for (const o of bad) {
      const e = await createMeetingToken({ room_name: 'r' }, o as never).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).not.toContain(KEY);
    }
  });

  it('mints only the properties’ own keys even when Object.prototype is polluted', async () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.is_owner = true;
    proto.video = false;
    proto.canAdmin = true;
    try {
      const token = await createMeetingToken(
        {
          room_name: 'standup',
          permissions: { canSend: ['video'], canReceive: { byUserId: { ada: { audio: true } } } },
        },
        { apiKey: KEY, domainId: DOMAIN, now: NOW },
      );
      const claims = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString());
      expect(claims).toEqual({
        r: 'standup',
        p: { cs: 'v', cr: { u: { ada: { a: true } } } },
        exp: NOW_S + 3600,
        d: DOMAIN,
        iat: NOW_S,
      });
    } finally {
      delete proto.is_owner;
      delete proto.video;
      delete proto.canAdmin;
    }
  });

  it('signs identically with a string key and its UTF-8 bytes', async () => {
    const a = await createMeetingToken({ room_name: 'r' }, opts);
    const b = await createMeetingToken({ room_name: 'r' }, { ...opts, apiKey: new TextEncoder().encode(KEY) });
    expect(a).toBe(b);
  });
});

describe('what Daily accepts, we accept', () => {
  const mint = (props: Record<string, unknown>) => createMeetingToken({ room_name: 'a', ...props } as never, opts);
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  /** The warnings decoding a payload of these claims gives (the signature is not checked by decoding). */
  const warningsOf = (claims: Record<string, unknown>) =>
    decodeUnverified(`${enc({ alg: 'HS256', typ: 'JWT' })}.${enc({ r: 'a', ...claims })}.${'A'.repeat(43)}`).issues;

  it.each([
    'https://example.com/thanks',
    'myapp://meeting-ended?id=1',
    'com.example.app:/callback',
    'intent://open#Intent;scheme=myapp;end',
  ])('redirect_on_meeting_exit %s (deep links are documented)', async (url) => {
    expect(decodeUnverified(await mint({ redirect_on_meeting_exit: url })).properties.redirect_on_meeting_exit).toBe(
      url,
    );
  });

  it.each(['javascript:alert(1)', ' JAVASCRIPT:alert(1)', 'data:text/html,<script>x</script>', 'vbscript:msgbox(1)'])(
    'refuses the script URL %j, for safety',
    async (url) => {
      expect(await issuesOf({ room_name: 'a', redirect_on_meeting_exit: url })).toEqual([
        expect.stringMatching(/^redirect_on_meeting_exit: ".*:" URLs run script: refused for safety/),
      ]);
    },
  );

  it('refuses what is not an absolute URL, and says how to write one', async () => {
    expect(await issuesOf({ room_name: 'a', redirect_on_meeting_exit: 'example.com/bye' })).toEqual([
      expect.stringMatching(/must be an absolute URL \(https:\/\/… or an app link/),
    ]);
  });

  it('takes a meeting_join_hook that is not http(s) with a warning: Daily POSTs to it', () => {
    expect(warningsOf({ mjh: 'https://example.com/joined' })).toEqual([]);
    expect(warningsOf({ mjh: 'myapp://joined' })).toEqual([
      { path: 'mjh', message: expect.stringMatching(/cannot receive Daily's webhook POST/), severity: 'warning' },
    ]);
  });

  it('keeps recording options Daily ignores, warning about each key with the one meant', async () => {
    const sro = {
      videobitrate: 2000,
      min_idle_timeout: 60,
      futureOption: { a: 1 },
      layout: { preset: 'audio-only', max_cam_streams: 2, participants: { audio: ['x'], order: 'x' } },
    };
    const decoded = decodeUnverified(await mint({ start_cloud_recording_opts: sro }));
    expect(decoded.properties.start_cloud_recording_opts).toEqual(sro);
    const warnings = warningsOf({ sro });
    expect(warnings.map((w) => w.path)).toEqual([
      'sro.videobitrate',
      'sro.min_idle_timeout',
      'sro.futureOption',
      'sro.layout.max_cam_streams',
      'sro.layout.participants.order',
    ]);
    expect(warnings[0]?.message).toMatch(/Daily ignores it\. Did you mean "videoBitrate"\?/);
    expect(warnings[1]?.message).toMatch(/Did you mean "minIdleTimeOut"\?/);
    expect(warnings[3]?.message).toMatch(/not taken by the "audio-only" layout \(only by default, portrait\)/);
  });

  it('refuses known recording options of the wrong type, as daily-js types them', async () => {
    const issues = await issuesOf({
      room_name: 'a',
      start_cloud_recording_opts: {
        width: '1280',
        dataOutputs: ['transcript', 3],
        type: 'cloud-video',
        layout: { preset: 'single-participant', participants: {} },
      },
    });
    expect(issues).toEqual([
      'start_cloud_recording_opts.width: must be a number, got "1280"',
      'start_cloud_recording_opts.dataOutputs[1]: must be a string, got 3',
      expect.stringMatching(
        /^start_cloud_recording_opts.type: must be one of cloud, local, raw-tracks, cloud-audio-only, got "cloud-video"/,
      ),
      'start_cloud_recording_opts.layout.session_id: is required by the single-participant layout',
    ]);
    expect(
      await issuesOf({
        room_name: 'a',
        start_cloud_recording_opts: {
          layout: { preset: 'custom', composition_params: { a: { b: 1 } }, session_assets: { x: 1 } },
        },
      }),
    ).toEqual([
      'start_cloud_recording_opts.layout.composition_params.a: must be a boolean, number or string, got {"b":1}',
      'start_cloud_recording_opts.layout.session_assets.x: must be a string, got 1',
    ]);
  });

  it('takes cloud-audio-only as a documented recording type, and lang "" with a warning', async () => {
    const decoded = decodeUnverified(await mint({ enable_recording: 'cloud-audio-only', lang: '' }));
    expect(decoded.properties).toMatchObject({ enable_recording: 'cloud-audio-only', lang: '' });
    expect(warningsOf({ er: 'cloud-audio-only', uil: '' })).toEqual([
      {
        path: 'uil',
        severity: 'warning',
        code: 'legacy-value',
        fix: expect.any(String),
        message: expect.stringMatching(/^"" is the empty value daily-js reports/),
      },
    ]);
  });
});

describe('parseDuration', () => {
  it('rejects unitless strings, fractions and garbage with a message naming the grammar', () => {
    for (const bad of ['3600', '1.5h', 'h', '', '1x', '-1h', '1h 30m', null, {}, Number.NaN, 1.5]) {
      expect(() => parseDuration(bad, 'expiresIn')).toThrow(TypeError);
    }
    expect(() => parseDuration('3600', 'expiresIn')).toThrow(/write "3600s"/);
    expect(parseDuration('2w')).toBe(1209600);
  });
});
