/**
 * The request journal (emulator mode only): what an app called, with what, and what it got back, so a
 * test can assert on it. Secrets are masked before an entry is stored (`mask.ts`). It keeps the last
 * `JOURNAL_SIZE` requests; control calls (`/admin/…`) and health checks are not recorded.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { assertKnownOptions, optionNames } from 'daily-tokens';
import { bearerOrUndefined } from '../plugins/auth.js';
import { instant } from './clock.js';
import type { AppliedFault } from './faults.js';
import { checkMethod, checkPathPattern, pathMatcher } from './faults.js';
import { maskHeader, maskJson, maskText } from './mask.js';

/** How many requests the journal keeps; older ones are dropped first. */
export const JOURNAL_SIZE = 1000;
/** Bodies larger than this are not kept (their size is). */
const MAX_BODY_BYTES = 64 * 1024;

/** One request as the journal keeps it (secrets masked). */
export interface JournalEntry {
  /** Increasing per emulator; survives `clear()`, so `since` ids stay meaningful. */
  seq: number;
  /** When it arrived, on the emulator's (virtual) clock, ISO 8601. */
  time: string;
  method: string;
  /** The path, tokens in it masked. */
  path: string;
  query: Record<string, string | string[]>;
  /** The request headers, Authorization and cookies masked (`Bearer …abcd`). */
  headers: Record<string, string | string[]>;
  /** The parsed JSON body (masked), the text of another body, or null without one. */
  body: unknown;
  /** The status answered; null while in progress, or when the connection closed without an answer. */
  status: number | null;
  /** The JSON reply (masked), or null for other replies. */
  response: unknown;
  /** The fault rule that applied, if one did. */
  fault: { id: string; status?: number; latencyMs?: number; drop?: true } | null;
  /** Real milliseconds from arrival to the end of the answer (or of the connection). */
  durationMs: number | null;
}

/** Which entries `list` returns. */
export interface JournalQuery {
  /** Only this method. */
  method?: string;
  /** Only paths matching this pattern (exact, `:param` segments, or a `*` prefix, as fault rules). */
  path?: string;
  /** Only requests that arrived at or after this (virtual) time: a Date, ISO string or unix seconds. */
  since?: Date | string | number;
}
const QUERY_KEYS = optionNames<JournalQuery>()(['method', 'path', 'since']);

/** Checks a query from a test or a query string; `TypeError` naming what is wrong. */
export function checkJournalQuery(input: unknown): { method?: string; path?: (p: string) => boolean; since?: number } {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new TypeError('a journal query must be an object such as { method: "POST", path: "/v1/rooms" }');
  try {
    assertKnownOptions(input, QUERY_KEYS, 'journal query');
  } catch (e) {
    throw new TypeError((e as Error).message.replace('unknown option', 'unknown field'));
  }
  const q = input as JournalQuery;
  const out: { method?: string; path?: (p: string) => boolean; since?: number } = {};
  if (q.method !== undefined) out.method = checkMethod(q.method, 'method');
  if (q.path !== undefined) {
    const p = checkPathPattern(q.path, 'path');
    out.path = p === '*' ? () => true : pathMatcher(p);
  }
  if (q.since !== undefined) {
    const s = q.since;
    const d = typeof s === 'string' ? (/^\d+$/.test(s) ? new Date(Number(s) * 1000) : new Date(s)) : s;
    try {
      out.since = instant(d as Date | number, 'since').getTime();
    } catch {
      throw new TypeError('since must be a time: an ISO 8601 string, unix seconds or a Date');
    }
  }
  return out;
}

