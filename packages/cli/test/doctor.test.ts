/**
 * `daily-tokens doctor` against a running daily-tokens service (the offline stand-in for Daily's REST API):
 * each case builds the room over HTTP, mints the token, and checks the finding, the verdict and the exit code.
 */
import { createMeetingToken } from 'daily-tokens';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, serviceForFile } from '../../server/test/helpers.js';
import { ensureBuilt, runCli } from './helpers.js';

const KEY = 'cli-doctor-test-key-0123456789abcdefghijkl';
const held = serviceForFile(KEY);
let domainId: string;

beforeAll(async () => {
  await ensureBuilt();
  domainId = (await call(held.svc.url, 'GET', '/v1/', { key: KEY })).body.domain_id as string;
}, 180_000);

const now = () => Math.floor(Date.now() / 1000);
async function room(name: string, properties: Record<string, unknown> = {}, privacy = 'public') {
  const r = await call(held.svc.url, 'POST', '/v1/rooms', { key: KEY, body: { name, privacy, properties } });
  expect(r.status).toBe(200);
}
const mint = (properties: Record<string, unknown>, expiresIn = '1h', apiKey = KEY) =>
  createMeetingToken(properties, { apiKey, domainId, expiresIn });
async function doctor(token: string, roomArg: string) {
  const r = await runCli(['doctor', token, '--room', roomArg, '--api-url', held.svc.url, '--json'], {
    env: { DAILY_API_KEY: KEY },
  });
  return { code: r.code, stderr: r.stderr, out: r.stdout ? JSON.parse(r.stdout) : undefined };
}
const rules = (out: { findings: { rule: string }[] }) => out.findings.map((f) => f.rule);

describe('daily-tokens doctor', () => {
  it('a bot without an owner token: transcription never starts (exit 1, with the fix)', async () => {
    await room('bot-room');
    const { code, out } = await doctor(
      await mint({ room_name: 'bot-room', auto_start_transcription: true }),
      'bot-room',
    );
    expect(code).toBe(1);
    expect(out.verdict).toBe('applies');
    const f = out.findings.find((x: { rule: string }) => x.rule === 'owner-needed');
    expect(f.fix).toMatch(/is_owner: true/);
    expect(f.evidence).toMatch(/^Daily's docs say/);
  });

  it('ejection at a short token exp: "Meeting has ended"', async () => {
    await room('eject-room');
    const { code, out } = await doctor(
      await mint({ room_name: 'eject-room', eject_at_token_exp: true }, '5m'),
      'eject-room',
    );
    expect(code).toBe(0);
    expect(out.findings.find((x: { rule: string }) => x.rule === 'ejected-at-token-exp').message).toMatch(
      /Meeting has ended/,
    );
  });

  it('the wrong room, by a room URL; a room spelled differently; a room that does not exist', async () => {
    await room('retro');
    const wrong = await doctor(await mint({ room_name: 'standup' }), 'https://dev.daily.co/retro');
    expect(wrong.code).toBe(1);
    expect(wrong.out.verdict).toBe('refuses');
    expect(rules(wrong.out)).toContain('wrong-room');
    const spelled = await doctor(await mint({ room_name: 'Retro' }), 'retro');
    expect(spelled.out.findings.find((x: { rule: string }) => x.rule === 'wrong-room').message).toMatch(
      /spelled differently/,
    );
    const missing = await doctor(await mint({ room_name: 'nowhere' }), 'nowhere');
    expect(missing.code).toBe(1);
    expect(rules(missing.out)).toContain('room-not-found');
  });

  it("knocking without a lobby, and recording the room's type forbids", async () => {
    await room('plain', { enable_recording: 'local' });
    const { out } = await doctor(
      await mint({ room_name: 'plain', knocking: true, start_cloud_recording: true }),
      'plain',
    );
    expect(rules(out)).toEqual(expect.arrayContaining(['knocking-without-lobby', 'recording-not-allowed']));
  });

  it('a private room with a token Daily refuses; a room ejecting everyone at its exp', async () => {
    await room('closed', { exp: now() + 600, eject_at_room_exp: true }, 'private');
    const refused = await doctor(
      await mint({ room_name: 'closed' }, '1h', 'another-domain-key-0123456789abcdef'),
      'closed',
    );
    expect(refused.code).toBe(1);
    expect(rules(refused.out)).toEqual(
      expect.arrayContaining(['bad-signature', 'private-room-without-token', 'ejected-at-room-exp']),
    );
  });

  it('a good token in its room: exit 0, verdict applies; usage errors exit 2', async () => {
    await room('good');
    const ok = await doctor(await mint({ room_name: 'good' }), 'good');
    expect(ok.code).toBe(0);
    expect(ok.out.verdict).toBe('applies');
    const noKey = await runCli(['doctor', 'x.y.z', '--room', 'good', '--api-url', held.svc.url]);
    expect(noKey.code).toBe(2);
    const badRoom = await runCli(['doctor', 'x.y.z', '--room', '../admin', '--api-url', held.svc.url], {
      env: { DAILY_API_KEY: KEY },
    });
    expect(badRoom.code).toBe(2);
    expect(badRoom.stderr).toMatch(/a room name is 1 to 128 letters/);
    const wrongKey = await runCli(
      ['doctor', await mint({ room_name: 'good' }), '--room', 'good', '--api-url', held.svc.url],
      {
        env: { DAILY_API_KEY: 'not-the-key-0123456789abcdefghijklmnop' },
      },
    );
    expect(wrongKey.code).toBe(2);
    expect(wrongKey.stderr).toMatch(/refused the API key \(401/);
    expect(wrongKey.stderr).not.toContain('not-the-key');
  });
});
