/**
 * Unknown option keys: every public function and factory refuses them with a TypeError naming the key and
 * the option meant. A misspelt verify option used to skip its check and answer valid: true.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenRefresher, fetchMeetingToken } from '../src/client/index.js';
import { createTokenEndpoint, memoryRateLimit } from '../src/endpoint/index.js';
import { createNodeTokenEndpoint } from '../src/endpoint/node-index.js';
import {
  assertKnownOptions,
  createMeetingToken,
  createMeetingTokenSigner,
  createMeetingTokenVerifier,
  decodeUnverified,
  lintMeetingToken,
  lintMinted,
  optionNames,
  validateProperties,
  verifyMeetingToken,
} from '../src/index.js';
import { buildClaims } from '../src/jwt/create.js';
import { hmac } from '../src/jwt/hmac.js';
import { DailyRestClient } from '../src/rest/index.js';
import { readRoomProperties } from '../src/rooms/index.js';
import { DOMAIN, KEY, NOW, NOW_S } from './fixtures.js';

// Each vitest project picks the backend in its setup file: the Sync methods exist only on node:crypto.
const syncBackend = () => hmac().sync;
const signing = { apiKey: KEY, domainId: DOMAIN, now: NOW };
const boardToken = () => createMeetingToken({ room_name: 'board' }, signing);
/** Another room's token: what a skipped room check would let in. */
const otherRoomToken = () => createMeetingToken({ room_name: 'all-hands' }, signing);

describe('verifyMeetingToken refuses a misspelt option instead of skipping its check', () => {
  it.each([
    ['room_name', 'roomName'],
    ['domain_id', 'domainId'],
    ['room', 'roomName'],
    ['domainID', 'domainId'],
    ['roomname', 'roomName'],
    ['ignore_nbf', 'ignoreNbf'],
    ['clock_tolerance', 'clockTolerance'],
    ['tolerance', 'clockTolerance'],
  ])('%s → did you mean "%s"', async (key, meant) => {
    const token = await otherRoomToken();
    const options = { apiKey: KEY, now: NOW, [key]: key.startsWith('domain') ? 'another-domain' : 'board' };
    await expect(verifyMeetingToken(token, options as never)).rejects.toThrow(
      new TypeError(`verifyMeetingToken: unknown option "${key}"; did you mean "${meant}"?`),
    );
  });

  it('spelt right, the same check finds the wrong room and domain', async () => {
    const token = await otherRoomToken();
    const r = await verifyMeetingToken(token, { apiKey: KEY, now: NOW, roomName: 'board', domainId: 'another' });
    expect(r.valid).toBe(false);
    expect(r.problems.map((p) => p.code).sort()).toEqual(['wrong-domain', 'wrong-room']);
  });

  it('a misspelt key is refused even when its value is undefined (an unset environment variable)', async () => {
    const token = await boardToken();
    await expect(verifyMeetingToken(token, { apiKey: KEY, room_name: undefined } as never)).rejects.toThrow(
      /unknown option "room_name"; did you mean "roomName"\?/,
    );
  });

  it('names only the key, never a value: the key stays out of the message', async () => {
    const token = await boardToken();
    const error = await verifyMeetingToken(token, { apiKey: KEY, api_key: KEY } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('verifyMeetingToken: unknown option "api_key"; did you mean "apiKey"?');
    expect((error as Error).message).not.toContain(KEY);
  });
});

describe('createMeetingToken refuses a misspelt option instead of using the default', () => {
  it.each([
    ['expiresin', 'expiresIn'],
    ['expires_in', 'expiresIn'],
    ['expiresIN', 'expiresIn'],
    ['allrooms', 'allRooms'],
    ['no_expiry', 'noExpiry'],
    ['domain_id', 'domainId'],
  ])('%s → did you mean "%s"', async (key, meant) => {
    const options = { ...signing, [key]: key === 'expiresin' || key === 'expires_in' ? '15m' : true };
    await expect(createMeetingToken({ room_name: 'board' }, options as never)).rejects.toThrow(
      new TypeError(`createMeetingToken: unknown option "${key}"; did you mean "${meant}"?`),
    );
  });

  it('spelt right, expiresIn is what the token carries (not the 1-hour default)', async () => {
    const { claims } = decodeUnverified(
      await createMeetingToken({ room_name: 'board' }, { ...signing, expiresIn: '15m' }),
    );
    expect(claims.exp).toBe(NOW_S + 15 * 60);
  });

  it('buildClaims checks the same options', () => {
    expect(() => buildClaims({ room_name: 'board' }, { ...signing, expiresin: '15m' } as never)).toThrow(
      new TypeError('buildClaims: unknown option "expiresin"; did you mean "expiresIn"?'),
    );
  });

  it('an option that is nothing like a known one lists them all', async () => {
    await expect(createMeetingToken({ room_name: 'board' }, { ...signing, zzz: 1 } as never)).rejects.toThrow(
      new TypeError(
        'createMeetingToken: unknown option "zzz"; the options are apiKey, domainId, expiresIn, allRooms, noExpiry, allowExpired, now',
      ),
    );
  });
});

describe('known options still work, also when undefined', () => {
  it('verify: every known key, each undefined but the key', async () => {
    const token = await boardToken();
    const r = await verifyMeetingToken(token, {
      apiKey: KEY,
      keys: undefined,
      domainId: undefined,
      roomName: undefined,
      clockTolerance: undefined,
      ignoreNbf: undefined,
      now: NOW,
    });
    expect(r.valid).toBe(true);
  });

  it('create: every known key, each undefined but the required ones', async () => {
    const token = await createMeetingToken(
      { room_name: 'board' },
      { ...signing, expiresIn: undefined, allRooms: undefined, noExpiry: undefined, allowExpired: undefined },
    );
    expect(decodeUnverified(token).claims.exp).toBe(NOW_S + 3600);
  });

  it('a key inherited from a polluted Object.prototype is not an option of the caller', async () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = true;
    try {
      const token = await createMeetingToken({ room_name: 'board' }, signing);
      expect((await verifyMeetingToken(token, { apiKey: KEY, now: NOW, roomName: 'board' })).valid).toBe(true);
    } finally {
      delete proto.polluted;
    }
  });
});

