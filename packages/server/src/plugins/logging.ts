import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';

/**
 * Logging that never leaks: anything token-shaped in a URL is masked, headers (Authorization) are never
 * logged.
 */

/**
 * A run of characters a token (or an API key) can be written with: base64url, dots, standard base64's
 * `+ / =` minus the slash (a path separator), `~`, and percent-escapes (so `%2E` dots or a `%2F` slash before
 * the token do not split it).
 */
const RUN = /(?:[A-Za-z0-9_.+=~-]|%[0-9A-Fa-f]{2})+/g;
/** Runs this long are masked: a JWT header alone is 20+ characters, API keys 64; room names are shorter. */
const MASK_FROM = 32;
/** Ids are not secrets and help when reading logs. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Masks every token-shaped run anywhere in a URL (path of any case, percent-encoded, query), keeping its
 * first six characters and its length.
 *
 * @example
 * ```ts
 * maskUrl('/v1/meeting-tokens/eyJhbGciOi…'); // '/v1/meeting-tokens/eyJhbG…(312 chars)'
 * maskUrl('/join?token=eyJhbGciOi…');        // '/join?token=eyJhbG…(312 chars)'
 * ```
 */
export function maskUrl(url: string): string {
  return url.replace(RUN, (run) => {
    if (run.length < MASK_FROM || UUID.test(run)) return run;
    // `token=eyJ…` keeps its parameter name
    const eq = run.indexOf('=');
    const name = eq >= 0 && eq < 32 && /^[A-Za-z_][\w-]*$/.test(run.slice(0, eq)) ? run.slice(0, eq + 1) : '';
    const secret = run.slice(name.length);
    return secret.length < MASK_FROM ? run : `${name}${secret.slice(0, 6)}…(${secret.length} chars)`;
  });
}

/** Where log lines go: anything with `write(line)` (pino's own streams, a test's array). */
export interface LogStream {
  write(line: string): void;
  /** Writes what is queued, synchronously (called when the app closes). */
  flush?(): void;
}

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
/** Keys the terminal line shows in its own place, not as `key=value`. */
const PLACED = new Set(['level', 'time', 'msg', 'reqId', 'method', 'route', 'url', 'status', 'ms', 'domain', 'keyId']);

/**
 * One JSON log line as a person reads it on a terminal: time, level, and for a request line
 * `POST /v1/meeting-tokens/ 200 1.2ms req-7 dev/key_…`; other fields follow as `key=value`.
 *
 * @example
 * ```ts
 * prettyLine('{"level":30,"time":0,"reqId":"req-1","method":"GET","route":"/healthz","status":200,"ms":0.4,"msg":"request"}');
 * // '00:00:00.000 INFO  GET /healthz 200 0.4ms req-1\n'
 * ```
 */
