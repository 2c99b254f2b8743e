/**
 * What the token endpoint does with one call, whatever the server: method, origin, body, session, rate
 * limit, your rule, mint. The Web (`Request` → `Response`) and Node (`req`, `res`) front ends only translate.
 */
import type { MeetingTokenInput } from '../claims/types.js';
import { lintMinted } from '../lint/lint.js';
import type { RuleId } from '../lint/rules.js';
import { ROOM_NAME_MAX_LENGTH, ROOM_NAME_PATTERN } from '../rooms/limits.js';
import { MeetingTokenError } from '../util/errors.js';
import { isPlainObject, ownProperty, show } from '../util/object.js';
import { nowSeconds } from '../util/time.js';
import type { MintedToken } from '../jwt/create.js';
import type { EndpointConfig } from './options.js';
import type {
  Awaitable,
  EndpointStage,
  RateLimitVerdict,
  TokenEndpointRefusal,
  TokenEndpointSuccess,
} from './types.js';

/** Daily's rule for room names, from the one place that states it. */
const ROOM_NAME = new RegExp(ROOM_NAME_PATTERN);

/**
 * What reading a body gave: its text (decoded as UTF-8, bad bytes as U+FFFD), an already parsed value
 * (Express's `req.body`), too many bytes, or a read that failed. A failed read is a value, not a
 * rejection, so the engine waits on the reader's own promise and wraps none around it.
 */
export type BodyRead = { text: string } | { parsed: unknown } | 'too-large' | 'unreadable';

/** One call as the engine sees it; each front end makes these from its own request type. */
export interface EndpointCall<Req> {
  readonly method: string;
  /** A request header (lower-case name), or null. */
  header(name: string): string | null;
  /** The origin the request was addressed to (`https://app.example.com`), for the same-origin check. */
  selfOrigin(): string | undefined;
  /**
   * Reads the body, giving up (with `'too-large'`) past `limit` bytes; `length` is its Content-Length.
   * Never rejects: a failed read is `'unreadable'`.
   */
  readBody(limit: number, length: string | null): Promise<BodyRead>;
  /** The request as the hooks receive it. */
  readonly request: Req;
}

/**
 * An answer: status, headers (lower-case names), body text. The headers may be `BASE_HEADERS` itself,
 * shared by every plain answer, so front ends read them and never change them.
 */
export interface EndpointAnswer {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: string;
}

const ALLOW = 'POST, OPTIONS';
/** How long a browser may cache a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE = '600';
/** Header names a preflight may ask for (the reflection of `Access-Control-Request-Headers`). */
const HEADER_LIST = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(?:\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$/;
const MAX_HEADER_LIST = 512;

const SERVER_ERROR_INFO = 'the token could not be made; the server log has the details';

/** The headers of every answer; one frozen object, so a front end can prepare its own form of it once. */
export const BASE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  vary: 'Origin',
});

const baseHeaders = (): Record<string, string> => ({ ...BASE_HEADERS });

/** Who the answer goes to: the CORS headers a cross-origin caller needs to read it, when it is allowed. */
interface Audience {
  crossOrigin?: string;
}

function answer(
  status: number,
  body: TokenEndpointSuccess | TokenEndpointRefusal | null,
  audience: Audience,
): EndpointAnswer {
  let headers = BASE_HEADERS;
  if (audience.crossOrigin !== undefined) {
    headers = {
      ...BASE_HEADERS,
      'access-control-allow-origin': audience.crossOrigin,
      'access-control-allow-credentials': 'true',
    };
  }
  return { status, headers, body: body === null ? '' : JSON.stringify(body) };
}

/** The success answer, written directly: the token is base64url and the expiry a number, so only the room needs escaping. */
function success(token: string, expiresAt: number, roomName: string, audience: Audience): EndpointAnswer {
  const a = answer(200, null, audience);
  a.body = `{"token":"${token}","expires_at":${expiresAt},"room_name":${JSON.stringify(roomName)}}`;
  return a;
}

const refuse = (
  status: number,
  error: TokenEndpointRefusal['error'],
  info: string,
  audience: Audience = {},
  extra?: Record<string, string>,
): EndpointAnswer => {
  const a = answer(status, { error, info }, audience);
  if (extra) a.headers = { ...a.headers, ...extra };
  return a;
};

/** Thrown inside the engine to stop with a prepared answer. */
class Stop {
  constructor(readonly answer: EndpointAnswer) {}
}

