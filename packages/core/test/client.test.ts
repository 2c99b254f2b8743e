/**
 * The browser helper against the real endpoint (called in process through a fetch stand-in), with fake
 * timers: when it refreshes, how it retries, when it gives up.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createTokenRefresher,
  fetchMeetingToken,
  type MeetingTokenGrant,
  TokenRequestError,
  tokenLifetime,
} from '../src/client/index.js';
import { createTokenEndpoint } from '../src/endpoint/index.js';
import { API_KEY, DOMAIN_ID } from './endpoint/contract.js';

const T0 = new Date('2026-03-01T12:00:00Z');

/**
 * Advances the fake clock, then lets real asynchronous work finish (Web Crypto signs off the main thread,
 * which fake timers cannot hurry): setImmediate is not faked, so a few turns of it let the fetch land.
 */
async function advance(ms: number, until?: () => boolean) {
  await vi.advanceTimersByTimeAsync(ms);
  const deadline = performance.now() + 2000;
  let turns = 0;
  while (until ? !until() && performance.now() < deadline : turns++ < 20) {
    await new Promise((r) => setImmediate(r));
  }
}

/** A fetch that answers from the endpoint, and can be told to fail. */
function endpointFetch(options: { expiresIn?: string } = {}) {
  const endpoint = createTokenEndpoint({
    apiKey: API_KEY,
    domainId: DOMAIN_ID,
    expiresIn: options.expiresIn ?? '15m',
    authenticate: (request) => (request.headers.get('authorization') === 'Bearer s3' ? 'ada' : null),
    authorize: (_r, { room }) => (room === 'standup' ? { user_name: 'Ada' } : null),
    onError: () => {},
  });
  const state = { calls: 0, down: false, bodies: [] as unknown[] };
  const fetch = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
    state.calls += 1;
    state.bodies.push(init?.body);
    if (state.down) throw new TypeError('Failed to fetch');
    return endpoint(new Request(new URL(String(url), 'http://app.test'), init));
  }) as unknown as typeof globalThis.fetch;
  return { fetch, state };
}

describe('fetchMeetingToken', () => {
  it('posts {room} as JSON to /api/daily-token and returns the grant', async () => {
    const { fetch, state } = endpointFetch();
    const grant = await fetchMeetingToken('standup', { fetch, headers: { authorization: 'Bearer s3' } });
    expect(grant.room_name).toBe('standup');
    expect(state.bodies).toEqual(['{"room":"standup"}']);
    expect(vi.mocked(fetch).mock.calls[0]?.[0]).toBe('/api/daily-token');
    expect(vi.mocked(fetch).mock.calls[0]?.[1]).toMatchObject({
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
    });
  });

  it("rejects with the endpoint's {error, info}", async () => {
    const { fetch } = endpointFetch();
    const refused = await fetchMeetingToken('standup', { fetch }).catch((e) => e);
    expect(refused).toBeInstanceOf(TokenRequestError);
    expect(refused).toMatchObject({ status: 401, error: 'authentication-error', retryable: false });
    const forbidden = await fetchMeetingToken('board', { fetch, headers: { authorization: 'Bearer s3' } }).catch(
      (e) => e,
    );
    expect(forbidden).toMatchObject({ status: 403, error: 'forbidden-error' });
  });

  it('turns network failures and odd answers into retryable or not errors', async () => {
    const down = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    expect(await fetchMeetingToken('r', { fetch: down }).catch((e) => e)).toMatchObject({ status: 0, retryable: true });
    const odd = vi.fn(async () => new Response('<html>', { status: 200 })) as unknown as typeof fetch;
    expect(await fetchMeetingToken('r', { fetch: odd }).catch((e) => e)).toMatchObject({
      status: 200,
      error: 'bad-answer',
    });
    const bad = vi.fn(async () => new Response('oops', { status: 502 })) as unknown as typeof fetch;
    expect(await fetchMeetingToken('r', { fetch: bad }).catch((e) => e)).toMatchObject({
      status: 502,
      retryable: true,
    });
    await expect(fetchMeetingToken('', { fetch: bad })).rejects.toThrow(TypeError);
  });
});

