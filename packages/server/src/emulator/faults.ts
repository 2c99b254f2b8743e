/**
 * Fault injection (emulator mode only): rules that make the next matching calls, or a share of them, fail
 * the way Daily or the network can — a 429 with Retry-After, a 5xx, a slow answer, a dropped connection —
 * so an app's retry and timeout logic can be tested. Rules are checked in the order they were added; the
 * first that matches (and, for a probability, whose draw says so) applies. Control calls (`/admin/…`) and
 * health checks are never faulted, so a test can always remove what it added.
 */
import { assertKnownOptions, optionNames } from 'daily-tokens';
import type { DailyErrorType } from 'daily-tokens/rest';

/**
 * What to do to matching requests. Give at least one of `status`, `latencyMs` or `drop`.
 *
 * @example
 * ```ts
 * daily.faults.add({ method: 'POST', path: '/v1/rooms', status: 429, retryAfter: 2, times: 3 });
 * daily.faults.add({ path: '/v1/rooms/:name', status: 503, probability: 0.2, seed: 7 });
 * daily.faults.add({ path: '/v1/*', latencyMs: 1500 });
 * daily.faults.add({ path: '/v1/meeting-tokens', drop: true });
 * ```
 */
export interface FaultRule {
  /** An HTTP method (`GET`, `POST` …); any method when left out. */
  method?: string;
  /**
   * The path, without the query: exact (`/v1/rooms`), with `:param` segments (`/v1/rooms/:name`), or a
   * prefix ending in `*` (`/v1/*`; `*` alone is every path). Any path when left out.
   */
  path?: string;
  /** Answer with this status (400–599) instead of the real answer. */
  status?: number;
  /** Seconds for the Retry-After header of the fault's answer; default 1 for a 429, none otherwise. */
  retryAfter?: number;
  /** The body of the fault's answer; default Daily's error shape `{ error, info }` with the status's type. */
  body?: unknown;
  /** Wait this long (at most 30 000 ms) first, then answer normally, or with `status`, or drop. */
  latencyMs?: number;
  /** Close the connection without any answer (after `latencyMs`, if given). */
  drop?: true;
  /** Apply to the next this many matching calls, then remove the rule. Default 1 (unless `probability`). */
  times?: number;
  /** Apply to each matching call with this probability (0–1) until the rule is removed. */
  probability?: number;
  /** With `probability`: the seed of the draws, so a run repeats exactly. */
  seed?: number;
}

/** A rule as listed: its id, how many calls it has applied to, and how many are left (for `times`). */
export interface Fault extends FaultRule {
  id: string;
  /** Calls it has applied to so far. */
  hits: number;
  /** Calls left (rules with `times`); the rule is removed when it reaches 0. */
  remaining?: number;
}

/** What the request listener does with a request a rule applies to. */
export interface AppliedFault {
  id: string;
  status?: number;
  headers: Record<string, string>;
  payload?: string;
  latencyMs?: number;
  drop?: true;
}

const RULE_KEYS = optionNames<FaultRule>()([
  'method',
  'path',
  'status',
  'retryAfter',
  'body',
  'latencyMs',
  'drop',
  'times',
  'probability',
  'seed',
]);

/** The longest injected delay: beyond the service's request timeout a client sees nothing useful. */
export const MAX_FAULT_LATENCY_MS = 30_000;
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Paths that are never faulted nor journaled: the control surface and the health checks. */
export function isControlPath(path: string): boolean {
  return path === '/admin' || path.startsWith('/admin/') || path === '/healthz' || path === '/readyz';
}

/**
 * A path pattern → a test: exact, `:param` segments (one non-empty segment each), or a prefix ending in `*`.
 *
 * @example
 * ```ts
 * pathMatcher('/v1/rooms/:name')('/v1/rooms/standup'); // true
 * ```
 */
export function pathMatcher(pattern: string): (path: string) => boolean {
  if (pattern.endsWith('*')) {
    const prefix = pattern.slice(0, -1);
    return (path) => path.startsWith(prefix);
  }
  if (!pattern.includes('/:')) return (path) => path === pattern;
  const parts = pattern.split('/');
  return (path) => {
    const segs = path.split('/');
    if (segs.length !== parts.length) return false;
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i] as string;
      const s = segs[i] as string;
      if (p.startsWith(':') ? s.length === 0 : p !== s) return false;
    }
    return true;
  };
}

