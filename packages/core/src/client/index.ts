/**
 * `daily-tokens/client`: the browser side of the token endpoint. Fetches a meeting token from your server
 * and says when to fetch the next one, before the current one expires. No daily-js dependency; no key.
 *
 * @example
 * ```ts
 * import { createTokenRefresher } from 'daily-tokens/client';
 * const refresher = createTokenRefresher({ room: 'standup', onToken: ({ token }) => latest = token });
 * const { token } = await refresher.start();
 * await call.join({ url: `https://your-domain.daily.co/standup`, token });
 * ```
 * @packageDocumentation
 */
import { decodeBase64urlString } from '../util/base64url.js';
import { assertKnownOptions, optionNames } from '../util/options.js';

/** What the endpoint answers: the token, its `exp` (unix seconds) and its room. */
export interface MeetingTokenGrant {
  token: string;
  expires_at: number;
  room_name: string;
}

/** A refusal from the endpoint (`status`, Daily's `error` and `info`), or a failure to reach it (status 0). */
export class TokenRequestError extends Error {
  override name = 'TokenRequestError';
  readonly status: number;
  readonly error: string;
  readonly info: string;

  constructor(status: number, error: string, info: string) {
    super(status === 0 ? `token request failed: ${info}` : `token request refused (${status} ${error}): ${info}`);
    this.status = status;
    this.error = error;
    this.info = info;
  }

  /** True when asking again may work (network trouble, 429, 5xx); false when the answer will not change. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

export interface FetchMeetingTokenOptions {
  /** The endpoint's URL. Default `/api/daily-token`. */
  url?: string | URL;
  /** The fetch to use. Default the global `fetch`. */
  fetch?: typeof fetch;
  /** Extra request headers, e.g. `{ authorization: 'Bearer …' }` when the session is not a cookie. */
  headers?: Record<string, string>;
  /** Whether cookies go along. Default `'same-origin'`; use `'include'` for an endpoint on another origin. */
  credentials?: RequestCredentials;
  signal?: AbortSignal;
}

const FETCH_KEYS = ['url', 'fetch', 'headers', 'credentials', 'signal'] as const;
const FETCH_OPTIONS = optionNames<FetchMeetingTokenOptions>()(FETCH_KEYS);

const DEFAULT_URL = '/api/daily-token';

function isGrant(v: unknown): v is MeetingTokenGrant {
  const g = v as Partial<MeetingTokenGrant> | null;
  return (
    typeof g === 'object' &&
    g !== null &&
    typeof g.token === 'string' &&
    typeof g.expires_at === 'number' &&
    typeof g.room_name === 'string'
  );
}

/**
 * Asks the endpoint for a token for `room`. Resolves to `{ token, expires_at, room_name }`; rejects with a
 * `TokenRequestError` carrying the endpoint's `{ error, info }` (or status 0 when it could not be reached).
 *
 * @example
 * ```ts
 * const { token } = await fetchMeetingToken('standup');
 * ```
 */
