/**
 * The fast path: the two hot routes, `POST /v1/meeting-tokens` and `GET /v1/meeting-tokens/:token`, answered
 * straight off node:http for the requests that need nothing else of Fastify: a key already in the key cache, a
 * plain URL (no query string, no percent-escapes), a JSON body with a Content-Length. Fastify's router, hook chain and
 * reply object cost more than minting a token (docs/PERFORMANCE.md), so these requests skip them.
 *
 * There is no second copy of the service's logic here: authentication (the key cache, `authenticate`), the
 * rate limit (`keyLimit`), body reading (`parseJsonBody`, `readTokenRequest`), minting and validating
 * (`MeetingTokenOps`), the error shape (`errorReply`), the reply headers, the metrics (`replyCounter`) and the
 * log line (`requestLogger`) are the functions the Fastify app calls. Anything else — a missing or
 * malformed Authorization header, a key the cache does not hold (unknown, inactive, or not loaded yet), a
 * query string, a chunked body, a draining service — is handed to Fastify untouched (nothing read yet), which
 * answers as it always has. test/hot-path.test.ts sends the same requests down both paths and compares.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_TOKEN_LENGTH } from 'daily-tokens';
import type { FastifyBaseLogger } from 'fastify';
import type { ResolvedKey } from '../cache/key-cache.js';
import type { RequestOutcome } from '../logging/request-log.js';
import type { ReplyCounter } from '../metrics/replies.js';
import { authenticate, bearerOrUndefined, keyLimit } from '../service/auth.js';
import type { AppContext } from '../service/context.js';
import { type MeetingTokenOps, readTokenRequest } from '../service/meeting-tokens.js';
import { EMULATOR_HEADER, EMULATOR_HEADER_VALUE } from '../version.js';
import { BODY_LIMIT, parseJsonBody } from './body.js';
import { MAX_PARAM_LENGTH } from './client-errors.js';
import { errorReply } from './error-reply.js';

/** The route patterns Fastify names these routes by (metrics labels, log lines). */
export const MINT_ROUTE = '/v1/meeting-tokens';
export const VALIDATE_ROUTE = '/v1/meeting-tokens/:meeting_token';
const VALIDATE_PREFIX = '/v1/meeting-tokens/';
/** What a token in a path can hold without decoding: base64url and dots. */
const PLAIN_TOKEN = /^[A-Za-z0-9_.-]+$/;
const MAX_PLAIN_TOKEN = Math.min(MAX_TOKEN_LENGTH, MAX_PARAM_LENGTH);
const JSON_TYPE = 'application/json; charset=utf-8';
/**
 * A Content-Type Fastify reads a body under: `type/subtype` of token characters, parameters after a `;`
 * (its lib/content-type.js). Anything else Fastify refuses before reading the body, so it goes there.
 */
const MEDIA_TYPE = /^\s*[\w!#$%&'*+.^`|~-]+\/[\w!#$%&'*+.^`|~-]+\s*(?:;|$)/;

type HotRoute = typeof MINT_ROUTE | typeof VALIDATE_ROUTE;

/** One request on the fast path: what every step needs to answer it, log it and count it. */
interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly route: HotRoute;
  /** `performance.now()` when the fast path took the request. */
  readonly started: number;
  readonly reqId: string;
}

export interface FastPathDeps {
  ctx: AppContext;
  ops: MeetingTokenOps;
  log: FastifyBaseLogger;
  /** The request id, from the generator Fastify uses too. */
  nextRequestId: () => string;
  countReply: ReplyCounter;
  logRequest: ((o: RequestOutcome) => void) | undefined;
  onOutage: () => void;
}

