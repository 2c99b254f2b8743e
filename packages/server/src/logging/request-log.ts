/** The request log: one line per request, written by Fastify's reply hook and the fast path alike. */
import { logsAt, type ServiceLogger } from './logger.js';
import { maskUrl } from './redact.js';
import type { LogStream } from './writer.js';

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
export function requestLogger(log: ServiceLogger, stream?: LogStream): ((o: RequestOutcome) => void) | undefined {
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
