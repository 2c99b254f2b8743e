/**
 * The token endpoint for Node's `(req, res)`: node:http, Express, Fastify's raw request. Typed
 * structurally, so the library imports nothing from Node and needs no @types/node.
 */
import { BASE_HEADERS, type BodyRead, type EndpointCall, handleTokenCall } from './engine.js';
import { ENDPOINT_KEYS, prepareEndpoint } from './options.js';
import { optionNames } from '../util/options.js';
import type { TokenEndpointOptions } from './types.js';

/** What the adapter reads of a Node `IncomingMessage` (an Express `Request` is one). */
export interface NodeRequestLike {
  method?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  /** A `net.Socket`, or a `tls.TLSSocket` whose `encrypted` is true. */
  socket?: unknown;
  /** Set by body-parsing middleware (`express.json()`); then the adapter does not read the stream. */
  body?: unknown;
  /** True once the stream was read to its end (by a middleware that kept nothing): no 'end' will come. */
  readableEnded?: boolean;
  on(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** What the adapter uses of a Node `ServerResponse`. */
export interface NodeResponseLike {
  /** Called with headers as a flat `[name, value, …]` list, which Node stores without re-checking each. */
  writeHead(status: number, headers: string[]): unknown;
  end(body?: string): unknown;
  readonly headersSent?: boolean;
}

export interface NodeTokenEndpointOptions<Req extends NodeRequestLike, Session>
  extends TokenEndpointOptions<Req, Session> {
  /**
   * Behind a reverse proxy that terminates TLS or rewrites the host, take the endpoint's own origin from
   * `X-Forwarded-Proto` and `X-Forwarded-Host`. Only when the proxy sets them; default false.
   */
  trustProxy?: boolean;
}

const NODE_ENDPOINT_OPTIONS = optionNames<NodeTokenEndpointOptions<NodeRequestLike, unknown>>()([
  ...ENDPOINT_KEYS,
  'trustProxy',
]);

/** `(req, res, next?)`, as node:http and Express call it. */
export type NodeTokenEndpointHandler<Req> = (req: Req, res: NodeResponseLike, next?: unknown) => Promise<void>;

function first(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  if (typeof value === 'string') return value;
  return value.length === 0 ? null : value.join(', ');
}

const firstListed = (value: string | null) => (value === null ? null : (value.split(',')[0] as string).trim());

interface BufferLike {
  concat(chunks: Uint8Array[], length: number): { toString(encoding: 'utf8'): string };
  byteLength(text: string, encoding: 'utf8'): number;
}
// Present wherever Node's (req, res) is; Buffer's UTF-8 decoding is faster than TextDecoder's.
const NodeBuffer = (globalThis as { Buffer?: BufferLike }).Buffer;
/** `setImmediate` where the runtime has it (Node, Bun, Deno): runs after the event loop's poll phase. */
const nextTurn = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
// keeps BOMs, as Buffer does (the engine ignores leading ones)
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

function decode(chunks: Uint8Array[], total: number): string {
  if (NodeBuffer) return NodeBuffer.concat(chunks, total).toString('utf8');
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return decoder.decode(bytes);
}

/** Reads a Node request's stream; never rejects (a failed read, or one that cannot start, is `'unreadable'`). */
function readStream(req: NodeRequestLike, limit: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    let settled = false;
    const failed = () => {
      if (!settled) {
        settled = true;
        resolve('unreadable');
      }
    };
    try {
      req.on('data', (chunk: Uint8Array) => {
        if (settled) return;
        total += chunk.byteLength;
        if (total > limit) {
          settled = true;
          resolve('too-large');
          return;
        }
        chunks.push(chunk);
      });
      req.on('error', failed);
      req.on('end', () => {
        if (settled) return;
        settled = true;
        resolve({ text: decode(chunks, total) });
      });
    } catch {
      failed();
    }
  });
}

function parsedBody(body: unknown): BodyRead {
  if (typeof body === 'string') return { text: body };
  if (body instanceof Uint8Array) return { text: decode([body], body.byteLength) };
  return { parsed: body };
}

