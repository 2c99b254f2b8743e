import { describe, expect, it } from 'vitest';
import { createMeetingToken, verifyMeetingToken } from '../src/index.js';
import { DOCTOR_RULES, type DiagnoseOptions, diagnoseMeetingToken } from '../src/doctor/index.js';
import { DOMAIN, KEY, NOW, NOW_S, OTHER_KEY } from './fixtures.js';

const mint = (properties: Record<string, unknown>, options: Record<string, unknown> = {}) =>
  createMeetingToken(properties, { apiKey: KEY, domainId: DOMAIN, now: NOW, ...options });
const room = (config: Record<string, unknown> = {}, privacy = 'public', name = 'standup') => ({
  name,
  privacy,
  config,
});
const diagnose = (o: Omit<DiagnoseOptions, 'now'>) => diagnoseMeetingToken({ now: NOW, ...o });
const rules = (d: ReturnType<typeof diagnoseMeetingToken>) => d.findings.map((f) => f.rule);
const finding = (d: ReturnType<typeof diagnoseMeetingToken>, rule: string) => d.findings.find((f) => f.rule === rule);

describe('diagnoseMeetingToken', () => {
  it('a good token in its room: Daily applies it, nothing to say', async () => {
    const token = await mint({ room_name: 'standup' });
    const d = diagnose({ token, room: room(), verified: await verifyMeetingToken(token, { apiKey: KEY, now: NOW }) });
    expect(d.verdict).toBe('applies');
    expect(d.verified).toBe(true);
    expect(d.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });

  it('a bot that transcribes without being an owner: transcription never starts', async () => {
    const token = await mint({ room_name: 'standup', auto_start_transcription: true });
    const f = finding(diagnose({ token, room: room() }), 'owner-needed');
    expect(f).toMatchObject({ severity: 'error', source: 'room', claim: 'ast' });
    expect(f?.fix).toMatch(/is_owner: true/);
    expect(f?.evidence).toMatch(/^Daily's docs say auto_start_transcription starts transcription when an owner joins/);
    expect(
      rules(
        diagnose({
          token: await mint({ room_name: 'standup', auto_start_transcription: true, is_owner: true }),
          room: room(),
        }),
      ),
    ).not.toContain('owner-needed');
  });

  it('ejection at a short token exp: "Meeting has ended" in minutes', async () => {
    const token = await mint({ room_name: 'standup', eject_at_token_exp: true }, { expiresIn: '10m' });
    const f = finding(diagnose({ token, room: room() }), 'ejected-at-token-exp');
    expect(f?.message).toMatch(/ejected at the token's exp, in 10 min .*Meeting has ended/);
    const long = await mint({ room_name: 'standup', eject_at_token_exp: true }, { expiresIn: '2h' });
    expect(rules(diagnose({ token: long, room: room() }))).not.toContain('ejected-at-token-exp');
  });

  it("the room's own exp: ejected soon, or over, or overridden by the token", async () => {
    const token = await mint({ room_name: 'standup' });
    const soon = diagnose({ token, room: room({ exp: NOW_S + 300, eject_at_room_exp: true }) });
    expect(finding(soon, 'ejected-at-room-exp')?.message).toMatch(/ejects everyone at its exp, in 5 min/);
    const over = diagnose({ token, room: room({ exp: NOW_S - 60 }) });
    expect(over.verdict).toBe('refuses');
    expect(finding(over, 'room-expired')?.severity).toBe('error');
    const own = await mint({ room_name: 'standup', eject_after_elapsed: 3600 });
    const overridden = diagnose({ token: own, room: room({ exp: NOW_S + 300, eject_at_room_exp: true }) });
    expect(rules(overridden)).not.toContain('ejected-at-room-exp');
    expect(rules(overridden)).toContain('room-ejection-overridden');
  });

  it('a room that does not exist, or a name spelled differently', async () => {
    const token = await mint({ room_name: 'Standup' });
    const missing = diagnose({ token, room: null, roomName: 'standup' });
    expect(missing.verdict).toBe('refuses');
    expect(rules(missing)).toContain('room-not-found');
    const spelled = diagnose({ token, room: room() });
    expect(finding(spelled, 'wrong-room')?.message).toMatch(/spelled differently: room names are case-sensitive/);
    expect(spelled.verdict).toBe('refuses');
  });

  it('knocking claims for a room without a lobby', async () => {
    const token = await mint({ room_name: 'standup', knocking: true });
    expect(finding(diagnose({ token, room: room() }), 'knocking-without-lobby')?.severity).toBe('warning');
    expect(rules(diagnose({ token, room: room({ enable_knocking: true }, 'private') }))).not.toContain(
      'knocking-without-lobby',
    );
  });

  it('recording claims where the room and token allow no cloud recording', async () => {
    const token = await mint({ room_name: 'standup', start_cloud_recording: true });
    expect(
      finding(diagnose({ token, room: room({ enable_recording: 'local' }) }), 'recording-not-allowed')?.message,
    ).toMatch(/"local"/);
    expect(rules(diagnose({ token, room: room({ enable_recording: 'cloud' }) }))).not.toContain(
      'recording-not-allowed',
    );
    const own = await mint({ room_name: 'standup', start_cloud_recording: true, enable_recording: 'cloud' });
    // The token beats the room.
    expect(rules(diagnose({ token: own, room: room({ enable_recording: 'local' }) }))).not.toContain(
      'recording-not-allowed',
    );
  });

  it('a private room joined with a token Daily refuses: no way in', async () => {
    const token = await mint({ room_name: 'standup' }, { apiKey: OTHER_KEY });
    const verified = await verifyMeetingToken(token, { apiKey: KEY, now: NOW });
    const d = diagnose({ token, room: room({}, 'private'), verified });
    expect(d.verdict).toBe('refuses');
    expect(rules(d)).toEqual(expect.arrayContaining(['bad-signature', 'private-room-without-token']));
    expect(finding(d, 'private-room-without-token')?.message).toMatch(/cannot get in/);
    expect(rules(diagnose({ token, room: room({}, 'public'), verified }))).not.toContain('private-room-without-token');
  });

  it("nbf at or after the room's exp: the token is never usable here", async () => {
    const token = await mint({ room_name: 'standup', nbf: NOW_S + 7200 }, { expiresIn: '3h' });
    expect(finding(diagnose({ token, room: room({ exp: NOW_S + 3600 }) }), 'token-after-room')?.severity).toBe('error');
  });

  it('takes claims as well as a token, and the domain config (HIPAA user ids)', () => {
    const d = diagnose({
      token: { r: 'standup', d: DOMAIN, exp: NOW_S + 600, ud: 'bob' },
      room: room(),
      domain: { config: { hipaa: true } },
    });
    expect(rules(d)).toContain('user-id-not-uuid');
  });

  it('every finding has a fix and evidence; every rule is documented', async () => {
    const token = await mint(
      { auto_start_transcription: true, knocking: true, start_cloud_recording: true },
      { allRooms: true },
    );
    const d = diagnose({ token, room: room({ exp: NOW_S + 60, eject_at_room_exp: true }) });
    expect(d.findings.length).toBeGreaterThan(3);
    for (const f of d.findings) {
      expect(f.fix.length).toBeGreaterThan(5);
      expect(f.evidence).toMatch(/^(Daily's|We infer|Third-party)/);
    }
    for (const r of DOCTOR_RULES) expect(r.summary.length).toBeGreaterThan(10);
  });

  it('refuses bad options with a TypeError, never for the token', () => {
    expect(() => diagnoseMeetingToken({ token: 'x', room: null } as DiagnoseOptions)).toThrow(/roomName/);
    expect(() => diagnoseMeetingToken({ token: 'x', room: room(), rooom: 1 } as DiagnoseOptions)).toThrow(
      /unknown option "rooom"/,
    );
    expect(diagnoseMeetingToken({ token: 'not a token', room: room() }).verdict).toBe('refuses');
  });
});
