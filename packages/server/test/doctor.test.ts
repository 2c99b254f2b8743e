/** POST /v1/doctor: the library's doctor over HTTP, on the stored room and the domain's keys and config. */
import { createMeetingToken } from 'daily-tokens';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, isDailyError, serviceForFile } from './helpers.js';

const KEY = 'doctor-route-test-key-0123456789abcdefghij';
const held = serviceForFile(KEY);
let domainId: string;

beforeAll(async () => {
  domainId = (await call(held.svc.url, 'GET', '/v1/', { key: KEY })).body.domain_id as string;
});

const mint = (properties: Record<string, unknown>, apiKey = KEY) =>
  createMeetingToken(properties, { apiKey, domainId, expiresIn: '1h' });
const doctor = (token: string, room: string) =>
  call(held.svc.url, 'POST', '/v1/doctor', { key: KEY, body: { token, room } });
const rules = (body: Record<string, unknown>) => (body.findings as { rule: string }[]).map((f) => f.rule);

describe('POST /v1/doctor', () => {
  it('judges the token in the stored room: a bot without an owner token, knocking without a lobby', async () => {
    await call(held.svc.url, 'POST', '/v1/rooms', { key: KEY, body: { name: 'bots', privacy: 'private' } });
    const r = await doctor(await mint({ room_name: 'bots', auto_start_transcription: true, knocking: true }), 'bots');
    expect(r.status).toBe(200);
    expect(r.body.verdict).toBe('applies');
    expect(r.body.verified).toBe(true);
    expect(rules(r.body)).toEqual(expect.arrayContaining(['owner-needed', 'knocking-without-lobby']));
  });

  it('a room that does not exist, and a token of another key in a private room', async () => {
    const missing = await doctor(await mint({ room_name: 'nowhere' }), 'nowhere');
    expect(missing.body.verdict).toBe('refuses');
    expect(rules(missing.body)).toContain('room-not-found');
    await call(held.svc.url, 'POST', '/v1/rooms', { key: KEY, body: { name: 'vault', privacy: 'private' } });
    const forged = await doctor(await mint({ room_name: 'vault' }, 'another-domain-key-0123456789abcdefgh'), 'vault');
    expect(rules(forged.body)).toEqual(expect.arrayContaining(['bad-signature', 'private-room-without-token']));
  });

  it('refuses bad bodies in Daily’s error shape, and needs the key', async () => {
    for (const body of [
      { token: 'x.y.z' },
      { token: 'x.y.z', room: '../admin' },
      { token: 'x.y.z', room: 'a', extra: 1 },
    ]) {
      const r = await call(held.svc.url, 'POST', '/v1/doctor', { key: KEY, body });
      expect(r.status).toBe(400);
      expect(isDailyError(r.body)).toBe(true);
    }
    const unauthenticated = await call(held.svc.url, 'POST', '/v1/doctor', { body: { token: 'x.y.z', room: 'a' } });
    expect([400, 401]).toContain(unauthenticated.status);
  });

  it('is documented in /openapi.json', async () => {
    const spec = await call(held.svc.url, 'GET', '/openapi.json');
    expect(spec.body.paths['/v1/doctor'].post.operationId).toBe('DiagnoseMeetingToken');
  });
});
