/** The public shapes of the token endpoint: its options, hooks, answers. */
import type { MeetingTokenInput } from '../claims/types.js';
import type { Duration } from '../jwt/create.js';
import type { Secret } from '../jwt/hmac.js';
import type { DailyErrorType } from '../rest/error-types.js';

/** What the endpoint tells the hooks about the call, besides the request itself. */
export interface TokenRequestContext<Session> {
  /** The room the client asked for: a Daily room name (letters, digits, `-`, `_`), already checked. */
  room: string;
  /** What `authenticate` returned; `undefined` when there is no `authenticate` hook. */
  session: Session;
}

/** `true` lets the call through; `false` or `{ allowed: false, retryAfter }` answers 429. */
export type RateLimitVerdict = boolean | { allowed: boolean; retryAfter?: number };

/** The part of the endpoint that went wrong, as the `onError` hook is told. */
export type EndpointStage = 'authenticate' | 'rate-limit' | 'authorize' | 'mint';

/** A hook's answer, maybe asynchronous. */
export type Awaitable<T> = T | Promise<T>;

/**
 * Options of `createTokenEndpoint` (Web `Request`) and `createNodeTokenEndpoint` (Node `req`); `Req` is the
 * request type the hooks receive.
 */
export interface TokenEndpointOptions<Req, Session = undefined> {
  /** The domain's API key, the HS256 secret. Keep it in the server's environment. */
  apiKey: Secret;
  /** The domain's id (`domain_id` from `GET https://api.daily.co/v1/`). */
  domainId: string;
  /** Lifetime of each token unless `authorize` sets `exp`. Default 15 minutes. */
  expiresIn?: Duration;
  /** The longest lifetime the endpoint mints, even when `authorize` sets `exp`. Default 1 hour. */
  maxLifetime?: Duration;
  /**
   * Who is calling. Return the session (any value), or `null`/`undefined`/`false` to answer
   * 401 `authentication-error`. Without this hook every caller reaches `authorize`.
   */
  authenticate?: (request: Req) => Awaitable<Session | null | undefined | false>;
  /**
   * Your rule: the token properties (full names) for this caller in this room, or `null`/`undefined`/`false`
   * to answer 403 `forbidden-error`. `room_name` defaults to the requested room; `is_owner` is only ever
   * what you return.
   */
  authorize: (
    request: Req,
    context: TokenRequestContext<Session>,
  ) => Awaitable<MeetingTokenInput | null | undefined | false>;
  /** Per-user rate limit, asked after `authenticate` and before `authorize`; see `memoryRateLimit`. */
  rateLimit?: (request: Req, context: TokenRequestContext<Session>) => Awaitable<RateLimitVerdict>;
  /**
   * Origins browsers may call the endpoint from (`https://app.example.com`), or a function deciding. List
   * the app's own origin too when it is served under a DNS name: a same-origin call is recognised from the
   * Host header only for `localhost` and IP literals, because under DNS rebinding a page of `evil.example`
   * sends `Host: evil.example` with `Origin: http://evil.example`. Calls without an `Origin` header
   * (servers, native apps) are not browser calls and pass.
   */
  allowedOrigins?: readonly string[] | ((origin: string) => boolean);
  /** Largest request body accepted, in bytes. Default 1024 (the body is `{"room": "…"}`). */
  maxBodyBytes?: number;
  /** The domain is HIPAA-enabled: tokens whose `user_id` is not a UUID are refused as lint errors would be. */
  hipaa?: boolean;
  /**
   * Told whatever made the endpoint answer 500 (a hook that threw, a token that failed its checks); the
   * client only ever sees `{"error":"server-error"}`. Default: `console.error`.
   */
  onError?: (error: unknown, details: { stage: EndpointStage; request: Req }) => void;
}

/** The body of a successful answer. */
export interface TokenEndpointSuccess {
  token: string;
  /** The token's `exp`, unix seconds. */
  expires_at: number;
  room_name: string;
}

/** The body of a refusal, in Daily's `{error, info}` shape. */
export interface TokenEndpointRefusal {
  error: Exclude<DailyErrorType, 'authorization-header-error' | 'not-found'>;
  info: string;
}
