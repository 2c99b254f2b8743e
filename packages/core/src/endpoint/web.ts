/** The token endpoint as a Web-standard handler: `Request` in, `Response` out, on every runtime that has them. */
import { BASE_HEADERS, type BodyRead, type EndpointAnswer, type EndpointCall, handleTokenCall } from './engine.js';
import { prepareEndpoint } from './options.js';
import type { TokenEndpointOptions } from './types.js';

/** A Web-standard handler; extra arguments (Next.js's context, a Worker's `env`) are ignored. */
export type TokenEndpointHandler = (request: Request, ...rest: unknown[]) => Promise<Response>;

const UNREADABLE = (): BodyRead => 'unreadable';

/**
 * Reads the body up to `limit` bytes. With a Content-Length the server has already bounded the body, so
 * `text()` (faster than a stream reader in Bun and Deno) is safe; a chunked body is read piece by
 * piece and cancelled past the limit.
 */
function readLimited(request: Request, limit: number, length: string | null): Promise<BodyRead> {
  if (length === null) return readStream(request, limit).catch(UNREADABLE);
  // Not through request.body: in Bun, merely asking for it makes a ReadableStream. Only a Request made
  // in process can carry a Content-Length its body does not match, hence the length check.
  return request.text().then((text) => (text.length > limit ? 'too-large' : { text }), UNREADABLE);
}

async function readStream(request: Request, limit: number): Promise<BodyRead> {
  const stream = request.body;
  if (stream === null) return { text: '' };
  const reader = stream.getReader();
  // BOMs are kept; the engine ignores leading ones
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let text = '';
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      reader.cancel().catch(() => {});
      return 'too-large';
    }
    text += decoder.decode(value, { stream: true });
  }
  return { text: text + decoder.decode() };
}

/** `scheme://host[:port]` of a URL as runtimes normalise `request.url`, without parsing it again. */
function originOf(url: string): string | undefined {
  const slash = url.indexOf('/', url.indexOf('//') + 2);
  if (slash > 0) return url.slice(0, slash);
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** One call; a class, so a call is one object, not one plus a closure per method. */
class WebCall implements EndpointCall<Request> {
  readonly method: string;
  readonly headers: Headers;
  constructor(readonly request: Request) {
    this.method = request.method;
    this.headers = request.headers;
  }
  header(name: string): string | null {
    return this.headers.get(name);
  }
  selfOrigin(): string | undefined {
    return originOf(this.request.url);
  }
  readBody(limit: number, length: string | null): Promise<BodyRead> {
    return readLimited(this.request, limit, length);
  }
}

/**
 * `BASE_HEADERS` as a `Headers`, made once: a Response copies a `Headers` in a fraction of the time it
 * takes to read a plain object (Bun), and most answers carry just these.
 */
let baseHeaders: Headers | undefined;
function headersOf(headers: Readonly<Record<string, string>>): HeadersInit {
  if (headers !== BASE_HEADERS) return headers;
  baseHeaders ??= new Headers(BASE_HEADERS);
  return baseHeaders;
}

function toResponse({ status, headers, body }: EndpointAnswer): Response {
  return new Response(status === 204 ? null : body, { status, headers: headersOf(headers) });
}

/**
 * Makes a token endpoint for your app: a Web-standard `(Request) => Promise<Response>` handler for Next.js
 * route handlers, Hono, Cloudflare Workers, Bun.serve and Deno.serve. It takes `POST` with the JSON body
 * `{"room": "…"}` and answers `{ token, expires_at, room_name }`, or a refusal `{ error, info }` (400, 401,
 * 403, 405, 413, 415, 429; 500 with nothing leaked when a hook throws). Tokens are room-scoped, expire
 * after 15 minutes unless configured, pass the lint checks, and carry only what `authorize` returns.
 * Browser calls from another origin are refused unless listed in `allowedOrigins`. Options are checked
 * here: a mistake throws `TypeError`.
 *
 * @example
 * ```ts
 * // app/api/daily-token/route.ts
 * import { createTokenEndpoint } from 'daily-tokens/endpoint';
 * export const POST = createTokenEndpoint({
 *   apiKey: process.env.DAILY_API_KEY!, domainId: process.env.DAILY_DOMAIN_ID!,
 *   authenticate: (request) => getSession(request),   // null → 401
 *   authorize: (request, { room, session }) =>          // null → 403
 *     session.rooms.includes(room) ? { user_name: session.name, user_id: session.id } : null,
 * });
 * ```
 */
export function createTokenEndpoint<Session = undefined>(
  options: TokenEndpointOptions<Request, Session>,
): TokenEndpointHandler {
  const config = prepareEndpoint(options, 'createTokenEndpoint');
  // Not an async function: the answer's promise is the engine's, with no second one wrapped around it.
  return (request) => {
    if (typeof (request as Partial<Request> | null)?.headers?.get !== 'function') {
      // The usual slip is handing over a framework's context instead of its Request.
      return Promise.reject(new TypeError('the token endpoint takes a Web Request (in Hono: tokens(c.req.raw))'));
    }
    return handleTokenCall(new WebCall(request), config).then(toResponse);
  };
}