/** Returns a request listener that answers a hot request and returns true, or returns false having touched nothing. */
export function fastPath(deps: FastPathDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { ctx, ops, log, nextRequestId, countReply, logRequest, onOutage } = deps;
  // the series of the usual answer of each route, found once
  const ok = {
    [MINT_ROUTE]: countReply.series('POST', MINT_ROUTE, 200),
    [VALIDATE_ROUTE]: countReply.series('GET', VALIDATE_ROUTE, 200),
  };
  const served = {
    [MINT_ROUTE]: ctx.metrics.counterFor('daily_tokens_fast_path_requests_total', { route: MINT_ROUTE }),
    [VALIDATE_ROUTE]: ctx.metrics.counterFor('daily_tokens_fast_path_requests_total', { route: VALIDATE_ROUTE }),
  };

  /** The cached, active key of a well-formed header's key; undefined sends the request to Fastify. */
  const cachedKey = (apiKey: string): ResolvedKey | undefined => {
    const auth = ctx.keys.cached(apiKey);
    return auth?.active ? auth : undefined;
  };

  const finish = (
    x: Exchange,
    auth: ResolvedKey | null,
    status: number,
    payload: string,
    headers: Record<string, string> | undefined,
    lint: RequestOutcome['lint'],
  ): void => {
    // the headers Fastify's reply and the app's onSend hook give every API reply, as the flat list Node
    // takes without building (and walking) an object per reply
    const out = [
      'content-type',
      JSON_TYPE,
      EMULATOR_HEADER,
      EMULATOR_HEADER_VALUE,
      'cache-control',
      'no-store',
      'x-content-type-options',
      'nosniff',
    ];
    if (headers) for (const name in headers) out.push(name, headers[name] as string);
    out.push('content-length', String(Buffer.byteLength(payload)));
    if (ctx.state.shuttingDown && headers?.connection === undefined) out.push('connection', 'close');
    const { req, res, route, reqId } = x;
    res.writeHead(status, out);
    res.end(payload);
    const elapsedMs = performance.now() - x.started;
    const method = req.method as string;
    if (status === 200) ok[route].count(elapsedMs / 1000);
    else countReply(method, route, status, elapsedMs / 1000);
    served[route].inc();
    logRequest?.({ reqId, method, route, url: req.url as string, status, elapsedMs, auth, lint });
  };

  const fail = (x: Exchange, auth: ResolvedKey | null, error: unknown, close = false): void => {
    const r = errorReply(error, log.child({ reqId: x.reqId }), onOutage);
    const headers = close ? { ...r.headers, connection: 'close' } : r.headers;
    finish(x, auth, r.status, JSON.stringify(r.body), headers, null);
  };

  /**
   * Runs `next` once the key's rate limit allows it; a refusal (or a limiter fault) is the answer instead.
   *
   * An allowed request is answered in the event loop's check phase (`setImmediate`), not at once: the poll
   * phase first reads every request that is ready, then they are minted or validated and written one after
   * another. Interleaving each answer with the reading of the next request costs far more CPU per request
   * under load (docs/PERFORMANCE.md); an idle
   * server loses nothing, as the check phase follows the poll phase in the same loop turn. The Redis limiter
   * answers through a promise, which batches requests the same way.
   */
  const whenAllowed = (x: Exchange, auth: ResolvedKey, next: () => void): void => {
    try {
      const limited = keyLimit(ctx, auth, undefined);
      if (limited) {
        limited.then(next, (e: unknown) => fail(x, auth, e));
        return;
      }
    } catch (e) {
      fail(x, auth, e);
      return;
    }
    setImmediate(next);
  };

  const mint = (x: Exchange, auth: ResolvedKey, body: unknown): void => {
    try {
      const { token, lint } = ops.mint(auth, readTokenRequest(body));
      // a token is base64url and dots: nothing in it needs escaping
      finish(x, auth, 200, `{"token":"${token}"}`, undefined, lint);
    } catch (e) {
      fail(x, auth, e);
    }
  };

  const validate = (x: Exchange, auth: ResolvedKey, token: string): void => {
    try {
      // no query string here, so no room: verify answers synchronously
      const result = ops.verify(auth, token, false) as Awaited<ReturnType<MeetingTokenOps['verify']>>;
      if (!result.valid) throw ops.refusal(result, token);
      finish(x, auth, 200, JSON.stringify(result.properties ?? {}), undefined, null);
    } catch (e) {
      fail(x, auth, e);
    }
  };

  const exchange = (req: IncomingMessage, res: ServerResponse, route: HotRoute): Exchange => ({
    req,
    res,
    route,
    started: performance.now(),
    reqId: nextRequestId(),
  });

  /**
   * Whether a client over its failed-login budget may be sending this: then Fastify answers (the 429, before
   * any key is compared). Behind a trusted proxy the client is in X-Forwarded-For, which Fastify reads.
   */
  const maybeThrottled = (req: IncomingMessage): boolean =>
    ctx.throttle.any &&
    (ctx.config.trustProxy !== false || ctx.throttle.refusal(req.socket.remoteAddress) !== undefined);

  return (req, res) => {
    if (ctx.state.shuttingDown) return false;
    if (maybeThrottled(req)) return false;
    const url = req.url as string;
    const method = req.method;
    if (method === 'POST') {
      if (url !== MINT_ROUTE) return false;
      const headers = req.headers;
      const length = headers['content-length'];
      const type = headers['content-type'];
      if (length === undefined || headers['transfer-encoding'] !== undefined || type === undefined) return false;
      if (!MEDIA_TYPE.test(type)) return false;
      const n = Number(length);
      if (!(n > 0 && n <= BODY_LIMIT)) return false;
      // a key Fastify would have to look up goes there; the key is checked again once the body is in
      const apiKey = bearerOrUndefined(headers.authorization);
      if (apiKey === undefined || !cachedKey(apiKey)) return false;
      const x = exchange(req, res, MINT_ROUTE);
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      // a client gone mid-body gets no answer (nor does Fastify give one)
      req.on('error', () => {});
      req.on('end', () => {
        // the order of Fastify's path: the body is read and parsed, then the limit, then the properties
        let body: unknown;
        try {
          body = parseJsonBody((chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)).toString('utf8'));
        } catch (e) {
          // Fastify parses the body before its auth hook runs: its line names no caller, nor does this one; and
          // it closes the connection after a body it could not parse
          fail(x, null, e, true);
          return;
        }
        // Fastify authenticates once the body is in, so a key deactivated or rotated while it arrived counts
        // here too: the key is looked up again (a cleared or expired entry is read from the store)
        const current = cachedKey(apiKey);
        if (current) {
          whenAllowed(x, current, () => mint(x, current, body));
          return;
        }
        // (the failed-login subject matters only if a cached key's row is gone from the store: no API does that)
        authenticate(ctx, apiKey, req.socket.remoteAddress).then(
          (resolved) => whenAllowed(x, resolved, () => mint(x, resolved, body)),
          (e: unknown) => fail(x, null, e),
        );
      });
      return true;
    }
    if (method === 'GET') {
      if (!url.startsWith(VALIDATE_PREFIX)) return false;
      const token = url.slice(VALIDATE_PREFIX.length);
      if (token.length === 0 || token.length > MAX_PLAIN_TOKEN || !PLAIN_TOKEN.test(token)) return false;
      const headers = req.headers;
      if (headers['transfer-encoding'] !== undefined || (headers['content-length'] ?? '0') !== '0') return false;
      const apiKey = bearerOrUndefined(headers.authorization);
      const auth = apiKey === undefined ? undefined : cachedKey(apiKey);
      if (!auth) return false;
      const x = exchange(req, res, VALIDATE_ROUTE);
      whenAllowed(x, auth, () => validate(x, auth, token));
      return true;
    }
    return false;
  };
}
