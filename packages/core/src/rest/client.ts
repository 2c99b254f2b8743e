/**
 * A small client for Daily's REST API (fetch, zero dependencies): the domain, meeting tokens and rooms.
 * Retries 429 and 5xx answers and network failures with exponential backoff and full jitter, honouring
 * `Retry-After`; every attempt has a timeout. Works against api.daily.co and against the
 * daily-tokens service alike.
 */
import type { MeetingTokenInput, MeetingTokenProperties } from '../claims/types.js';
import { parseDuration } from '../util/duration.js';
import { isPlainObject } from '../util/object.js';
import { assertKnownOptions, optionNames } from '../util/options.js';
import { toUnixSeconds } from '../util/time.js';
import type { Duration } from '../jwt/create.js';
import type { CreateRoomRequest, DailyRoom, DailyRoomList, UpdateRoomRequest } from '../rooms/types.js';
import { DailyApiError } from './errors.js';

export interface DailyRestClientOptions {
  /** The domain's API key (sent as `Authorization: Bearer …`, never logged or put in errors). */
  apiKey: string;
  /**
   * Default `https://api.daily.co/v1`. Point it at a daily-tokens service for offline tests. A bare origin
   * (`http://127.0.0.1:8787`) means its `/v1`, where both answer.
   */
  baseUrl?: string;
  /** Per attempt. Default 15 s. */
  timeout?: Duration;
  /** Retries after the first attempt, for 429, 5xx and network errors. Default 3. */
  retries?: number;
  /** Longest wait between attempts, whatever `Retry-After` says. Default 30 s. */
  maxRetryDelay?: Duration;
  /** A fetch implementation (default: the global one). */
  fetch?: FetchLike;
}

/**
 * The part of `fetch` the client uses, spelled out so the declarations compile without DOM or Node types
 * (`lib: ["es2022"]` alone); the global `fetch` fits it.
 */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignalIfAny },
) => Promise<FetchLikeResponse>;

/** The runtime's `AbortSignal` where the consumer's types have one (DOM or Node), else nothing to name. */
type AbortSignalIfAny = typeof globalThis extends { AbortSignal: { prototype: infer S } } ? S : never;

/** What the client reads from a reply. */
export interface FetchLikeResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** How the client sends one request; a closure, so the API key is not a property anyone can print. */
type Send = <T>(method: string, path: string, body?: unknown) => Promise<T>;

/** `GET /v1/`: the domain and its configuration. */
export interface DailyDomain {
  domain_name: string;
  domain_id: string;
  config: Record<string, unknown>;
}

export type { CreateRoomRequest, DailyRoom, DailyRoomList, UpdateRoomRequest } from '../rooms/types.js';

/** Paging of `GET /v1/rooms` (newest first). Give at most one of the two cursors. */
export interface ListRoomsOptions {
  /** Rooms per page, 1–100 (Daily's default and maximum: 100). */
  limit?: number;
  /** A room id: the page after it (older rooms). */
  starting_after?: string;
  /** A room id: the page before it (newer rooms). */
  ending_before?: string;
}

/** Options of `validateMeetingToken`. */
export interface ValidateMeetingTokenOptions {
  /** Accept a token whose `nbf` is still in the future (Daily's `?ignoreNbf=true`). */
  ignoreNbf?: boolean;
}

const CLIENT_OPTIONS = optionNames<DailyRestClientOptions>()([
  'apiKey',
  'baseUrl',
  'timeout',
  'retries',
  'maxRetryDelay',
  'fetch',
]);
const VALIDATE_TOKEN_OPTIONS = optionNames<ValidateMeetingTokenOptions>()(['ignoreNbf']);
// Sent as the query: a misspelt cursor would page from the start without a word.
const LIST_ROOMS_OPTIONS = optionNames<ListRoomsOptions>()(['limit', 'starting_after', 'ending_before']);

const BASE_DELAY_MS = 250;

/**
 * Client for Daily's REST API.
 *
 * @example
 * ```ts
 * const daily = new DailyRestClient({ apiKey: process.env.DAILY_API_KEY! });
 * const room = await daily.createRoom({ privacy: 'private' });
 * const token = await daily.createMeetingToken({ room_name: room.name, exp: Math.floor(Date.now() / 1000) + 3600 });
 * ```
 */
export class DailyRestClient {
  readonly baseUrl: string;
  // Not a `#private` member: declarations with those fail to compile for consumers targeting ES5 (TS18028).
  declare private readonly request: Send;

