/** Settings from flags and environment: every bad value is a ConfigError naming the setting and the fix. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseRateLimit } from '../src/index.js';
import { parseTrustProxy } from '../src/config.js';

const MASTER = 'm'.repeat(40);

describe('parseTrustProxy', () => {
  it('takes addresses, CIDR ranges and proxy-addr range names; nothing by default', () => {
    expect(loadConfig({}, {}).trustProxy).toBe(false);
    expect(parseTrustProxy('', 'X')).toBe(false);
    expect(parseTrustProxy('false', 'X')).toBe(false);
    expect(parseTrustProxy('10.0.0.0/8, loopback,::1,fd00::/8,192.0.2.7', 'X')).toEqual([
      '10.0.0.0/8',
      'loopback',
      '::1',
      'fd00::/8',
      '192.0.2.7',
    ]);
    expect(loadConfig({ trustProxy: 'uniquelocal' }, { DAILY_TOKENS_TRUST_PROXY: 'loopback' }).trustProxy).toEqual([
      'uniquelocal',
    ]);
  });

  it.each([
    ['true', /cannot tell your proxy/],
    ['1', /cannot tell your proxy/],
    ['10.0.0.0/33', /"10.0.0.0\/33" is not an IP address/],
    ['::1/129', /not an IP address/],
    ['proxy.internal', /not an IP address/],
    ['10.0.0.1,', /"" is not an IP address/],
  ])('%j → ConfigError', (value, message) => {
    expect(() => loadConfig({ trustProxy: value }, {})).toThrow(ConfigError);
    expect(() => loadConfig({ trustProxy: value }, {})).toThrow(message);
    expect(() => loadConfig({}, { DAILY_TOKENS_TRUST_PROXY: value })).toThrow(/DAILY_TOKENS_TRUST_PROXY/);
  });
});

describe('loadConfig', () => {
  it('defaults to SQLite in ./.daily-tokens with Daily-like limits', () => {
    const c = loadConfig({}, {});
    expect(c.dataDir).toBe(join(process.cwd(), '.daily-tokens'));
    expect(c.databaseUrl).toBeUndefined();
    expect(c.rateLimit).toEqual([
      { max: 20, windowSeconds: 1 },
      { max: 100, windowSeconds: 5 },
    ]);
    expect(c.port).toBe(8787);
  });

  it('flags win over the environment', () => {
    const c = loadConfig({ port: '0', rateLimit: '5/1m' }, { PORT: '9000', DAILY_TOKENS_RATE_LIMIT: 'off' });
    expect(c.port).toBe(0);
    expect(c.rateLimit).toEqual([{ max: 5, windowSeconds: 60 }]);
    expect(loadConfig({}, { DAILY_TOKENS_RATE_LIMIT: 'off' }).rateLimit).toEqual([]);
  });

  const bad: [string, Parameters<typeof loadConfig>[0], Record<string, string>, RegExp][] = [
    ['port out of range', { port: '70000' }, {}, /--port/],
    ['port not a number', {}, { PORT: 'eighty' }, /PORT/],
    [
      'database URL of another kind',
      { databaseUrl: 'mysql://x' },
      { DAILY_TOKENS_MASTER_KEY: MASTER },
      /postgres:\/\//,
    ],
    [
      'Postgres without master key',
      { databaseUrl: 'postgres://127.0.0.1/test' },
      {},
      /DAILY_TOKENS_MASTER_KEY is required/,
    ],
    ['short master key', {}, { DAILY_TOKENS_MASTER_KEY: 'short' }, /at least 32/],
    ['redis URL of another kind', { redisUrl: 'http://x' }, {}, /redis:\/\//],
    ['rate limit without window', { rateLimit: '20' }, {}, /<count>\/<window>/],
    ['rate limit with unitless window string', { rateLimit: '20/fast' }, {}, /--rate-limit/],
    ['domain id without key', {}, { DAILY_DOMAIN_ID: 'abc' }, /DAILY_API_KEY/],
    ['seed key with spaces', {}, { DAILY_API_KEY: 'has spaces in it' }, /DAILY_API_KEY/],
    ['bad domain name', {}, { DAILY_API_KEY: 'k'.repeat(20), DAILY_DOMAIN_NAME: 'Not A Label' }, /DAILY_DOMAIN_NAME/],
    ['bad schema', {}, { DAILY_TOKENS_DB_SCHEMA: 'x; drop table' }, /DAILY_TOKENS_DB_SCHEMA/],
    ['short admin token', {}, { DAILY_TOKENS_ADMIN_TOKEN: 'abc' }, /DAILY_TOKENS_ADMIN_TOKEN/],
  ];
  it.each(bad)('%s → ConfigError', (_name, flags, env, message) => {
    expect(() => loadConfig(flags, env)).toThrow(ConfigError);
    expect(() => loadConfig(flags, env)).toThrow(message);
  });

  it('reads secrets from NAME_FILE, and refuses NAME and NAME_FILE together', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dt-config-'));
    try {
      const file = join(dir, 'master');
      writeFileSync(file, `${MASTER}\n`);
      expect(loadConfig({}, { DAILY_TOKENS_MASTER_KEY_FILE: file }).masterKey).toBe(MASTER);
      expect(() => loadConfig({}, { DAILY_TOKENS_MASTER_KEY_FILE: file, DAILY_TOKENS_MASTER_KEY: MASTER })).toThrow(
        /both set/,
      );
      expect(() => loadConfig({}, { DAILY_TOKENS_MASTER_KEY_FILE: join(dir, 'missing') })).toThrow(/cannot be read/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never puts secrets into error messages', () => {
    const secret = 'super-secret-value-that-is-short';
    try {
      loadConfig({ databaseUrl: `postgres://u:${secret}@h/db` }, {});
    } catch (e) {
      expect((e as Error).message).not.toContain(secret);
    }
  });
});

describe('parseRateLimit', () => {
  it('reads several windows and plain seconds', () => {
    expect(parseRateLimit('20/1s, 100/5s', 'x')).toEqual([
      { max: 20, windowSeconds: 1 },
      { max: 100, windowSeconds: 5 },
    ]);
    expect(parseRateLimit('2/1', 'x')).toEqual([{ max: 2, windowSeconds: 1 }]);
    expect(() => parseRateLimit('0/1s', 'x')).toThrow(/at least 1/);
  });
});

describe('Redis timeouts', () => {
  it('default to a 250 ms command timeout and a 2 s retry; take ms, s or m', () => {
    expect(loadConfig({}, {})).toMatchObject({ redisTimeoutMs: 250, redisRetryMs: 2000 });
    expect(loadConfig({}, { DAILY_TOKENS_REDIS_TIMEOUT: '40ms', DAILY_TOKENS_REDIS_RETRY: '1m' })).toMatchObject({
      redisTimeoutMs: 40,
      redisRetryMs: 60_000,
    });
  });

  it.each(['0ms', 'fast', '-5ms', '0'])('%j → ConfigError naming the variable', (value) => {
    expect(() => loadConfig({}, { DAILY_TOKENS_REDIS_TIMEOUT: value })).toThrow(/DAILY_TOKENS_REDIS_TIMEOUT/);
  });
});

describe('HTTP timeouts and connection cap', () => {
  it('default to a 30 s request, 10 s headers and 72 s keep-alive timeout, and 1024 connections', () => {
    expect(loadConfig({}, {})).toMatchObject({
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 10_000,
      keepAliveTimeoutMs: 72_000,
      maxConnections: 1024,
    });
    // a short request timeout shortens the default headers timeout with it
    expect(loadConfig({}, { DAILY_TOKENS_REQUEST_TIMEOUT: '2s' })).toMatchObject({ headersTimeoutMs: 2000 });
  });

  it('refuses headers timeouts longer than the request timeout, and bad caps', () => {
    expect(() => loadConfig({}, { DAILY_TOKENS_REQUEST_TIMEOUT: '5s', DAILY_TOKENS_HEADERS_TIMEOUT: '6s' })).toThrow(
      /must not exceed DAILY_TOKENS_REQUEST_TIMEOUT/,
    );
    for (const v of ['0', 'many', '-1']) {
      expect(() => loadConfig({}, { DAILY_TOKENS_MAX_CONNECTIONS: v })).toThrow(/DAILY_TOKENS_MAX_CONNECTIONS/);
    }
  });
});
