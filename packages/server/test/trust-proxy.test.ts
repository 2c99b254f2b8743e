/** --trust-proxy: whose X-Forwarded-For decides the address that failed logins are limited by. */
import { describe, expect, it } from 'vitest';
import { call, config, servicePerTest, start, tempDir } from './helpers.js';

/** The service allows 30 failed logins per address per minute. */
const FAILURES_ALLOWED = 30;

const each = servicePerTest();

async function serve(trustProxy?: string): Promise<string> {
  each.tmp = tempDir();
  each.svc = await start(config({ data: each.tmp.dir, rateLimit: '1000/1s', ...(trustProxy ? { trustProxy } : {}) }));
  return each.svc.url;
}

/** Fails to log in `times` times as the client at `forwardedFor`; returns the last status. */
async function failLogins(url: string, forwardedFor: string, times: number): Promise<number> {
  let status = 0;
  for (let i = 0; i < times; i++) {
    const r = await call(url, 'GET', '/v1/', {
      key: 'not-a-real-key-000000',
      headers: { 'x-forwarded-for': forwardedFor },
    });
    status = r.status;
  }
  return status;
}

describe('--trust-proxy', () => {
  it('limits failed logins per forwarded client when the proxy is trusted', async () => {
    const url = await serve('loopback');
    expect(await failLogins(url, '203.0.113.1', FAILURES_ALLOWED)).toBe(401);
    expect(await failLogins(url, '203.0.113.1', 1)).toBe(429);
    // Another client behind the same proxy is not locked out by the first one's guesses.
    expect(await failLogins(url, '203.0.113.2', 1)).toBe(401);
  });

  it('ignores X-Forwarded-For by default, so a client cannot dodge the limit by inventing addresses', async () => {
    const url = await serve();
    expect(await failLogins(url, '203.0.113.1', FAILURES_ALLOWED)).toBe(401);
    expect(await failLogins(url, '203.0.113.99', 1)).toBe(429);
  });

  it('ignores X-Forwarded-For from a peer that is not the trusted proxy', async () => {
    const url = await serve('10.0.0.0/8');
    expect(await failLogins(url, '203.0.113.1', FAILURES_ALLOWED)).toBe(401);
    expect(await failLogins(url, '203.0.113.2', 1)).toBe(429);
  });
});