/** One call; a class, so a call is one object, not one plus a closure per method. */
class NodeCall<Req extends NodeRequestLike> implements EndpointCall<Req> {
  readonly method: string;
  constructor(
    readonly request: Req,
    private readonly trustProxy: boolean,
  ) {
    this.method = request.method ?? 'GET';
  }
  header(name: string): string | null {
    return first(this.request.headers[name]);
  }
  selfOrigin(): string | undefined {
    const { request: req, trustProxy } = this;
    const proto =
      (trustProxy && firstListed(this.header('x-forwarded-proto'))) ||
      ((req.socket as { encrypted?: boolean } | null)?.encrypted ? 'https' : 'http');
    const host = (trustProxy && firstListed(this.header('x-forwarded-host'))) || this.header('host');
    return host === null ? undefined : `${proto.toLowerCase()}://${host.toLowerCase()}`;
  }
  readBody(limit: number): Promise<BodyRead> {
    const req = this.request;
    if (req.body !== undefined) return Promise.resolve(parsedBody(req.body));
    return req.readableEnded ? Promise.resolve({ text: '' }) : readStream(req, limit);
  }
}

/** `BASE_HEADERS` as the flat list `writeHead` takes, made once. */
const BASE_LIST = Object.entries(BASE_HEADERS).flat();

/** The answer's headers as a flat list, with Content-Length (and Connection: close after a cut-off body). */
function headerList(status: number, headers: Readonly<Record<string, string>>, body: string): string[] {
  let list: string[];
  if (headers === BASE_HEADERS) list = BASE_LIST.slice();
  else {
    list = [];
    for (const name in headers) list.push(name, headers[name] as string);
  }
  // A body cut off unread leaves the connection in an unknown state: close it after this answer.
  if (status === 413) list.push('connection', 'close');
  if (status !== 204) list.push('content-length', String(byteLength(body)));
  return list;
}

/**
 * Makes the token endpoint as a Node `(req, res)` handler, for node:http, Express and other Node servers.
 * The same options as `createTokenEndpoint`, but the hooks receive the Node request (Express's `req`, with
 * `req.user`, `req.session` …). A body parsed by `express.json()` is used as it is.
 *
 * @example
 * ```ts
 * import { createNodeTokenEndpoint } from 'daily-tokens/endpoint/node';
 * app.post('/api/daily-token', createNodeTokenEndpoint({
 *   apiKey: process.env.DAILY_API_KEY, domainId: process.env.DAILY_DOMAIN_ID,
 *   authenticate: (req) => req.session?.user,
 *   authorize: (req, { room, session }) => (canJoin(session, room) ? { user_name: session.name } : null),
 * }));
 * ```
 */
export function createNodeTokenEndpoint<Req extends NodeRequestLike = NodeRequestLike, Session = undefined>(
  options: NodeTokenEndpointOptions<Req, Session>,
): NodeTokenEndpointHandler<Req> {
  let trustProxy = false;
  let rest: TokenEndpointOptions<Req, Session> = options;
  if (options !== null && typeof options === 'object' && 'trustProxy' in options) {
    if (options.trustProxy !== undefined && typeof options.trustProxy !== 'boolean')
      throw new TypeError('trustProxy must be a boolean');
    ({ trustProxy = false, ...rest } = options);
  }
  const config = prepareEndpoint(rest, 'createNodeTokenEndpoint', NODE_ENDPOINT_OPTIONS);
  return async (req, res) => {
    const { status, headers, body } = await handleTokenCall(new NodeCall(req, trustProxy), config);
    // the answer is written in the event loop's check phase, once the poll phase has read every request that
    // is ready: writing each answer between the reads of the others costs far more CPU per request under load
    // (bench/endpoint.mjs: 0.72× → 1.1× the node:http floor); an idle server waits for nothing
    if (nextTurn) await new Promise<void>((resolve) => nextTurn(resolve));
    if (res.headersSent) return;
    res.writeHead(status, headerList(status, headers, body));
    if (status === 204) res.end();
    else res.end(body);
  };
}

const encoder = new TextEncoder();
/** UTF-8 length: Buffer's counts without encoding; elsewhere the answers are ASCII but for echoed values. */
function byteLength(text: string): number {
  if (NodeBuffer) return NodeBuffer.byteLength(text, 'utf8');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the test is for anything beyond ASCII
  return /^[\x00-\x7f]*$/.test(text) ? text.length : encoder.encode(text).byteLength;
}
