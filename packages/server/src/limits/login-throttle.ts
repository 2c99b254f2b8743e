/**
 * The failed-login throttle. A client (an IPv4 address, or an IPv6 /64: one host rotates freely within its
 * /64) has a budget of failed authentications (API keys and admin tokens alike). Once it is spent, every
 * request of that client that would compare a secret is refused with 429 *before* the comparison, whatever
 * it sends: the right key is refused like a wrong one, so the 429 tells a guesser nothing.
 *
 * Failures are counted by the rate limiter (shared through Redis when there is one). The moment a failure
 * fills the budget the client is also noted here, in this process, until the budget has room again: the
 * request path asks this map (no string built, no promise, while nobody is blocked), and asks the shared
 * limiter only before comparing against the store (an unknown key, the admin token).
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { RateLimitWindow } from '../config.js';
import { ApiError } from '../errors.js';
import type { RateLimiter } from './limiter.js';

/** Failed authentications allowed per client before 429. */
export const AUTH_FAILURE_LIMIT: readonly RateLimitWindow[] = [{ max: 30, windowSeconds: 60 }];

/** Clients noted as blocked at most (a flood of them drops the oldest notes; the shared limiter still knows). */
const MAX_BLOCKED = 100_000;

/**
 * The client an address belongs to, for budgets and connection counts: an IPv4 address as it is (an
 * IPv4-mapped IPv6 address as its IPv4 one), an IPv6 address as its /64 (`2001:db8:1:2::/64`).
 *
 * @example
 * ```ts
 * clientOf('2001:db8::1'); // '2001:db8:0:0::/64'
 * clientOf('::ffff:10.0.0.1'); // '10.0.0.1'
 * ```
 */
export function clientOf(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown';
  if (isIPv4(address)) return address;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1] && isIPv4(mapped[1])) return mapped[1];
  if (!isIPv6(address)) return address;
  const bare = address.split('%')[0] as string; // a zone id (fe80::1%eth0) names the link, not the host
  const [head = '', tail] = bare.split('::');
  const groups = head === '' ? [] : head.split(':');
  if (tail !== undefined) {
    const rest = tail === '' ? [] : tail.split(':');
    // an embedded IPv4 tail (::1.2.3.4) is two groups, but only the first four groups matter here
    const restGroups = rest.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
    while (groups.length + restGroups < 8) groups.push('0');
    groups.push(...rest);
  }
  return `${groups
    .slice(0, 4)
    .map((g) => (Number.parseInt(g, 16) || 0).toString(16))
    .join(':')}::/64`;
}

/**
 * Blocks clients over their failed-login budget; see the file comment.
 *
 * @example
 * ```ts
 * const throttle = new LoginThrottle(memoryRateLimiter());
 * await throttle.gate(request.ip, true); // 429 when over budget, before any compare
 * if (!safeEqual(sent, expected)) await throttle.failed(request.ip); // 401 follows, or 429 once spent
 * ```
 */
export class LoginThrottle {
  /** Client → until when (ms since the epoch) it is refused. */
  private readonly blocked = new Map<string, number>();

  constructor(
    private readonly limiter: RateLimiter | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether any client is blocked (the request path skips everything else while none is). */
  get any(): boolean {
    return this.blocked.size > 0;
  }

  /**
   * The 429 for the client of `address` if this process knows it is over budget, else undefined. Cheap
   * while nobody is blocked.
   */
  refusal(address: string | undefined): ApiError | undefined {
    if (this.blocked.size === 0) return undefined;
    const client = clientOf(address);
    const until = this.blocked.get(client);
    if (until === undefined) return undefined;
    const wait = until - this.now();
    if (wait <= 0) {
      this.blocked.delete(client);
      return undefined;
    }
    return throttled(wait);
  }

  /**
   * Throws the 429 when the client of `address` is over budget. `shared`: also ask the rate limiter (Redis
   * knows the failures other replicas counted), for requests about to compare against the store.
   */
  async gate(address: string | undefined, shared: boolean): Promise<void> {
    const local = this.refusal(address);
    if (local) throw local;
    if (!shared || !this.limiter) return;
    const client = clientOf(address);
    const wait = await this.limiter.peek(subjectOf(client), AUTH_FAILURE_LIMIT);
    if (wait > 0) {
      this.block(client, wait);
      throw throttled(wait);
    }
  }

  /**
   * Counts one failed authentication of the client of `address`; throws the 429 when that failure was over
   * the budget. A failure that spends the last of it blocks the client from the next request on.
   */
  async failed(address: string | undefined): Promise<void> {
    if (!this.limiter) return;
    const client = clientOf(address);
    const subject = subjectOf(client);
    try {
      await this.limiter.check(subject, AUTH_FAILURE_LIMIT);
    } catch (e) {
      if (e instanceof ApiError && e.status === 429) {
        this.block(client, Number(e.headers['retry-after'] ?? 1) * 1000);
        throw throttled(Number(e.headers['retry-after'] ?? 1) * 1000);
      }
      throw e;
    }
    const wait = await this.limiter.peek(subject, AUTH_FAILURE_LIMIT);
    if (wait > 0) this.block(client, wait);
  }

  /** Forgets every block (`POST /admin/reset` clears the counters too). */
  reset(): void {
    this.blocked.clear();
  }

  private block(client: string, waitMs: number): void {
    if (this.blocked.size >= MAX_BLOCKED && !this.blocked.has(client)) {
      const oldest = this.blocked.keys().next().value;
      if (oldest !== undefined) this.blocked.delete(oldest);
    }
    this.blocked.delete(client); // re-inserted last: the map stays in the order blocks were made
    this.blocked.set(client, this.now() + waitMs);
  }
}

const subjectOf = (client: string) => `authfail:${client}`;

function throttled(waitMs: number): ApiError {
  const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
  return new ApiError(
    429,
    'rate-limit-error',
    `too many failed authentications from your address (${AUTH_FAILURE_LIMIT.map((w) => `${w.max} per ${w.windowSeconds} s`).join(', ')}); no credential is checked until then: retry after ${retryAfter} s`,
    { 'retry-after': String(retryAfter) },
  );
}
