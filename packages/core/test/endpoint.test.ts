/**
 * The token endpoint from source, on both HMAC backends: the whole contract over node:http through both
 * front ends, then its options, hooks, limits and origin rules one by one.
 */
import { EventEmitter } from 'node:events';
import { createServer, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ALLOWED_ORIGINS, grantFor, userFromCookie } from '../../../examples/shared/policy.js';
import { createTokenEndpoint, memoryRateLimit, type TokenEndpointOptions } from '../src/endpoint/index.js';
import { createNodeTokenEndpoint } from '../src/endpoint/node-index.js';
import {
  createMeetingTokenSigner,
  decodeUnverified,
  lintMeetingToken,
  lintMinted,
  type MeetingTokenInput,
  type MintedToken,
  verifyMeetingToken,
} from '../src/index.js';
import { API_KEY, call, DOMAIN_ID, endpointContract, PATH, type Running } from './endpoint/contract.js';
import { listen, serveWeb } from './endpoint/servers.js';

const policy = {
  apiKey: API_KEY,
  domainId: DOMAIN_ID,
  allowedOrigins: ALLOWED_ORIGINS,
  onError: () => {},
};

endpointContract('createTokenEndpoint behind node:http', () => {
  const endpoint = createTokenEndpoint({
    ...policy,
    authenticate: (request) => userFromCookie(request.headers.get('cookie')),
    authorize: (_request, { room, session }) => grantFor(session, room),
  });
  return listen(serveWeb({ POST: endpoint, OPTIONS: endpoint, GET: endpoint, PUT: endpoint, DELETE: endpoint }));
});

endpointContract('createNodeTokenEndpoint on node:http', () =>
  listen(
    createServer(
      createNodeTokenEndpoint({
        ...policy,
        authenticate: (req) => userFromCookie(req.headers.cookie),
        authorize: (_req, { room, session }) => grantFor(session, room),
      }),
    ),
  ),
);