export function prettyLine(json: string): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = typeof o.time === 'number' ? new Date(o.time).toISOString().slice(11, 23) : '';
  const level = (LEVEL_NAMES[o.level as number] ?? String(o.level)).padEnd(5);
  const parts: string[] = [time, level];
  if (o.method !== undefined && o.status !== undefined) {
    parts.push(String(o.method), String(o.route ?? o.url), String(o.status), `${o.ms}ms`);
    if (o.reqId !== undefined) parts.push(String(o.reqId));
    if (o.domain !== undefined) parts.push(`${o.domain}/${o.keyId}`);
  } else {
    parts.push(String(o.msg ?? ''));
    if (o.reqId !== undefined) parts.push(String(o.reqId));
  }
  for (const [k, v] of Object.entries(o)) {
    if (PLACED.has(k) || (k === 'msg' && o.method !== undefined)) continue;
    parts.push(`${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  }
  return `${parts.join(' ')}\n`;
}

/** Log bytes queued at most while stderr is slower than the service; past it lines are dropped, and counted. */
export const LOG_QUEUE_BYTES = 8 * 1024 * 1024;

/** Lines are handed to stderr in batches of about this many bytes, or … */
export const LOG_BATCH_CHARS = 64 * 1024;
/** … after at most this long: a write (and a wake-up of the reader) per batch, not per line. */
export const LOG_BATCH_MS = 50;

/** What the log code uses of sonic-boom (pino's destination) in its buffer mode. */
interface BufferWriter {
  write(chunk: Buffer): boolean;
  flushSync(): void;
  on(event: 'drop', listener: (chunk: Buffer) => void): unknown;
}

/**
 * Room of a batch buffer: a batch is handed once it holds LOG_BATCH_CHARS bytes, so a queued batch keeps
 * little more memory alive than its bytes; a line that does not fit starts the next batch (or, longer than a
 * batch, is a chunk of its own).
 */
const BATCH_ROOM = LOG_BATCH_CHARS + 8 * 1024;

/**
 * The service's log destination: stderr written asynchronously (lines are batched, then written off the
 * request path; `flush()` writes what is queued, on close), as JSON when stderr is piped and as short
 * readable lines on a terminal. A reader slower than the service (a stalled pipe) costs at most
 * `LOG_QUEUE_BYTES` of memory: lines beyond are dropped and `onDrop` told how many. A line waits at most
 * `LOG_BATCH_MS` before it is written.
 *
 * Lines are encoded into a batch buffer as they come, and the buffer is what reaches the writer: a batch of
 * joined strings cost a flatten, a length count, an encode and a copy of the whole batch per write (a tenth of a
 * minted token's time on the bench), the bytes written once cost none of that.
 */
export function stderrLog(tty = process.stderr.isTTY === true, onDrop: (lines: number) => void = () => {}): LogStream {
  // (in buffer mode the writer takes Buffers, which pino's types, written for its string mode, do not say)
  const dest = pino.destination({
    dest: 2,
    sync: false,
    maxLength: LOG_QUEUE_BYTES,
    contentMode: 'buffer',
  }) as unknown as BufferWriter;
  dest.on('drop', (data: Buffer) => {
    let lines = 0;
    for (let i = data.indexOf(10); i >= 0; i = data.indexOf(10, i + 1)) lines++;
    onDrop(Math.max(1, lines));
  });
  let batch = Buffer.allocUnsafeSlow(BATCH_ROOM);
  let used = 0;
  const hand = () => {
    if (used === 0) return;
    // the writer keeps the chunk until it is written: the next lines go to a new buffer
    const chunk = batch.subarray(0, used);
    batch = Buffer.allocUnsafeSlow(BATCH_ROOM);
    used = 0;
    dest.write(chunk);
  };
  const timer = setInterval(hand, LOG_BATCH_MS);
  timer.unref();
  const flush = () => {
    hand();
    try {
      dest.flushSync();
    } catch {
      // nothing queued yet (flushSync throws before the first write has opened the stream)
    }
  };
  const add = (text: string) => {
    // a UTF-16 unit is at most 3 bytes of UTF-8; only a line that may not fit has its bytes counted
    if (text.length * 3 > BATCH_ROOM - used && Buffer.byteLength(text) > BATCH_ROOM - used) {
      hand();
      // longer than a whole batch (an unmatched URL of many KB): a chunk of its own
      if (Buffer.byteLength(text) > BATCH_ROOM) {
        dest.write(Buffer.from(text, 'utf8'));
        return;
      }
    }
    used += batch.write(text, used, 'utf8');
    if (used >= LOG_BATCH_CHARS) hand();
  };
  return { write: tty ? (line: string) => add(prettyLine(line)) : add, flush };
}

/**
 * pino options: the level, no pid/hostname on every line (the process manager knows them), and serializers
 * that mask URLs should a request ever be logged whole.
 */
export function loggerOptions(level: string) {
  return {
    level,
    base: null,
    serializers: {
      req(req: { method: string; url: string; ip?: string }) {
        return { method: req.method, url: maskUrl(req.url), ip: req.ip };
      },
      res(res: { statusCode: number }) {
        return { statusCode: res.statusCode };
      },
    },
  };
}

/** Whether `log` writes lines of `level`: work done only for a log line is skipped when it would be dropped. */
export function logsAt(log: FastifyBaseLogger, level: pino.Level): boolean {
  return (log as pino.Logger).isLevelEnabled(level);
}

/** Request ids as the app makes them (`req-1a`): nothing to escape. */
const JSON_SAFE_ID = /^[\w-]{1,40}$/;

/** What a request's log line says. */
export interface RequestOutcome {
  reqId: string;
  method: string;
  /** The route pattern; undefined for an unmatched request (then its URL is logged, masked). */
  route: string | undefined;
  url: string;
  status: number;
  elapsedMs: number;
  auth: { domain: { name: string }; keyId: string } | null;
  lint: { rule: string; severity: string; message: string }[] | null;
}

/**
 * One line per request, once the reply is sent: request id, method, route pattern, status, latency in ms, and
 * the caller's domain and key id once authenticated. Never the key or a token: a matched route logs its
 * pattern, and only an unmatched one its URL, masked. A minted token's lint findings ride on its request's
 * line, written at warn so they show at `DAILY_TOKENS_LOG_LEVEL=warn` too (where the other request lines are
 * off). Undefined when the level writes no request line at all (error, silent). Fastify's reply hook and the
 * hot routes both log with this.
 */
export function requestLogger(log: FastifyBaseLogger, stream?: LogStream): ((o: RequestOutcome) => void) | undefined {
  const info = logsAt(log, 'info');
  if (!logsAt(log, 'warn')) return undefined;
  // The info line is written as text straight to the logger's stream, in the bytes pino would write
  // (level, time, then the fields in order, msg last); pino's generic serialisation was a tenth of a token's
  // cost. What repeats is quoted once: the method and route fields per (route, method), the caller's fields
  // per resolved key (the object a key cache entry serves every request with). Strings from outside (URL,
  // domain name) go through JSON.stringify; route patterns are ours.
  const heads = new Map<string, Map<string, string>>();
  const head = (method: string, route: string) => {
    let byMethod = heads.get(route);
    if (byMethod === undefined) {
      if (heads.size >= 1000) heads.clear();
      byMethod = new Map();
      heads.set(route, byMethod);
    }
    let h = byMethod.get(method);
    if (h === undefined) {
      h = `"method":${JSON.stringify(method)},"route":${JSON.stringify(route)}`;
      byMethod.set(method, h);
    }
    return h;
  };
  const callers = new WeakMap<object, string>();
  const caller = (auth: NonNullable<RequestOutcome['auth']>) => {
    let w = callers.get(auth);
    if (w === undefined) {
      w = `,"domain":${JSON.stringify(auth.domain.name)},"keyId":${JSON.stringify(auth.keyId)}`;
      callers.set(auth, w);
    }
    return w;
  };
  return (o) => {
    if (!info && !o.lint) return;
    if (!o.lint && stream) {
      const where =
        o.route === undefined
          ? `"method":${JSON.stringify(o.method)},"url":${JSON.stringify(maskUrl(o.url))}`
          : head(o.method, o.route);
      stream.write(
        `{"level":30,"time":${Date.now()},"reqId":${JSON_SAFE_ID.test(o.reqId) ? `"${o.reqId}"` : JSON.stringify(o.reqId)},${where},"status":${o.status},"ms":${Math.round(o.elapsedMs * 10) / 10}${o.auth ? caller(o.auth) : ''},"msg":"request"}\n`,
      );
      return;
    }
    // reqId first, where a child logger's binding would put it
    const line = {
      reqId: o.reqId,
      method: o.method,
      ...(o.route === undefined ? { url: maskUrl(o.url) } : { route: o.route }),
      status: o.status,
      ms: Math.round(o.elapsedMs * 10) / 10,
      ...(o.auth ? { domain: o.auth.domain.name, keyId: o.auth.keyId } : {}),
    };
    if (o.lint) log.warn({ ...line, lint: o.lint }, 'request');
    else log.info(line, 'request');
  };
}