describe('factories check once, and their methods check the per-call options', () => {
  it('createMeetingTokenVerifier and verify/verifySync', async () => {
    expect(() => createMeetingTokenVerifier({ apiKey: KEY, room_name: 'board' } as never)).toThrow(
      new TypeError('createMeetingTokenVerifier: unknown option "room_name"; did you mean "roomName"?'),
    );
    // now is an option of the one-call form; a verifier says where it goes instead.
    expect(() => createMeetingTokenVerifier({ apiKey: KEY, now: NOW } as never)).toThrow(/takes now per call/);
    const verifier = createMeetingTokenVerifier({ apiKey: KEY, domainId: DOMAIN });
    const token = await otherRoomToken();
    await expect(verifier.verify(token, { now: NOW, room_name: 'board' } as never)).rejects.toThrow(
      new TypeError('verifier.verify: unknown option "room_name"; did you mean "roomName"?'),
    );
    await expect(verifier.verify(token, { now: NOW, room: 'board' } as never)).rejects.toThrow(
      new TypeError('verifier.verify: unknown option "room"; did you mean "roomName"?'),
    );
    if (syncBackend()) {
      expect(() => verifier.verifySync(token, { now: NOW, room: 'board' } as never)).toThrow(
        new TypeError('verifier.verifySync: unknown option "room"; did you mean "roomName"?'),
      );
    }
    const r = await verifier.verify(token, { now: NOW, roomName: 'board' });
    expect(r.problems.map((p) => p.code)).toEqual(['wrong-room']);
    expect((await verifier.verify(token, { now: NOW, roomName: undefined })).valid).toBe(true);
  });

  it('createMeetingTokenSigner and sign/signSync/mint/mintSync/claims', async () => {
    expect(() => createMeetingTokenSigner({ apiKey: KEY, domainId: DOMAIN, expiresin: '15m' } as never)).toThrow(
      new TypeError('createMeetingTokenSigner: unknown option "expiresin"; did you mean "expiresIn"?'),
    );
    const signer = createMeetingTokenSigner({ apiKey: KEY, domainId: DOMAIN, expiresIn: '15m' });
    const props = { room_name: 'board' };
    const bad = { nwo: NOW } as never;
    await expect(signer.sign(props, bad)).rejects.toThrow(
      new TypeError('signer.sign: unknown option "nwo"; did you mean "now"?'),
    );
    await expect(signer.mint(props, bad)).rejects.toThrow(/^signer\.mint: unknown option "nwo"/);
    if (syncBackend()) {
      expect(() => signer.signSync(props, bad)).toThrow(/^signer\.signSync: unknown option "nwo"/);
      expect(() => signer.mintSync(props, bad)).toThrow(/^signer\.mintSync: unknown option "nwo"/);
    }
    expect(() => signer.claims(props, bad)).toThrow(/^signer\.claims: unknown option "nwo"/);
    expect(signer.claims(props, { now: NOW }).exp).toBe(NOW_S + 15 * 60);
    expect(decodeUnverified(await signer.sign(props, { now: undefined })).claims.r).toBe('board');
  });

  it('lintMeetingToken and lintMinted', async () => {
    const token = await boardToken();
    expect(() => lintMeetingToken(token, { now: NOW, max_lifetime: '15m' } as never)).toThrow(
      new TypeError('lintMeetingToken: unknown option "max_lifetime"; did you mean "maxLifetime"?'),
    );
    expect(lintMeetingToken(token, { now: NOW, hipaa: undefined, maxLifetime: undefined })).toEqual([]);
    const minted = await createMeetingTokenSigner({ apiKey: KEY, domainId: DOMAIN }).mint({ room_name: 'board' });
    expect(() => lintMinted(minted, { HIPAA: true } as never)).toThrow(
      new TypeError('lintMinted: unknown option "HIPAA"; did you mean "hipaa"?'),
    );
    // lintMinted has no key to judge (the signer checked it): an apiKey would be silently ignored.
    expect(() => lintMinted(minted, { apiKey: KEY } as never)).toThrow(/^lintMinted: unknown option "apiKey"/);
    expect(lintMinted(minted, { maxLifetime: '1h' })).toEqual([]);
  });

  it('validateProperties and readRoomProperties', () => {
    expect(() => validateProperties({ room_name: 'board' }, { allow_dates: true } as never)).toThrow(
      new TypeError('validateProperties: unknown option "allow_dates"; did you mean "allowDates"?'),
    );
    expect(validateProperties({ exp: NOW }, { allowDates: true, path: undefined })).toEqual([]);
    expect(() => readRoomProperties({ exp: NOW_S }, { nowSeconds: NOW_S } as never)).toThrow(
      new TypeError('readRoomProperties: unknown option "nowSeconds"; did you mean "now"?'),
    );
    expect(readRoomProperties({ exp: NOW_S }, { now: NOW_S + 1 }).issues[0]?.path).toBe('properties.exp');
  });

  it('the token endpoints and memoryRateLimit', () => {
    const base = { apiKey: KEY, domainId: DOMAIN, authorize: () => ({}) };
    expect(() => createTokenEndpoint({ ...base, expires_in: '5m' } as never)).toThrow(
      new TypeError('createTokenEndpoint: unknown option "expires_in"; did you mean "expiresIn"?'),
    );
    // The Node endpoint has trustProxy besides: a near miss of it is found too.
    expect(() => createNodeTokenEndpoint({ ...base, trust_proxy: true } as never)).toThrow(
      new TypeError('createNodeTokenEndpoint: unknown option "trust_proxy"; did you mean "trustProxy"?'),
    );
    expect(() => createTokenEndpoint({ ...base, trustProxy: true } as never)).toThrow(
      /^createTokenEndpoint: unknown option "trustProxy"/,
    );
    expect(typeof createNodeTokenEndpoint({ ...base, trustProxy: undefined, hipaa: undefined })).toBe('function');
    expect(() => memoryRateLimit({ limit: 1, window: '1m', key: () => 'k', max_keys: 5 } as never)).toThrow(
      new TypeError('memoryRateLimit: unknown option "max_keys"; did you mean "maxKeys"?'),
    );
    expect(typeof memoryRateLimit({ limit: 1, window: '1m', key: () => 'k', maxKeys: undefined })).toBe('function');
  });
});