/** Checks a path pattern (of a fault rule or a journal query); `TypeError` naming `name` when it is not one. */
export function checkPathPattern(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 512)
    throw new TypeError(`${name} must be a path such as "/v1/rooms", "/v1/rooms/:name" or "/v1/*"`);
  if (value !== '*' && !value.startsWith('/'))
    throw new TypeError(`${name} must start with "/" (e.g. "/v1/rooms"), or be "*" for every path`);
  if (value.includes('?')) throw new TypeError(`${name} is matched without the query string; leave out the "?…"`);
  if (value.indexOf('*') !== -1 && value.indexOf('*') !== value.length - 1)
    throw new TypeError(`${name} may have "*" only at its end, as a prefix ("/v1/*")`);
  return value;
}

/** Checks a method name; returns it upper-cased. */
export function checkMethod(value: unknown, name: string): string {
  const m = typeof value === 'string' ? value.toUpperCase() : '';
  if (!METHODS.has(m)) throw new TypeError(`${name} must be one of ${[...METHODS].join(', ')}`);
  return m;
}

/** The Daily error type of a status, for the default body. */
function errorType(status: number): DailyErrorType {
  if (status >= 500) return 'server-error';
  switch (status) {
    case 401:
      return 'authentication-error';
    case 403:
      return 'forbidden-error';
    case 404:
      return 'not-found';
    case 429:
      return 'rate-limit-error';
    default:
      return 'invalid-request-error';
  }
}

const isWhole = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/**
 * Validates a rule (an object from a test or an HTTP body): unknown fields with a "did you mean", each
 * value's type and range, and combinations that contradict each other. Throws `TypeError`.
 */
export function checkFaultRule(input: unknown): FaultRule {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new TypeError('a fault rule must be an object such as {"path": "/v1/rooms", "status": 429}');
  try {
    assertKnownOptions(input, RULE_KEYS, 'fault rule');
  } catch (e) {
    throw new TypeError((e as Error).message.replace('unknown option', 'unknown field'));
  }
  const r = input as Record<string, unknown>;
  const rule: FaultRule = {};
  if (r.method !== undefined) rule.method = checkMethod(r.method, 'method');
  if (r.path !== undefined) {
    rule.path = checkPathPattern(r.path, 'path');
    if (isControlPath(rule.path) || rule.path.startsWith('/admin'))
      throw new TypeError(`path ${rule.path}: the admin routes and health checks are never faulted`);
  }
  if (r.status !== undefined) {
    if (!isWhole(r.status, 400, 599))
      throw new TypeError('status must be a whole number from 400 to 599, e.g. 429 or 503');
    rule.status = r.status;
  }
  if (r.retryAfter !== undefined) {
    if (!isWhole(r.retryAfter, 0, 86_400)) throw new TypeError('retryAfter must be whole seconds from 0 to 86400');
    if (rule.status === undefined) throw new TypeError('retryAfter needs a status (e.g. 429 or 503) to go with');
    rule.retryAfter = r.retryAfter;
  }
  if (r.body !== undefined) {
    if (rule.status === undefined) throw new TypeError('body needs a status to go with');
    rule.body = r.body;
  }
  if (r.latencyMs !== undefined) {
    if (!isWhole(r.latencyMs, 0, MAX_FAULT_LATENCY_MS))
      throw new TypeError(`latencyMs must be whole milliseconds from 0 to ${MAX_FAULT_LATENCY_MS}`);
    rule.latencyMs = r.latencyMs;
  }
  if (r.drop !== undefined) {
    if (r.drop !== true) throw new TypeError('drop must be true (leave it out to answer)');
    if (rule.status !== undefined)
      throw new TypeError('drop closes the connection without an answer; give drop or status, not both');
    rule.drop = true;
  }
  if (rule.status === undefined && rule.latencyMs === undefined && rule.drop === undefined)
    throw new TypeError('a fault rule needs status, latencyMs or drop: what should happen to matching calls?');
  if (r.times !== undefined && r.probability !== undefined)
    throw new TypeError('give times (the next N calls) or probability (a share of calls), not both');
  if (r.times !== undefined) {
    if (!isWhole(r.times, 1, 1_000_000)) throw new TypeError('times must be a whole number from 1');
    rule.times = r.times;
  }
  if (r.probability !== undefined) {
    if (typeof r.probability !== 'number' || !(r.probability >= 0 && r.probability <= 1))
      throw new TypeError('probability must be a number from 0 to 1, e.g. 0.25');
    rule.probability = r.probability;
  }
  if (r.seed !== undefined) {
    if (rule.probability === undefined) throw new TypeError('seed goes with probability (it seeds its draws)');
    if (!isWhole(r.seed, 0, 2 ** 32 - 1)) throw new TypeError('seed must be a whole number from 0 to 4294967295');
    rule.seed = r.seed;
  }
  return rule;
}