function parseQuery(search: string, secrets: readonly string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, raw] of new URLSearchParams(search)) {
    const v = maskText(raw, secrets);
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

function bodyOf(chunks: Buffer[], bytes: number, type: string | undefined, secrets: readonly string[]): unknown {
  if (bytes === 0) return null;
  if (bytes > MAX_BODY_BYTES) return `(${bytes} bytes, not kept)`;
  const text = Buffer.concat(chunks).toString('utf8');
  if (type === undefined || /json/i.test(type)) {
    try {
      return maskJson(JSON.parse(text), secrets);
    } catch {}
  }
  return maskText(text, secrets);
}

/**
 * The journal of one emulator.
 *
 * @example
 * ```ts
 * const calls = daily.journal.list({ method: 'POST', path: '/v1/rooms' });
 * expect(calls[0].body).toEqual({ name: 'standup' });
 * daily.journal.clear();
 * ```
 */
export class RequestJournal {
  #entries: JournalEntry[] = [];
  #seq = 0;

  constructor(
    private readonly now: () => Date,
    /** Secrets masked wherever they appear (the admin token). */
    private readonly secrets: readonly string[] = [],
  ) {}

  /** The entries matching `query`, oldest first (copies). `TypeError` for a bad query. */
  list(query: JournalQuery = {}): JournalEntry[] {
    const q = checkJournalQuery(query);
    return this.#entries
      .filter(
        (e) =>
          (q.method === undefined || e.method === q.method) &&
          (q.path === undefined || q.path(e.path)) &&
          (q.since === undefined || Date.parse(e.time) >= q.since),
      )
      .map((e) => structuredClone(e));
  }

  /** Forgets every entry; returns how many there were. */
  clear(): number {
    const n = this.#entries.length;
    this.#entries = [];
    return n;
  }

  /**
   * Starts an entry for a request and watches it to the end: the body as the service reads it, the reply
   * as it is written. Watching never changes how the stream flows (the data events are observed, not
   * consumed), so the service reads the request exactly as without a journal.
   */
  record(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    search: string,
    fault: AppliedFault | undefined,
  ): void {
    const started = performance.now();
    const bearer = bearerOrUndefined(req.headers.authorization);
    const secrets = bearer ? [bearer, ...this.secrets] : this.secrets;
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      headers[name] = Array.isArray(value)
        ? value.map((v) => maskHeader(name, v, secrets))
        : maskHeader(name, value, secrets);
    }
    const entry: JournalEntry = {
      seq: ++this.#seq,
      time: this.now().toISOString(),
      method: req.method ?? 'GET',
      path: maskText(path, secrets),
      query: parseQuery(search, secrets),
      headers,
      body: null,
      status: null,
      response: null,
      fault: fault
        ? {
            id: fault.id,
            ...(fault.status !== undefined ? { status: fault.status } : {}),
            ...(fault.latencyMs !== undefined ? { latencyMs: fault.latencyMs } : {}),
            ...(fault.drop ? { drop: true as const } : {}),
          }
        : null,
      durationMs: null,
    };
    this.#entries.push(entry);
    if (this.#entries.length > JOURNAL_SIZE) this.#entries.shift();

    const body = { chunks: [] as Buffer[], bytes: 0 };
    const keep = (into: typeof body, chunk: unknown) => {
      const b =
        typeof chunk === 'string' ? Buffer.from(chunk) : chunk instanceof Uint8Array ? Buffer.from(chunk) : undefined;
      if (!b) return;
      into.bytes += b.length;
      if (into.bytes <= MAX_BODY_BYTES) into.chunks.push(b);
    };
    // observe the body's data events without adding a listener (which would start the flow early)
    const emit = req.emit;
    req.emit = function (this: IncomingMessage, event: string | symbol, ...args: unknown[]) {
      if (event === 'data') keep(body, args[0]);
      return emit.call(this, event, ...args);
    } as typeof req.emit;
    const reply = { chunks: [] as Buffer[], bytes: 0 };
    // the content type as written: headers given to writeHead (how Fastify and the fast path answer) are
    // not in getHeader()
    let replyType: string | undefined;
    const writeHead = res.writeHead;
    res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
      const headers = args.find((a) => typeof a === 'object' && a !== null);
      if (Array.isArray(headers)) {
        for (let i = 0; i + 1 < headers.length; i += 2)
          if (String(headers[i]).toLowerCase() === 'content-type') replyType = String(headers[i + 1]);
      } else if (headers) {
        for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === 'content-type') replyType = String(v);
      }
      return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as typeof res.writeHead;
    const write = res.write;
    const end = res.end;
    res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
      keep(reply, chunk);
      return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof res.write;
    res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
      if (chunk !== undefined && typeof chunk !== 'function') keep(reply, chunk);
      return (end as (...a: unknown[]) => ServerResponse).call(this, chunk, ...rest);
    } as typeof res.end;

    let done = false;
    const finish = (answered: boolean) => {
      if (done) return;
      done = true;
      entry.durationMs = Math.round((performance.now() - started) * 10) / 10;
      entry.body = bodyOf(body.chunks, body.bytes, req.headers['content-type'], secrets);
      if (!answered) return;
      entry.status = res.statusCode;
      const type = replyType ?? res.getHeader('content-type');
      entry.response =
        typeof type === 'string' && /json/i.test(type) ? bodyOf(reply.chunks, reply.bytes, type, secrets) : null;
    };
    res.once('finish', () => finish(true));
    res.once('close', () => finish(res.writableFinished));
  }
}