  constructor(options: DailyRestClientOptions) {
    if (!isPlainObject(options)) throw new TypeError('DailyRestClient needs options { apiKey, baseUrl? }');
    assertKnownOptions(options, CLIENT_OPTIONS, 'DailyRestClient');
    if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') {
      throw new TypeError("apiKey must be the domain's API key (a non-empty string)");
    }
    const base = options.baseUrl ?? 'https://api.daily.co/v1';
    let url: URL;
    try {
      url = new URL(base);
    } catch {
      throw new TypeError(`baseUrl ${JSON.stringify(base)} is not a URL; e.g. https://api.daily.co/v1`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError('baseUrl must be an http(s) URL');
    // Daily's API (and the daily-tokens service) answer under /v1: a bare origin means that, not a web page.
    if (url.pathname === '/') url.pathname = '/v1';
    this.baseUrl = url.href.replace(/\/+$/, '');
    const timeoutMs = parseDuration(options.timeout ?? 15, 'timeout') * 1000;
    const maxDelayMs = parseDuration(options.maxRetryDelay ?? 30, 'maxRetryDelay') * 1000;
    const retries = options.retries ?? 3;
    if (!Number.isInteger(retries) || retries < 0 || retries > 10)
      throw new TypeError('retries must be a whole number from 0 to 10');
    const f = options.fetch ?? (globalThis as { fetch?: FetchLike }).fetch;
    if (typeof f !== 'function') throw new TypeError('no fetch in this runtime; pass options.fetch');
    this.request = sender(this.baseUrl, options.apiKey, timeoutMs, maxDelayMs, retries, f);
  }

  /** `GET /v1/`: the domain's name, id (the `d` claim) and config. */
  getDomain(): Promise<DailyDomain> {
    return this.request<DailyDomain>('GET', '/');
  }

  /**
   * `POST /v1/meeting-tokens`: mints a token on the server. Dates in `exp`/`nbf` are sent as unix seconds.
   * Note that Daily mints tokens without `room_name` or `exp` if asked: set both.
   */
  async createMeetingToken(properties: MeetingTokenInput): Promise<string> {
    const body: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(properties ?? {})) body[k] = v instanceof Date ? toUnixSeconds(v) : v;
    const res = await this.request<{ token?: unknown }>('POST', '/meeting-tokens', { properties: body });
    if (typeof res.token !== 'string') throw new DailyApiError(200, 'invalid-response', 'the reply has no "token"');
    return res.token;
  }

  /** `GET /v1/meeting-tokens/:token`: the token's properties by full name, or a `DailyApiError`. */
  validateMeetingToken(token: string, options: ValidateMeetingTokenOptions = {}): Promise<MeetingTokenProperties> {
    nonEmpty(token, 'token');
    checkOptions(options, VALIDATE_TOKEN_OPTIONS, 'validateMeetingToken');
    const query = options.ignoreNbf ? '?ignoreNbf=true' : '';
    return this.request<MeetingTokenProperties>('GET', `/meeting-tokens/${encodeURIComponent(token)}${query}`);
  }

  /** `POST /v1/rooms`. */
  createRoom(room: CreateRoomRequest = {}): Promise<DailyRoom> {
    return this.request<DailyRoom>('POST', '/rooms', room);
  }

  /** `GET /v1/rooms/:name`. */
  getRoom(name: string): Promise<DailyRoom> {
    return this.request<DailyRoom>('GET', roomPath(name));
  }

  /**
   * `POST /v1/rooms/:name` (Daily's "set room config"): changes `privacy` and/or the given
   * `properties`; properties left out stay as they are, `null` resets one to Daily's default.
   *
   * @example
   * ```ts
   * await daily.updateRoom('standup', { privacy: 'private', properties: { exp: nowSeconds + 3600 } });
   * ```
   */
  updateRoom(name: string, changes: UpdateRoomRequest): Promise<DailyRoom> {
    // the service checks the body and names what is wrong in a typed 400
    return this.request<DailyRoom>('POST', roomPath(name), changes);
  }

  /** `GET /v1/rooms`: one page of rooms, newest first (at most 100; see {@link listRoomPage} for paging). */
  async listRooms(options: ListRoomsOptions = {}): Promise<DailyRoom[]> {
    checkOptions(options, LIST_ROOMS_OPTIONS, 'listRooms');
    return (await this.listRoomPage(options)).data;
  }