const post = (body: unknown, headers: Record<string, string> = {}) =>
  new Request(`http://app.test${PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

type WebOptions = TokenEndpointOptions<Request, unknown>;
const base: WebOptions = { apiKey: API_KEY, domainId: DOMAIN_ID, authorize: () => ({}) };
const make = (o: Partial<WebOptions> = {}) => createTokenEndpoint({ ...base, onError: () => {}, ...o });
const json = async (r: Response) => (await r.json()) as Record<string, unknown>;

describe('endpoint options are checked when it is made', () => {
  const bad: [string, unknown, RegExp][] = [
    ['no options', undefined, /needs options \{ apiKey, domainId, authorize \}/],
    ['no authorize', { apiKey: API_KEY, domainId: DOMAIN_ID }, /needs authorize\(request/],
    [
      'a typo',
      { ...base, allowedOrigin: ['https://a.example'] },
      /unknown option "allowedOrigin"; did you mean "allowedOrigins"\?/,
    ],
    ['allRooms', { ...base, allRooms: true }, /takes no allRooms: an endpoint always mints tokens for one room/],
    ['noExpiry', { ...base, noExpiry: true }, /takes no noExpiry/],
    [
      'a bad origin',
      { ...base, allowedOrigins: ['https://a.example/'] },
      /allowedOrigins\[0\] must be an origin.*did you mean "https:\/\/a.example"/,
    ],
    ['an origin with a path', { ...base, allowedOrigins: ['https://a.example/app'] }, /allowedOrigins\[0\]/],
    ['"*"', { ...base, allowedOrigins: '*' }, /cannot be "\*"/],
    ['a string of origins', { ...base, allowedOrigins: 'https://a.example' }, /array of origins or a function/],
    ['a bad expiresIn', { ...base, expiresIn: '15' }, /expiresIn "15" has no unit/],
    ['expiresIn over maxLifetime', { ...base, expiresIn: '2h' }, /longer than maxLifetime \(3600 s\)/],
    ['a tiny body limit', { ...base, maxBodyBytes: 10 }, /maxBodyBytes must be a whole number from 256/],
    ['a non-function hook', { ...base, authenticate: 'yes' }, /authenticate must be a function/],
    ['hipaa not boolean', { ...base, hipaa: 1 }, /hipaa must be a boolean/],
    ['no key', { ...base, apiKey: '' }, /apiKey/],
    ['no domain', { ...base, domainId: '' }, /domainId must be the domain id/],
  ];
  it.each(bad)('%s → TypeError', (_what, options, message) => {
    expect(() => createTokenEndpoint(options as WebOptions)).toThrow(TypeError);
    expect(() => createTokenEndpoint(options as WebOptions)).toThrow(message);
  });

  it('never echoes the key in a message', () => {
    try {
      createTokenEndpoint({ ...base, apiKey: API_KEY, domainId: 7 as unknown as string });
    } catch (e) {
      expect(String((e as Error).message)).not.toContain(API_KEY);
    }
  });

  it('the handler says so when given something other than a Request', async () => {
    await expect(make()({ req: {} } as never)).rejects.toThrow(/takes a Web Request \(in Hono: tokens\(c.req.raw\)\)/);
  });

  it('the Node adapter checks trustProxy too', () => {
    expect(() => createNodeTokenEndpoint({ ...base, trustProxy: 'yes' } as never)).toThrow(
      /trustProxy must be a boolean/,
    );
  });
});

describe('what the token holds', () => {
  it('room_name defaults to the requested room; authorize may name another', async () => {
    const same = await json(await make()(post({ room: 'standup' })));
    expect(decodeUnverified(same.token as string).claims.r).toBe('standup');
    const mapped = await json(
      await make({ authorize: (_r, { room }) => ({ room_name: `team-42-${room}` }) })(post({ room: 'standup' })),
    );
    expect(mapped.room_name).toBe('team-42-standup');
    expect(decodeUnverified(mapped.token as string).claims.r).toBe('team-42-standup');
  });

  it('honours expiresIn, and authorize may set exp within maxLifetime', async () => {
    const short = await json(await make({ expiresIn: '2m' })(post({ room: 'r' })));
    const { claims } = decodeUnverified(short.token as string);
    expect((claims.exp as number) - (claims.iat as number)).toBe(120);
    const now = Math.floor(Date.now() / 1000);
    const custom = await json(await make({ authorize: () => ({ exp: now + 1800 }) })(post({ room: 'r' })));
    expect(custom.expires_at).toBe(now + 1800);
  });

  it('refuses (500, logged) a token living longer than maxLifetime', async () => {
    const onError = vi.fn();
    const now = Math.floor(Date.now() / 1000);
    const r = await make({ onError, authorize: () => ({ exp: now + 7200 }) })(post({ room: 'r' }));
    expect(r.status).toBe(500);
    expect(onError).toHaveBeenCalledOnce();
    expect(onError.mock.calls[0]?.[1]).toMatchObject({ stage: 'mint' });
    expect(String(onError.mock.calls[0]?.[0].message)).toMatch(/long-lifetime/);
  });

  it('on a HIPAA domain refuses a user_id that is not a UUID', async () => {
    const hipaa = make({ hipaa: true, authorize: () => ({ user_id: 'ada' }) });
    expect((await hipaa(post({ room: 'r' }))).status).toBe(500);
    const uuid = make({ hipaa: true, authorize: () => ({ user_id: '0b7e4f5c-9d7a-4f2e-9d8c-2f3e4a5b6c7d' }) });
    expect((await uuid(post({ room: 'r' }))).status).toBe(200);
  });

  it('answers with a token that verifies on this backend', async () => {
    const body = await json(await make({ authorize: () => ({ user_name: 'Zoë' }) })(post({ room: 'standup' })));
    const verdict = await verifyMeetingToken(body.token as string, {
      apiKey: API_KEY,
      domainId: DOMAIN_ID,
      roomName: 'standup',
    });
    expect(verdict.valid).toBe(true);
  });
});

describe('the lint the endpoint runs on what it mints', () => {
  // The endpoint lints its signer's claims without decoding them again (lintMinted); whatever authorize
  // returns, that must find exactly what the public lint finds on the token itself, legacy values included.
  const now = Math.floor(Date.now() / 1000);
  const grant = fc.record(
    {
      room_name: fc.constantFrom('standup', 'a'.repeat(128)),
      user_name: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('ada@example.com', '+44 20 7946 0958')),
      user_id: fc.oneof(fc.constantFrom('0b7e4f5c-9d7a-4f2e-9d8c-2f3e4a5b6c7d', 'ada'), fc.string({ maxLength: 40 })),
      is_owner: fc.boolean(),
      exp: fc.integer({ min: now + 1, max: now + 3 * 3600 }),
      nbf: fc.integer({ min: now - 100, max: now + 3 * 3600 }),
      iat: fc.integer({ min: now - 7200, max: now }),
      eject_at_token_exp: fc.boolean(),
      enable_recording: fc.constantFrom('cloud', 'local', 'raw-tracks', 'rtp-tracks'),
      start_cloud_recording: fc.boolean(),
      redirect_on_meeting_exit: fc.constant(`https://example.com/${'x'.repeat(1500)}`),
      permissions: fc.record(
        {
          hasPresence: fc.boolean(),
          canSend: fc.oneof(fc.boolean(), fc.subarray(['video', 'audio', 'screenVideo'])),
          canAdmin: fc.oneof(fc.boolean(), fc.subarray(['participants', 'streaming', 'transcription'])),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: ['room_name'] },
  );
  it('finds what lintMeetingToken finds on the token', async () => {
    let legacy = 0;
    const signer = createMeetingTokenSigner({ apiKey: API_KEY, domainId: DOMAIN_ID, expiresIn: '15m' });
    let minted = 0;
    await fc.assert(
      fc.asyncProperty(grant, fc.boolean(), fc.constantFrom(600, 3600), async (properties, hipaa, maxLifetime) => {
        let token: MintedToken;
        try {
          token = await signer.mint(properties as MeetingTokenInput, { now });
        } catch {
          return; // refused by the signer: the lint never sees it
        }
        minted++;
        const options = { now, hipaa, maxLifetime };
        expect(lintMinted(token, options)).toEqual(lintMeetingToken(token.token, options));
        expect(lintMinted(token, options)).toEqual(lintMeetingToken(token.claims as Record<string, unknown>, options));
        if (token.warnings.length > 0) legacy++;
      }),
      { numRuns: 300 },
    );
    expect(minted).toBeGreaterThan(100);
    expect(legacy).toBeGreaterThan(10);
  });
});