/** The origin verdict: a same-origin or non-browser call, an allowed cross-origin call, or a refusal. */
function checkOrigin<Req>(call: EndpointCall<Req>, config: EndpointConfig<Req, unknown>): Audience | EndpointAnswer {
  const origin = call.header('origin');
  if (origin === null) {
    // No Origin: not a browser's POST (browsers always send one), unless Fetch Metadata says otherwise.
    const site = call.header('sec-fetch-site');
    if (site === 'cross-site' || site === 'same-site') {
      return refuse(403, 'forbidden-error', 'cross-site browser calls must carry an Origin header');
    }
    return {};
  }
  if (origin !== 'null' && config.isAllowedOrigin(origin)) {
    return origin === call.selfOrigin() ? {} : { crossOrigin: origin };
  }
  // Same origin by the Host header alone only for hosts no DNS answer can stand for: under DNS rebinding a
  // page of evil.example reaches this server as Host: evil.example with Origin: http://evil.example, which
  // agree. An IP literal or localhost in Host means the page really was loaded from it.
  if (origin === call.selfOrigin() && unrebindable(origin)) return {};
  return refuse(
    403,
    'forbidden-error',
    `origin ${show(origin, 100)} may not ask for tokens; list your app's origins in allowedOrigins (your own too: a Host header cannot prove it)`,
  );
}

/** An origin whose host is an IP literal or `localhost` (names no DNS answer can point elsewhere). */
function unrebindable(origin: string): boolean {
  const host = origin.slice(origin.indexOf('//') + 2).replace(/:\d+$/, '');
  return host === 'localhost' || host.startsWith('[') || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host);
}

function preflight<Req>(call: EndpointCall<Req>, config: EndpointConfig<Req, unknown>): EndpointAnswer {
  const method = call.header('access-control-request-method');
  if (call.header('origin') === null || method === null) {
    // A plain OPTIONS: say what the endpoint takes.
    const headers = baseHeaders();
    headers.allow = ALLOW;
    return { status: 204, headers, body: '' };
  }
  const verdict = checkOrigin(call, config);
  if ('status' in verdict) return verdict;
  if (method !== 'POST') {
    return refuse(
      405,
      'invalid-request-error',
      `the token endpoint takes POST, not ${show(method, 20)}`,
      {},
      { allow: ALLOW },
    );
  }
  const headers = baseHeaders();
  headers.vary = 'Origin, Access-Control-Request-Headers';
  headers['access-control-allow-origin'] = call.header('origin') as string;
  headers['access-control-allow-credentials'] = 'true';
  headers['access-control-allow-methods'] = 'POST';
  headers['access-control-max-age'] = PREFLIGHT_MAX_AGE;
  const asked = call.header('access-control-request-headers');
  if (asked !== null && asked.length <= MAX_HEADER_LIST && HEADER_LIST.test(asked.trim())) {
    headers['access-control-allow-headers'] = asked.trim();
  }
  return { status: 204, headers, body: '' };
}

const JSON_TYPE = /^application\/json\s*(?:;|$)/i;
const BODY_HELP = 'send the JSON body {"room": "<room name>"}';

const tooLarge = (config: { readonly maxBodyBytes: number }, audience: Audience) =>
  new Stop(
    refuse(413, 'invalid-request-error', `the body is over ${config.maxBodyBytes} bytes; ${BODY_HELP}`, audience),
  );

/**
 * Reads the body, after refusing what its headers already rule out (not JSON, too long). Kept apart from
 * `roomOf` and not async itself, so the call waits on the reader's promise alone, not one per layer.
 */
function readBody<Req>(
  call: EndpointCall<Req>,
  config: EndpointConfig<Req, unknown>,
  audience: Audience,
): Promise<BodyRead> {
  const type = call.header('content-type');
  // The plain spelling first: nearly every client sends it, and it needs no regex.
  if (type !== 'application/json' && (type === null || !JSON_TYPE.test(type))) {
    throw new Stop(
      refuse(415, 'invalid-request-error', `Content-Type must be application/json; ${BODY_HELP}`, audience),
    );
  }
  const length = call.header('content-length');
  if (length !== null && Number(length) > config.maxBodyBytes) throw tooLarge(config, audience);
  try {
    return call.readBody(config.maxBodyBytes, length);
  } catch {
    throw unreadable(audience);
  }
}

const unreadable = (audience: Audience) =>
  new Stop(refuse(400, 'invalid-request-error', `the body could not be read; ${BODY_HELP}`, audience));