  /**
   * `GET /v1/rooms` with paging: `{ total_count, data }`. Pass the last room's id as `starting_after`
   * for the next page. Bad values (limit outside 1–100, an unknown id, both cursors) reject with a
   * `DailyApiError` 400 from the service.
   *
   * @example
   * ```ts
   * const first = await daily.listRoomPage({ limit: 10 });
   * const next = await daily.listRoomPage({ limit: 10, starting_after: first.data.at(-1)?.id });
   * ```
   */
  async listRoomPage(options: ListRoomsOptions = {}): Promise<DailyRoomList> {
    checkOptions(options, LIST_ROOMS_OPTIONS, 'listRoomPage');
    // the service checks the values (1-100, known room ids, one cursor) and answers a typed 400
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(options)) if (v !== undefined) query.set(k, `${v}`);
    const res = await this.request<Partial<DailyRoomList>>('GET', `/rooms?${query}`);
    return { total_count: Number(res.total_count) || 0, data: Array.isArray(res.data) ? res.data : [] };
  }

  /** `DELETE /v1/rooms/:name`; a room that is already gone counts as deleted. */
  async deleteRoom(name: string): Promise<void> {
    try {
      await this.request('DELETE', roomPath(name));
    } catch (e) {
      if (!(e instanceof DailyApiError && e.status === 404)) throw e;
    }
  }
}

function checkOptions(options: object, known: ReadonlySet<string>, method: string): void {
  if (!isPlainObject(options)) throw new TypeError(`DailyRestClient.${method} options must be an object`);
  assertKnownOptions(options, known, `DailyRestClient.${method}`);
}

/** `v` as a path or query value: a non-empty string, or a TypeError naming `what`. */
function nonEmpty(v: string, what: string): string {
  if (typeof v !== 'string' || v === '') throw new TypeError(`${what} must be a non-empty string`);
  return v;
}
const roomPath = (name: string) => `/rooms/${encodeURIComponent(nonEmpty(name, 'room name'))}`;

/** Sends a request with retries (429, 5xx, network errors), backoff with full jitter and a timeout per attempt. */
// Positional, not an options object: the minifier shortens parameter names, not property names.
function sender(
  baseUrl: string,
  apiKey: string,
  timeoutMs: number,
  maxDelayMs: number,
  retries: number,
  fetch: FetchLike,
): Send {
  return async function send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = `${baseUrl}${path}`;
    for (let attempt = 0; ; attempt++) {
      let retryAfterMs: number | undefined;
      let error: DailyApiError;
      try {
        const res = await fetch(url, {
          method,
          headers: {
            Authorization: `Bearer ${apiKey}`,
            Accept: 'application/json',
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const text = await res.text();
        let json: unknown;
        try {
          json = text === '' ? {} : JSON.parse(text);
        } catch {
          json = undefined;
        }
        if (res.ok) {
          if (!isPlainObject(json))
            throw new DailyApiError(res.status, 'invalid-response', 'the reply is not a JSON object');
          return json as T;
        }
        const type =
          isPlainObject(json) && typeof json.error === 'string'
            ? json.error
            : res.status >= 500
              ? 'server-error'
              : 'http-error';
        const info =
          isPlainObject(json) && typeof json.info === 'string' ? json.info : `${res.status} ${res.statusText}`.trim();
        error = new DailyApiError(res.status, type, info);
        if (res.status !== 429 && res.status < 500) throw error;
        retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
      } catch (e) {
        if (e instanceof DailyApiError) {
          if (e.status !== 429 && e.status < 500) throw e;
          error = e;
        } else if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) {
          error = new DailyApiError(
            0,
            'timeout',
            `${method} ${path.split('/').slice(0, 2).join('/')} took longer than ${timeoutMs / 1000} s`,
          );
        } else {
          error = new DailyApiError(
            0,
            'network-error',
            `${method} ${baseUrl}: ${e instanceof Error ? e.message : String(e)}`,
          );
        }
      }
      if (attempt >= retries) throw error;
      // Full jitter: a random wait up to the exponential ceiling, unless the server named its own.
      const ceiling = Math.min(maxDelayMs, BASE_DELAY_MS * 2 ** attempt);
      const wait = retryAfterMs !== undefined ? Math.min(retryAfterMs, maxDelayMs) : Math.random() * ceiling;
      await new Promise((r) => setTimeout(r, wait));
    }
  };
}

/** `Retry-After` as seconds or an HTTP date → milliseconds. */
function parseRetryAfter(v: string | null): number | undefined {
  if (v === null) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