describe('answers stand alone', () => {
  it('changing the headers of one Response changes none of the next', async () => {
    const endpoint = make();
    const first = await endpoint(post({ room: 'r' }));
    first.headers.set('cache-control', 'public, max-age=3600');
    first.headers.delete('x-content-type-options');
    const second = await endpoint(post({ room: 'r' }));
    expect(second.headers.get('cache-control')).toBe('no-store');
    expect(second.headers.get('x-content-type-options')).toBe('nosniff');
    expect(second.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('waits for hooks that answer with a thenable that is not a Promise', async () => {
    // biome-ignore lint/suspicious/noThenProperty: a thenable that is not a Promise is the point of this test
    const later = <T>(value: T) => ({ then: (resolve: (v: T) => void) => setTimeout(() => resolve(value), 1) });
    const refused = make({ authenticate: () => later(null) as never });
    expect((await refused(post({ room: 'r' }))).status).toBe(401);
    const limited = make({ rateLimit: () => later(false) as never });
    expect((await limited(post({ room: 'r' }))).status).toBe(429);
    const denied = make({ authorize: () => later(null) as never });
    expect((await denied(post({ room: 'r' }))).status).toBe(403);
    const granted = make({ authorize: () => later({ user_name: 'Ada' }) as never });
    const body = await json(await granted(post({ room: 'r' })));
    expect(decodeUnverified(body.token as string).claims.u).toBe('Ada');
    const failing = make({
      // biome-ignore lint/suspicious/noThenProperty: as above, one that rejects
      authorize: () => ({ then: (_: unknown, reject: (e: Error) => void) => reject(new Error('nope')) }) as never,
    });
    expect((await failing(post({ room: 'r' }))).status).toBe(500);
  });
});

describe('hooks that fail answer 500 and leak nothing', () => {
  const secret = 'db password is hunter2';
  it.each(['authenticate', 'rateLimit', 'authorize'] as const)('%s throwing', async (name) => {
    const onError = vi.fn();
    const endpoint = make({
      onError,
      [name]: () => {
        throw new Error(secret);
      },
    });
    const r = await endpoint(post({ room: 'r' }));
    expect(r.status).toBe(500);
    const text = await r.text();
    expect(text).not.toContain('hunter2');
    expect(JSON.parse(text)).toEqual({
      error: 'server-error',
      info: 'the token could not be made; the server log has the details',
    });
    expect(onError).toHaveBeenCalledOnce();
    const [error, details] = onError.mock.calls[0] as [Error, { stage: string; request: unknown }];
    expect(error.message).toBe(secret);
    expect(details.stage).toBe(name === 'rateLimit' ? 'rate-limit' : name);
    expect(details.request).toBeInstanceOf(Request);
  });

  it('an async authorize that rejects, an onError that throws, and a non-object grant', async () => {
    const rejecting = make({
      authorize: async () => Promise.reject(new Error(secret)),
      onError: () => {
        throw new Error('logger down');
      },
    });
    expect((await rejecting(post({ room: 'r' }))).status).toBe(500);
    const onError = vi.fn();
    const stringy = make({ onError, authorize: () => 'yes' as never });
    expect((await stringy(post({ room: 'r' }))).status).toBe(500);
    expect(String(onError.mock.calls[0]?.[0])).toMatch(/authorize must return token properties or null/);
  });

  it('logs to console.error by default', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const endpoint = createTokenEndpoint({
      ...base,
      authorize: () => {
        throw new Error('boom');
      },
    });
    expect((await endpoint(post({ room: 'r' }))).status).toBe(500);
    expect(spy).toHaveBeenCalledWith('daily-tokens endpoint: authorize failed:', expect.any(Error));
    spy.mockRestore();
  });

  it('authorize returning invalid properties is a 500 too (the server is at fault, not the client)', async () => {
    const onError = vi.fn();
    const r = await make({ onError, authorize: () => ({ is_owner: 'yes' }) as never })(post({ room: 'r' }));
    expect(r.status).toBe(500);
    expect(onError.mock.calls[0]?.[0]).toMatchObject({ code: 'invalid-properties' });
  });
});

describe('rate limits', () => {
  it('memoryRateLimit allows `limit` per window per key, then 429 with Retry-After', async () => {
    let now = 0;
    const endpoint = make({
      authenticate: (request) => request.headers.get('x-user'),
      rateLimit: memoryRateLimit({
        limit: 2,
        window: '1m',
        key: (_r, { session }) => session as string,
        now: () => now,
      }),
    });
    const ask = (user: string) => endpoint(post({ room: 'r' }, { 'x-user': user }));
    expect((await ask('ada')).status).toBe(200);
    expect((await ask('ada')).status).toBe(200);
    const limited = await ask('ada');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('30');
    expect(await json(limited)).toMatchObject({ error: 'rate-limit-error' });
    expect((await ask('bob')).status).toBe(200);
    now += 30_000;
    expect((await ask('ada')).status).toBe(200);
    expect((await ask('ada')).status).toBe(429);
  });

  it('forgets the idlest key past maxKeys', () => {
    const limit = memoryRateLimit<null, undefined>({
      limit: 1,
      window: 60,
      key: (_r, { room }) => room,
      maxKeys: 2,
      now: () => 0,
    });
    const ctx = (room: string) => ({ room, session: undefined });
    expect(limit(null, ctx('a'))).toBe(true);
    expect(limit(null, ctx('b'))).toBe(true);
    expect(limit(null, ctx('c'))).toBe(true); // a forgotten
    expect(limit(null, ctx('a'))).toBe(true);
    expect(limit(null, ctx('c'))).toMatchObject({ allowed: false });
  });

  it('a custom hook: false, or { allowed: false, retryAfter }', async () => {
    expect((await make({ rateLimit: () => false })(post({ room: 'r' }))).headers.get('retry-after')).toBe('1');
    const r = await make({ rateLimit: async () => ({ allowed: false, retryAfter: 6.2 }) })(post({ room: 'r' }));
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('7');
  });

  it.each([
    [{ limit: 0, window: 60, key: (): string => 'k' }, /limit must be a whole number/],
    [{ limit: 1, window: '0s', key: (): string => 'k' }, /window must be more than 0/],
    [{ limit: 1, window: 60 }, /key must be a function/],
  ])('memoryRateLimit(%j) throws', (options, message) => {
    expect(() => memoryRateLimit(options as never)).toThrow(message);
  });
});

describe('bodies and origins', () => {
  const chunked = (parts: string[]) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const p of parts) controller.enqueue(new TextEncoder().encode(p));
        controller.close();
      },
    });

  it('answers 400 when the body cannot be read, with or without a Content-Length', async () => {
    const failing = () =>
      new ReadableStream<Uint8Array>({
        pull(controller) {
          controller.error(new Error('connection reset'));
        },
      });
    const onError = vi.fn();
    const endpoint = make({ onError });
    for (const headers of [{}, { 'content-length': '18' }]) {
      const request = new Request(`http://app.test${PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: failing(),
        duplex: 'half',
      } as RequestInit);
      const r = await endpoint(request);
      expect(r.status).toBe(400);
      expect(await json(r)).toEqual({
        error: 'invalid-request-error',
        info: 'the body could not be read; send the JSON body {"room": "<room name>"}',
      });
    }
    expect(onError).not.toHaveBeenCalled();
  });

  it('stops reading a streamed body past the limit, with no Content-Length to trust', async () => {
    const body = chunked(['{"room":"r","x":"', 'y'.repeat(600), 'y'.repeat(600), '"}']);
    const request = new Request(`http://app.test${PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect((await make()(request)).status).toBe(413);
  });

  it('joins a body that comes in several chunks', async () => {
    const request = new Request(`http://app.test${PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: chunked(['{"ro', 'om":"st', 'andup"}']),
      duplex: 'half',
    } as RequestInit);
    expect(await json(await make()(request))).toMatchObject({ room_name: 'standup' });
  });

  it('refuses invalid UTF-8 as unparsable JSON', async () => {
    const bytes = new Uint8Array([0x7b, 0x22, 0x72, 0x6f, 0x6f, 0x6d, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]);
    const request = new Request(`http://app.test${PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: bytes,
    });
    const r = await make()(request);
    expect(r.status).toBe(400);
    expect(await json(r)).toMatchObject({ error: 'json-parsing-error' });
  });

  it('refuses a cross-site call without Origin (Fetch Metadata), and takes a non-browser call', async () => {
    expect((await make()(post({ room: 'r' }, { 'sec-fetch-site': 'cross-site' }))).status).toBe(403);
    expect((await make()(post({ room: 'r' }, { 'sec-fetch-site': 'same-origin' }))).status).toBe(200);
    expect((await make()(post({ room: 'r' }))).status).toBe(200);
  });

  it('takes an origin function, and the request URL as its own origin', async () => {
    const endpoint = make({ allowedOrigins: (o) => o.endsWith('.example.com') });
    expect((await endpoint(post({ room: 'r' }, { origin: 'https://a.example.com' }))).status).toBe(200);
    expect((await endpoint(post({ room: 'r' }, { origin: 'https://example.org' }))).status).toBe(403);
    // its own origin under a DNS name proves nothing (a DNS-rebound page sends the same): it must be allowed
    expect((await endpoint(post({ room: 'r' }, { origin: 'http://app.test' }))).status).toBe(403);
    expect(
      (await make({ allowedOrigins: ['http://app.test'] })(post({ room: 'r' }, { origin: 'http://app.test' }))).status,
    ).toBe(200);
    // an IP literal or localhost cannot be rebound: the request URL is then its own origin
    for (const self of ['http://127.0.0.1:3000', 'http://localhost:3000', 'http://[::1]:3000']) {
      const same = new Request(`${self}${PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: self },
        body: '{"room":"r"}',
      });
      expect((await endpoint(same)).status).toBe(200);
    }
  });

  it('answers a plain OPTIONS with Allow, and a preflight for another method with 405', async () => {
    const endpoint = make({ allowedOrigins: ['https://a.example'] });
    const plain = await endpoint(new Request(`http://app.test${PATH}`, { method: 'OPTIONS' }));
    expect(plain.status).toBe(204);
    expect(plain.headers.get('allow')).toBe('POST, OPTIONS');
    const wrong = await endpoint(
      new Request(`http://app.test${PATH}`, {
        method: 'OPTIONS',
        headers: { origin: 'https://a.example', 'access-control-request-method': 'DELETE' },
      }),
    );
    expect(wrong.status).toBe(405);
  });
});

describe('the Node adapter', () => {
  let server: Running;
  let parsedServer: Running;
  beforeAll(async () => {
    const options = {
      apiKey: API_KEY,
      domainId: DOMAIN_ID,
      trustProxy: true,
      onError: () => {},
      authorize: () => ({ user_name: 'Ada' }),
    };
    server = await listen(createServer(createNodeTokenEndpoint(options)));
    // As after express.json(): the body is already parsed onto req.body.
    const parsed = createNodeTokenEndpoint(options);
    parsedServer = await listen(
      createServer((req, res) => {
        Object.assign(req, { body: { room: 'from-middleware' } });
        void parsed(req as typeof req & { body: unknown }, res);
      }),
    );
  });
  afterAll(async () => {
    await server.close();
    await parsedServer.close();
  });

  it('closes the connection after refusing a chunked body over the limit', async () => {
    const { status, headers } = await new Promise<{ status: number; headers: Record<string, unknown> }>(
      (resolve, reject) => {
        const req = httpRequest(
          `${server.url}${PATH}`,
          { method: 'POST', headers: { 'content-type': 'application/json' } },
          (res) => {
            res.resume();
            resolve({ status: res.statusCode as number, headers: res.headers });
          },
        );
        req.on('error', reject);
        req.write(`{"room":"r","x":"${'y'.repeat(800)}`);
        req.write(`${'y'.repeat(800)}"}`);
        req.end();
      },
    );
    expect(status).toBe(413);
    expect(headers.connection).toBe('close');
  });

  it('trusts X-Forwarded-Proto/Host for its own origin when told to, but not a DNS name as proof of it', async () => {
    const behindProxy = await call(server.url, {
      origin: 'https://10.0.0.5',
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': '10.0.0.5' },
    });
    expect(behindProxy.status).toBe(200);
    expect((await call(server.url, { origin: 'https://10.0.0.5' })).status).toBe(403);
    // a proxy passes on the Host a DNS-rebound page sent: only allowedOrigins can vouch for a name
    const rebound = await call(server.url, {
      origin: 'https://app.example.com',
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'app.example.com' },
    });
    expect(rebound.status).toBe(403);
  });

  it('answers 400 when the request stream fails, or cannot be listened to', async () => {
    const endpoint = createNodeTokenEndpoint({ ...base, onError: () => {} } as never);
    const answers: { status: number; body: string }[] = [];
    const res = {
      writeHead(status: number) {
        answers.push({ status, body: '' });
      },
      end(body?: string) {
        (answers.at(-1) as { body: string }).body = body ?? '';
      },
    };
    const headers = { 'content-type': 'application/json', host: 'app.test' };
    const broken = new EventEmitter() as EventEmitter & { headers: typeof headers; method: string };
    Object.assign(broken, { headers, method: 'POST' });
    const answered = endpoint(broken as never, res);
    broken.emit('error', new Error('aborted'));
    await answered;
    const deaf = {
      headers,
      method: 'POST',
      on: () => {
        throw new Error('not a stream');
      },
    };
    await endpoint(deaf as never, res);
    for (const a of answers) {
      expect(a.status).toBe(400);
      expect(JSON.parse(a.body)).toMatchObject({
        error: 'invalid-request-error',
        info: expect.stringMatching(/could not be read/),
      });
    }
    expect(answers).toHaveLength(2);
  });

  it('answers at once when a middleware read the body and kept nothing', async () => {
    const endpoint = createNodeTokenEndpoint({ ...base, onError: () => {} } as never);
    const consumed = await listen(
      createServer((req, res) => {
        req.resume();
        req.on('end', () => void endpoint(req, res));
      }),
    );
    try {
      const r = await call(consumed.url);
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ error: 'json-parsing-error' });
    } finally {
      await consumed.close();
    }
  });

  // the answer is written in the check phase, after the reads: a client that sends a whole request and
  // leaves at once often has its socket gone by then
  it('a client gone before the answer is written: nothing thrown, the next caller is served', async () => {
    const { port } = new URL(server.url);
    const body = JSON.stringify({ room: 'r' });
    const request = `POST ${PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const s = connect(Number(port), '127.0.0.1');
        s.on('error', () => {});
        await new Promise((r) => s.once('connect', r));
        s.write(request);
        if (i % 2) s.destroy();
        else s.resetAndDestroy();
      }),
    );
    await new Promise((r) => setTimeout(r, 100));
    expect((await call(server.url)).status).toBe(200);
  });

  it('uses a body a middleware already parsed', async () => {
    const r = await call(parsedServer.url, { body: '' });
    expect(r.json).toMatchObject({ room_name: 'from-middleware' });
  });
});