describe('over HTTP: the REST client and the browser helper', () => {
  let server: Server;
  let url: string;
  const requests: string[] = [];
  beforeAll(async () => {
    const endpoint = createNodeTokenEndpoint({
      apiKey: KEY,
      domainId: DOMAIN,
      authorize: (_req, { room }) => (room === 'board' ? {} : null),
    });
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      if (req.url === '/api/daily-token') return void endpoint(req, res);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(req.url?.startsWith('/v1/rooms') ? { total_count: 0, data: [] } : { room_name: 'board' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('DailyRestClient: the constructor and each call with options; nothing is sent for a misspelt one', async () => {
    expect(() => new DailyRestClient({ apiKey: KEY, base_url: url } as never)).toThrow(
      new TypeError('DailyRestClient: unknown option "base_url"; did you mean "baseUrl"?'),
    );
    const daily = new DailyRestClient({ apiKey: KEY, baseUrl: url, retries: 0, timeout: undefined });
    requests.length = 0;
    await expect(daily.listRooms({ startingAfter: 'x' } as never)).rejects.toThrow(
      new TypeError('DailyRestClient.listRooms: unknown option "startingAfter"; did you mean "starting_after"?'),
    );
    await expect(daily.listRoomPage({ limt: 5 } as never)).rejects.toThrow(
      new TypeError('DailyRestClient.listRoomPage: unknown option "limt"; did you mean "limit"?'),
    );
    expect(() => daily.validateMeetingToken('t', { ignore_nbf: true } as never)).toThrow(
      new TypeError('DailyRestClient.validateMeetingToken: unknown option "ignore_nbf"; did you mean "ignoreNbf"?'),
    );
    expect(requests).toEqual([]);
    await daily.listRooms({ limit: 5, starting_after: undefined });
    await daily.validateMeetingToken('t', { ignoreNbf: true });
    expect(requests).toEqual(['GET /v1/rooms?limit=5', 'GET /v1/meeting-tokens/t?ignoreNbf=true']);
  });

  it('fetchMeetingToken and createTokenRefresher', async () => {
    const endpoint = `${url}/api/daily-token`;
    await expect(fetchMeetingToken('board', { URL: endpoint } as never)).rejects.toThrow(
      new TypeError('fetchMeetingToken: unknown option "URL"; did you mean "url"?'),
    );
    expect(() => createTokenRefresher({ room: 'board', onToken: () => {}, refresh_before: 30 } as never)).toThrow(
      new TypeError('createTokenRefresher: unknown option "refresh_before"; did you mean "refreshBefore"?'),
    );
    const grant = await fetchMeetingToken('board', { url: endpoint, headers: undefined });
    expect(grant.room_name).toBe('board');
    const refresher = createTokenRefresher({ room: 'board', url: endpoint, onToken: () => {}, onError: undefined });
    try {
      expect((await refresher.start()).room_name).toBe('board');
    } finally {
      refresher.stop();
    }
  });
});

describe('assertKnownOptions and optionNames', () => {
  interface PingOptions {
    timeout?: number;
    retries?: number;
  }
  const PING = optionNames<PingOptions>()(['timeout', 'retries']);

  it('passes known keys and names the first unknown one', () => {
    expect(() => assertKnownOptions({ timeout: 1, retries: undefined }, PING, 'ping')).not.toThrow();
    expect(() => assertKnownOptions({}, PING, 'ping')).not.toThrow();
    expect(() => assertKnownOptions({ time_out: 1 }, PING, 'ping')).toThrow(
      new TypeError('ping: unknown option "time_out"; did you mean "timeout"?'),
    );
  });

  it('cuts a huge key short in the message', () => {
    const error = (() => {
      try {
        assertKnownOptions({ ['x'.repeat(10_000)]: 1 }, PING, 'ping');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message.length).toBeLessThan(200);
  });

  it('does not compile while a list misses a key of its interface, or names one it lacks', () => {
    // @ts-expect-error retries is missing from the list
    optionNames<PingOptions>()(['timeout']);
    // @ts-expect-error tries is not an option of PingOptions
    optionNames<PingOptions>()(['timeout', 'retries', 'tries']);
    expect(PING.size).toBe(2);
  });
});
