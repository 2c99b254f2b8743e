import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DailyApiError, DailyRestClient } from '../src/rest/index.js';

// A scripted server on 127.0.0.1: each test queues the answers it wants, and sees what was asked.
type Answer = { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number };
let queue: Answer[] = [];
let seen: { method: string; url: string; auth?: string; body: string }[] = [];
let server: Server;
let base: string;
const KEY = 'test-api-key-never-to-be-shown-0000';

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body });
      const a = queue.shift() ?? { status: 500, body: { error: 'server-error', info: 'queue empty' } };
      setTimeout(() => {
        res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
        res.end(typeof a.body === 'string' ? a.body : JSON.stringify(a.body ?? {}));
      }, a.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  queue = [];
  seen = [];
});

const client = (o: Partial<ConstructorParameters<typeof DailyRestClient>[0]> = {}) =>
  new DailyRestClient({ apiKey: KEY, baseUrl: base, maxRetryDelay: 1, ...o });

describe('DailyRestClient', () => {
  it('sends the bearer key and the properties wrapper, and returns the token', async () => {
    queue.push({ status: 200, body: { token: 'abc.def.ghi' } });
    const exp = new Date('2030-01-01T00:00:00Z');
    expect(await client().createMeetingToken({ room_name: 'r', exp })).toBe('abc.def.ghi');
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1/meeting-tokens', auth: `Bearer ${KEY}` });
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({ properties: { room_name: 'r', exp: 1893456000 } });
  });

  it('encodes the token in the validate path and passes ignoreNbf', async () => {
    queue.push({ status: 200, body: { room_name: 'r', is_owner: false } });
    expect(await client().validateMeetingToken('a.b/c', { ignoreNbf: true })).toEqual({
      room_name: 'r',
      is_owner: false,
    });
    expect(seen[0]?.url).toBe('/v1/meeting-tokens/a.b%2Fc?ignoreNbf=true');
  });

  it('retries 429 honouring Retry-After, and 5xx, then succeeds', async () => {
    queue.push({
      status: 429,
      body: { error: 'rate-limit-error', info: 'slow down' },
      headers: { 'retry-after': '0' },
    });
    queue.push({ status: 503, body: { error: 'server-error', info: 'busy' } });
    queue.push({ status: 200, body: { domain_name: 'd', domain_id: 'id', config: {} } });
    expect((await client().getDomain()).domain_id).toBe('id');
    expect(seen).toHaveLength(3);
  });

  it('does not retry 4xx and gives Daily type and info, never the key', async () => {
    queue.push({ status: 401, body: { error: 'authentication-error', info: 'bad key' } });
    const e = await client()
      .getDomain()
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DailyApiError);
    expect(e).toMatchObject({ status: 401, type: 'authentication-error', info: 'bad key' });
    expect(seen).toHaveLength(1);
    expect(String((e as Error).message)).not.toContain(KEY);
  });

  it('gives up after the retries with the last error', async () => {
    for (let i = 0; i < 3; i++) queue.push({ status: 500, body: 'oops' });
    const e = await client({ retries: 2 })
      .getDomain()
      .catch((x: unknown) => x);
    expect(e).toMatchObject({ status: 500, type: 'server-error' });
    expect(seen).toHaveLength(3);
  });

  it('times out a slow answer', async () => {
    queue.push({ status: 200, body: {}, delayMs: 1500 });
    const e = await client({ timeout: 1, retries: 0 })
      .getDomain()
      .catch((x: unknown) => x);
    expect(e).toMatchObject({ status: 0, type: 'timeout' });
  });

  it('treats a 404 on room delete as done, and reports a connection failure as network-error', async () => {
    queue.push({ status: 404, body: { error: 'not-found', info: 'no room' } });
    await expect(client().deleteRoom('gone')).resolves.toBeUndefined();
    const dead = new DailyRestClient({ apiKey: KEY, baseUrl: 'http://127.0.0.1:1/v1', retries: 0 });
    await expect(dead.getDomain()).rejects.toMatchObject({ type: 'network-error' });
  });

  it('rejects bad options with TypeError', () => {
    expect(() => new DailyRestClient({ apiKey: '' })).toThrow(TypeError);
    expect(() => new DailyRestClient({ apiKey: KEY, baseUrl: 'ftp://x' })).toThrow(TypeError);
    expect(() => new DailyRestClient({ apiKey: KEY, baseUrl: 'not a url' })).toThrow(TypeError);
    expect(() => new DailyRestClient({ apiKey: KEY, retries: -1 })).toThrow(TypeError);
    expect(() => new DailyRestClient({ apiKey: KEY, timeout: '15' })).toThrow(TypeError);
  });
});