/** mulberry32: a small, fast PRNG, enough for repeatable draws (not for secrets). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Active {
  fault: Fault;
  method?: string;
  matches: (path: string) => boolean;
  draw?: () => number;
  applied: AppliedFault;
}

/**
 * The fault rules of one emulator.
 *
 * @example
 * ```ts
 * const id = daily.faults.add({ path: '/v1/rooms', status: 503, times: 2 });
 * daily.faults.list(); // [{ id, path: '/v1/rooms', status: 503, times: 2, hits: 0, remaining: 2 }]
 * daily.faults.remove(id);
 * ```
 */
export class FaultInjector {
  #rules: Active[] = [];
  #seq = 0;

  /** Adds a rule (validated: `TypeError` when it is not one) and returns its id. */
  add(rule: FaultRule): string {
    const checked = checkFaultRule(rule);
    const id = `flt_${++this.#seq}`;
    const times = checked.probability === undefined ? (checked.times ?? 1) : undefined;
    const fault: Fault = { id, ...checked, hits: 0, ...(times === undefined ? {} : { remaining: times }) };
    const headers: Record<string, string> = {};
    let payload: string | undefined;
    if (checked.status !== undefined) {
      const retryAfter = checked.retryAfter ?? (checked.status === 429 ? 1 : undefined);
      if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
      payload = JSON.stringify(
        checked.body !== undefined
          ? checked.body
          : {
              error: errorType(checked.status),
              info: `fault injected by the emulator (rule ${id}): status ${checked.status}${retryAfter !== undefined ? `; retry after ${retryAfter} s` : ''}`,
            },
      );
    }
    this.#rules.push({
      fault,
      ...(checked.method ? { method: checked.method } : {}),
      matches: checked.path === undefined || checked.path === '*' ? () => true : pathMatcher(checked.path),
      ...(checked.probability !== undefined
        ? { draw: checked.seed !== undefined ? seeded(checked.seed) : Math.random }
        : {}),
      applied: {
        id,
        headers,
        ...(checked.status !== undefined ? { status: checked.status } : {}),
        ...(payload !== undefined ? { payload } : {}),
        ...(checked.latencyMs !== undefined ? { latencyMs: checked.latencyMs } : {}),
        ...(checked.drop ? { drop: true as const } : {}),
      },
    });
    return id;
  }

  /** The active rules, oldest first (copies). */
  list(): Fault[] {
    return this.#rules.map((r) => structuredClone(r.fault));
  }

  /** Removes a rule; false when there is none with that id (it may have run out). */
  remove(id: string): boolean {
    const i = this.#rules.findIndex((r) => r.fault.id === id);
    if (i === -1) return false;
    this.#rules.splice(i, 1);
    return true;
  }

  /** Removes every rule; returns how many there were. */
  clear(): number {
    const n = this.#rules.length;
    this.#rules = [];
    return n;
  }

  /** The fault for this request, if a rule applies (counting it), for the request listener. */
  take(method: string, path: string): AppliedFault | undefined {
    if (this.#rules.length === 0 || isControlPath(path)) return undefined;
    for (let i = 0; i < this.#rules.length; i++) {
      const r = this.#rules[i] as Active;
      if (r.method !== undefined && r.method !== method) continue;
      if (!r.matches(path)) continue;
      if (r.draw && !(r.draw() < (r.fault.probability as number))) continue;
      r.fault.hits++;
      if (r.fault.remaining !== undefined && --r.fault.remaining === 0) this.#rules.splice(i, 1);
      return r.applied;
    }
    return undefined;
  }
}