/** The room from the body, or a refusal: only `room` is read from the client, and nothing else is accepted. */
function roomOf<Req>(read: BodyRead, config: EndpointConfig<Req, unknown>, audience: Audience): string {
  if (read === 'too-large') throw tooLarge(config, audience);
  if (read === 'unreadable') throw unreadable(audience);
  let body: unknown;
  if ('parsed' in read) {
    body = read.parsed;
  } else {
    // U+FFFD is how the readers mark bytes that are not UTF-8; an accepted body never holds one (room names
    // are ASCII, and no other key is accepted), so seeing one is as good as a strict decoder's verdict.
    try {
      if (read.text.includes('\uFFFD')) throw new SyntaxError('not UTF-8');
      // Leading byte-order marks are ignored. Request.text() drops one and Buffer none, so ignoring all of
      // them here is what makes the Web and Node front ends answer every body alike.
      body = JSON.parse(read.text.charCodeAt(0) === 0xfeff ? withoutBoms(read.text) : read.text);
    } catch {
      throw new Stop(refuse(400, 'json-parsing-error', `the body is not valid UTF-8 JSON; ${BODY_HELP}`, audience));
    }
  }
  if (!isPlainObject(body)) {
    throw new Stop(refuse(400, 'invalid-request-error', `the body must be a JSON object; ${BODY_HELP}`, audience));
  }
  if (hasOtherKeys(body)) {
    const extra = Object.keys(body).filter((k) => k !== 'room');
    throw new Stop(
      refuse(
        400,
        'invalid-request-error',
        `the body may only hold "room" (the server decides everything else), not ${extra
          .slice(0, 5)
          .map((k) => show(k, 40))
          .join(', ')}`,
        audience,
      ),
    );
  }
  const room = body.room;
  if (typeof room !== 'string' || !ROOM_NAME.test(room)) {
    throw new Stop(
      refuse(
        400,
        'invalid-request-error',
        room === undefined
          ? `room is missing; ${BODY_HELP}`
          : `room must be a Daily room name (1-${ROOM_NAME_MAX_LENGTH} letters, digits, - or _), got ${show(room, 40)}`,
        audience,
      ),
    );
  }
  return room;
}

/** `text` without its leading U+FEFF characters. */
function withoutBoms(text: string): string {
  let i = 0;
  while (text.charCodeAt(i) === 0xfeff) i++;
  return text.slice(i);
}

/** Whether an object has an own key other than `room`, without making a list of its keys. */
function hasOtherKeys(body: Record<string, unknown>): boolean {
  for (const key in body) if (key !== 'room' && ownProperty.call(body, key)) return true;
  return false;
}

/** A promise or any other thenable (what `await` would wait for); a hook may return either. */
export const isThenable = <T>(value: T | PromiseLike<T>): value is PromiseLike<T> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';

/**
 * A hook's pending answer; a rejection is logged and answered 500, as a throw is. Hooks are called in
 * place (no closure per call), and only what is pending is awaited: each await costs a turn of the
 * microtask queue, several per call on the hot path.
 */
function settle<Req, T>(
  result: PromiseLike<T>,
  config: EndpointConfig<Req, unknown>,
  stage: EndpointStage,
  request: Req,
  audience: Audience,
): Promise<T> {
  return Promise.resolve(result).catch((error: unknown) => {
    throw failure(config, stage, request, audience, error);
  });
}

function failure<Req>(
  config: EndpointConfig<Req, unknown>,
  stage: EndpointStage,
  request: Req,
  audience: Audience,
  error: unknown,
): Stop {
  try {
    config.onError(error, { stage, request });
  } catch {
    // A failing logger must not turn a clean 500 into a crash.
  }
  return new Stop(refuse(500, 'server-error', SERVER_ERROR_INFO, audience));
}

/** Lint rules that refuse a token here although they only warn elsewhere: the endpoint's policy is stricter. */
const REFUSING_WARNINGS = new Set<RuleId>(['long-lifetime']);

/** Lints what the signer minted, refusing as the endpoint's policy says, and answers with the token. */
function checked<Req>(
  config: EndpointConfig<Req, unknown>,
  minted: MintedToken,
  now: number,
  audience: Audience,
): EndpointAnswer {
  const findings = lintMinted(minted, { now, hipaa: config.hipaa, maxLifetime: config.maxLifetime });
  if (findings.length > 0) {
    const refusals = findings.filter(
      (f) => f.severity === 'error' || REFUSING_WARNINGS.has(f.rule) || (config.hipaa && f.rule === 'user-id-not-uuid'),
    );
    if (refusals.length > 0) {
      const lines = refusals.map((f) => `  - ${f.rule}: ${f.message}`).join('\n');
      throw new MeetingTokenError(
        'invalid-properties',
        `authorize returned properties whose token fails its checks:\n${lines}`,
        refusals.map((f) => ({ path: f.claim ?? '', message: f.message, severity: 'error' as const })),
      );
    }
  }
  const { claims } = minted;
  return success(minted.token, claims.exp as number, claims.r as string, audience);
}

