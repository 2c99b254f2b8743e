/** The token endpoint as a Web-standard handler: `Request` in, `Response` out, on every runtime that has them. */
import { type BodyRead, type EndpointCall, handleTokenCall } from './engine.js';
import { prepareEndpoint } from './options.js';
import type { TokenEndpointOptions } from './types.js';

/** A Web-standard handler; extra arguments (Next.js's context, a Worker's `env`) are ignored. */
export type TokenEndpointHandler = (request: Request, ...rest: unknown[]) => Promise<Response>;

/** Reads a stream up to `limit` bytes, cancelling it past that. */
async function readLimited(stream: ReadableStream<Uint8Array> | null, limit: number): Promise<BodyRead> {
  if (stream === null) return { bytes: new Uint8Array(0) };
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      reader.cancel().catch(() => {});
      return 'too-large';
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return { bytes: chunks[0] as Uint8Array };
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { bytes };
}

function webCall(request: Request): EndpointCall<Request> {
  const { headers } = request;
  return {
    method: request.method,
    header: (name) => headers.get(name),
    selfOrigin() {
      try {
        return new URL(request.url).origin;
      } catch {
        return undefined;
      }
    },
    readBody: (limit) => readLimited(request.body, limit),
    request,
  };
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
  return async (request) => {
    const { status, headers, body } = await handleTokenCall(webCall(request), config);
    return new Response(status === 204 ? null : body, { status, headers });
  };
}