describe('tokenLifetime', () => {
  it("reads the token's own iat/exp, so the browser clock does not matter", async () => {
    const { fetch } = endpointFetch({ expiresIn: '10m' });
    const grant = await fetchMeetingToken('standup', { fetch, headers: { authorization: 'Bearer s3' } });
    expect(tokenLifetime(grant, Date.now() + 86_400_000)).toBe(600);
  });
  it('falls back to expires_at when the token is not a JWT', () => {
    const grant: MeetingTokenGrant = { token: 'opaque', expires_at: 1000, room_name: 'r' };
    expect(tokenLifetime(grant, 400_000)).toBe(600);
  });
});

describe('createTokenRefresher', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(T0);
  });
  afterEach(() => vi.useRealTimers());

  const start = (o: { expiresIn?: string; refreshBefore?: number } = {}) => {
    const { fetch, state } = endpointFetch(o);
    const tokens: MeetingTokenGrant[] = [];
    const errors: TokenRequestError[] = [];
    const refresher = createTokenRefresher({
      room: 'standup',
      fetch,
      headers: { authorization: 'Bearer s3' },
      onToken: (g) => tokens.push(g),
      onError: (e) => errors.push(e),
      ...(o.refreshBefore !== undefined ? { refreshBefore: o.refreshBefore } : {}),
    });
    return { refresher, tokens, errors, state };
  };

  it('fetches the next token 60 s before exp, again and again', async () => {
    const { refresher, tokens } = start();
    const first = await refresher.start();
    expect(tokens).toEqual([first]);
    await advance(14 * 60_000 - 1);
    expect(tokens).toHaveLength(1);
    await advance(1, () => tokens.length === 2);
    expect(tokens).toHaveLength(2);
    expect(tokens[1]?.expires_at).toBe(first.expires_at + 14 * 60);
    expect(refresher.current).toBe(tokens[1]);
    await advance(14 * 60_000, () => tokens.length === 3);
    expect(tokens).toHaveLength(3);
    refresher.stop();
    await advance(60 * 60_000);
    expect(tokens).toHaveLength(3);
  });

  it('refreshes halfway through a life shorter than refreshBefore', async () => {
    const { refresher, tokens } = start({ expiresIn: '60s', refreshBefore: 120 });
    await refresher.start();
    await advance(30_000, () => tokens.length === 2);
    expect(tokens).toHaveLength(2);
    refresher.stop();
  });

  it('retries a failed refresh with back-off (1 s, 2 s, 4 s …) and recovers', async () => {
    const { refresher, tokens, errors, state } = start();
    await refresher.start();
    state.down = true;
    await advance(14 * 60_000, () => errors.length === 1);
    expect(errors).toHaveLength(1);
    await advance(1000, () => errors.length === 2);
    expect(errors).toHaveLength(2);
    await advance(2000, () => errors.length === 3);
    expect(errors).toHaveLength(3);
    expect(errors.every((e) => e.retryable)).toBe(true);
    state.down = false;
    await advance(4000, () => tokens.length === 2);
    expect(tokens).toHaveLength(2);
    refresher.stop();
  });

  it('stops for good when the endpoint refuses (the user signed out)', async () => {
    const { fetch, state } = endpointFetch();
    let auth = 'Bearer s3';
    const errors: TokenRequestError[] = [];
    const refresher = createTokenRefresher({
      room: 'standup',
      fetch: (url, init) => fetch(url, { ...init, headers: { ...(init?.headers as object), authorization: auth } }),
      onToken: () => {},
      onError: (e) => errors.push(e),
    });
    await refresher.start();
    auth = 'Bearer expired';
    await advance(14 * 60_000, () => errors.length === 1);
    expect(errors.map((e) => e.status)).toEqual([401]);
    const calls = state.calls;
    await advance(60 * 60_000);
    expect(state.calls).toBe(calls);
  });

  it('start() rejects when the first token cannot be had, and schedules nothing', async () => {
    const { fetch, state } = endpointFetch();
    const refresher = createTokenRefresher({ room: 'board', fetch, onToken: () => {} });
    await expect(refresher.start()).rejects.toMatchObject({ status: 401 });
    await advance(60 * 60_000);
    expect(state.calls).toBe(1);
  });

  it.each([
    [{ onToken: () => {} }, /room must be/],
    [{ room: 'r' }, /onToken must be a function/],
    [{ room: 'r', onToken: () => {}, refreshBefore: -1 }, /refreshBefore must be/],
  ])('checks its options: %j', (options, message) => {
    expect(() => createTokenRefresher(options as never)).toThrow(message);
  });
});