/** Mints and checks the token; synchronously on node:crypto, where the signer can. */
function mint<Req>(
  config: EndpointConfig<Req, unknown>,
  properties: MeetingTokenInput,
  room: string,
  request: Req,
  audience: Audience,
): EndpointAnswer | Promise<EndpointAnswer> {
  const withRoom: MeetingTokenInput =
    properties.room_name === undefined ? { ...properties, room_name: room } : properties;
  const now = nowSeconds(undefined);
  const options = { now };
  try {
    if (config.syncSigner) return checked(config, config.signer.mintSync(withRoom, options), now, audience);
    return config.signer
      .mint(withRoom, options)
      .then((minted) => checked(config, minted, now, audience))
      .catch((error: unknown) => {
        throw failure(config, 'mint', request, audience, error);
      });
  } catch (error) {
    throw failure(config, 'mint', request, audience, error);
  }
}

/** Answers one call. Never throws: every outcome is an answer. */
export async function handleTokenCall<Req, Session>(
  call: EndpointCall<Req>,
  config: EndpointConfig<Req, Session>,
): Promise<EndpointAnswer> {
  const c = config as EndpointConfig<Req, unknown>;
  try {
    if (call.method === 'OPTIONS') return preflight(call, c);
    if (call.method !== 'POST') {
      return refuse(
        405,
        'invalid-request-error',
        `the token endpoint takes POST, not ${show(call.method, 20)}`,
        {},
        {
          allow: ALLOW,
        },
      );
    }
    const verdict = checkOrigin(call, c);
    if ('status' in verdict) return verdict;
    const audience = verdict;
    const room = roomOf(await readBody(call, c, audience), c, audience);
    const { request } = call;

    let session: Session = undefined as Session;
    const { authenticate } = config;
    if (authenticate !== undefined) {
      let found: Awaitable<Session | null | undefined | false>;
      try {
        found = authenticate(request);
      } catch (error) {
        throw failure(c, 'authenticate', request, audience, error);
      }
      if (isThenable(found)) found = await settle(found, c, 'authenticate', request, audience);
      if (found === null || found === undefined || found === false) {
        return refuse(401, 'authentication-error', 'sign in first: this call has no valid session', audience);
      }
      session = found as Session;
    }
    const context = { room, session };

    const { rateLimit } = config;
    if (rateLimit !== undefined) {
      let limit: Awaitable<RateLimitVerdict>;
      try {
        limit = rateLimit(request, context);
      } catch (error) {
        throw failure(c, 'rate-limit', request, audience, error);
      }
      if (isThenable(limit)) limit = await settle(limit, c, 'rate-limit', request, audience);
      const allowed = typeof limit === 'boolean' ? limit : isPlainObject(limit) && limit.allowed === true;
      if (!allowed) {
        const retryAfter = isPlainObject(limit) && typeof limit.retryAfter === 'number' ? limit.retryAfter : 1;
        const seconds = String(Math.max(1, Math.ceil(retryAfter)));
        return refuse(429, 'rate-limit-error', `too many token requests; retry in ${seconds} s`, audience, {
          'retry-after': seconds,
        });
      }
    }

    let grant: Awaitable<MeetingTokenInput | null | undefined | false>;
    try {
      grant = config.authorize(request, context);
    } catch (error) {
      throw failure(c, 'authorize', request, audience, error);
    }
    if (isThenable(grant)) grant = await settle(grant, c, 'authorize', request, audience);
    if (grant === null || grant === undefined || grant === false) {
      return refuse(403, 'forbidden-error', `you may not join room ${room}`, audience);
    }
    if (!isPlainObject(grant)) {
      throw failure(
        c,
        'authorize',
        request,
        audience,
        new TypeError(`authorize must return token properties or null, got ${show(grant)}`),
      );
    }
    const minted = mint(c, grant as MeetingTokenInput, room, request, audience);
    return isThenable(minted) ? await minted : minted;
  } catch (error) {
    if (error instanceof Stop) return error.answer;
    // Only a bug in a front end's reader gets here; it is still no stack trace for the client.
    return failure(c, 'mint', call.request, {}, error).answer;
  }
}