export async function fetchMeetingToken(
  room: string,
  options: FetchMeetingTokenOptions = {},
): Promise<MeetingTokenGrant> {
  if (typeof room !== 'string' || room === '') throw new TypeError('room must be the room name, a non-empty string');
  if (typeof options !== 'object' || options === null)
    throw new TypeError('fetchMeetingToken options must be an object');
  assertKnownOptions(options, FETCH_OPTIONS, 'fetchMeetingToken');
  const doFetch = options.fetch ?? globalThis.fetch;
  if (typeof doFetch !== 'function') throw new TypeError('no fetch here: pass options.fetch');
  let response: Response;
  try {
    response = await doFetch(options.url ?? DEFAULT_URL, {
      method: 'POST',
      headers: { ...options.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ room }),
      credentials: options.credentials ?? 'same-origin',
      cache: 'no-store',
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    throw new TokenRequestError(0, 'network-error', error instanceof Error ? error.message : String(error));
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (response.ok && isGrant(body)) return body;
  const refusal = (body ?? {}) as { error?: unknown; info?: unknown };
  throw new TokenRequestError(
    response.status,
    typeof refusal.error === 'string' ? refusal.error : response.ok ? 'bad-answer' : 'http-error',
    typeof refusal.info === 'string'
      ? refusal.info
      : response.ok
        ? 'the endpoint answered without { token, expires_at, room_name }'
        : `HTTP ${response.status}`,
  );
}

/** Seconds the token lives: from its own `iat` and `exp`, so a wrong browser clock does not matter. */
export function tokenLifetime(grant: MeetingTokenGrant, nowMs: number): number {
  const payload = grant.token.split('.')[1];
  const text = payload === undefined ? undefined : decodeBase64urlString(payload);
  if (text !== undefined) {
    try {
      const { iat, exp } = JSON.parse(text) as { iat?: unknown; exp?: unknown };
      if (typeof iat === 'number' && typeof exp === 'number' && exp > iat) return exp - iat;
    } catch {
      // Not JSON: fall back to the browser clock below.
    }
  }
  return Math.max(0, grant.expires_at - nowMs / 1000);
}

export interface TokenRefresherOptions extends FetchMeetingTokenOptions {
  room: string;
  /** Called with every token, the first included: hand it to daily-js (e.g. before the old one expires). */
  onToken: (grant: MeetingTokenGrant) => void;
  /** Called when a refresh fails; retryable failures are retried with back-off, others stop the refresher. */
  onError?: (error: TokenRequestError) => void;
  /** Fetch the next token this many seconds before the current one expires. Default 60. */
  refreshBefore?: number;
}

export interface TokenRefresher {
  /** Fetches the first token (rejecting if that fails) and schedules the refreshes. */
  start(): Promise<MeetingTokenGrant>;
  /** Cancels the scheduled refresh. */
  stop(): void;
  /** The latest token, if any. */
  readonly current: MeetingTokenGrant | undefined;
}

const REFRESHER_OPTIONS = optionNames<TokenRefresherOptions>()([
  ...FETCH_KEYS,
  'room',
  'onToken',
  'onError',
  'refreshBefore',
]);

const MAX_RETRY_MS = 30_000;
/** setTimeout's longest delay; longer ones fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Keeps a fresh token for `room`: fetches one, then the next before the current one expires (at
 * `refreshBefore` seconds before `exp`, or halfway through a shorter life), calling `onToken` each time.
 * For rooms with `eject_at_token_exp`, the app hands each new token to the call before the old one ends.
 *
 * @example
 * ```ts
 * const refresher = createTokenRefresher({ room: 'standup', onToken: (g) => console.log('next token', g.expires_at) });
 * await refresher.start();
 * // … later
 * refresher.stop();
 * ```
 */
export function createTokenRefresher(options: TokenRefresherOptions): TokenRefresher {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('createTokenRefresher needs { room, onToken }');
  assertKnownOptions(options, REFRESHER_OPTIONS, 'createTokenRefresher');
  const { room, onToken, onError, refreshBefore = 60, ...fetchOptions } = options;
  if (typeof room !== 'string' || room === '') throw new TypeError('room must be the room name, a non-empty string');
  if (typeof onToken !== 'function') throw new TypeError('onToken must be a function');
  if (onError !== undefined && typeof onError !== 'function') throw new TypeError('onError must be a function');
  if (typeof refreshBefore !== 'number' || !Number.isFinite(refreshBefore) || refreshBefore < 0) {
    throw new TypeError('refreshBefore must be a number of seconds, 0 or more');
  }

  let current: MeetingTokenGrant | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let failures = 0;

  const schedule = (ms: number) => {
    if (!running) return;
    clearTimeout(timer);
    timer = setTimeout(refresh, Math.min(Math.max(0, ms), MAX_TIMER_MS));
  };
  const accept = (grant: MeetingTokenGrant) => {
    current = grant;
    failures = 0;
    const life = tokenLifetime(grant, Date.now());
    schedule(Math.max(life / 2, life - refreshBefore) * 1000);
    onToken(grant);
  };
  async function refresh() {
    let grant: MeetingTokenGrant;
    try {
      grant = await fetchMeetingToken(room, fetchOptions);
    } catch (e) {
      const error = e instanceof TokenRequestError ? e : new TokenRequestError(0, 'client-error', String(e));
      onError?.(error);
      if (!error.retryable) {
        running = false;
        return;
      }
      failures += 1;
      schedule(Math.min(MAX_RETRY_MS, 1000 * 2 ** (failures - 1)));
      return;
    }
    // Outside the try: an app's onToken that throws is its own error, not a failed refresh.
    accept(grant);
  }

  return {
    async start() {
      running = true;
      try {
        const grant = await fetchMeetingToken(room, fetchOptions);
        accept(grant);
        return grant;
      } catch (error) {
        running = false;
        throw error;
      }
    },
    stop() {
      running = false;
      clearTimeout(timer);
      timer = undefined;
    },
    get current() {
      return current;
    },
  };
}
