/**
 * Configuration: command-line flags and environment variables → one validated `ServerConfig`.
 * Every bad value is a `ConfigError` that says which setting is wrong and what to write instead.
 * Secrets (master key, admin token, seed API key) come only from the environment or files, never flags.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { assertKnownOptions, optionNames, parseDuration } from 'daily-tokens';

/** A bad setting; the message names the flag or variable and the fix. */
/**
 * `--data :memory:`: SQLite in memory, nothing written to disk, everything gone when the process ends (the
 * emulator's default in tests; `--export-on-exit` keeps a snapshot).
 */
export const IN_MEMORY = ':memory:';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** One rate-limit window: at most `max` requests per `windowSeconds` per API key. */
export interface RateLimitWindow {
  max: number;
  windowSeconds: number;
}

export interface SeedDomain {
  apiKey: string;
  domainId?: string;
  domainName?: string;
}

export interface ServerConfig {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Folder of the SQLite database (and the generated master key); used when no databaseUrl. */
  dataDir: string;
  databaseUrl?: string;
  /** Postgres schema for every table (tests isolate themselves with one schema each). */
  databaseSchema?: string;
  redisUrl?: string;
  /** Prefix of every Redis key and channel. */
  redisPrefix: string;
  /** Empty: rate limiting off. */
  rateLimit: RateLimitWindow[];
  /**
   * Which proxies' X-Forwarded-For to believe for the client address (the per-address limit on failed
   * logins, logs): false (none, the default), or the proxies' addresses and CIDR ranges.
   */
  trustProxy: false | string[];
  /** Master key material for AES-256-GCM and the keyed-hash lookup; undefined lets SQLite generate one. */
  masterKey?: string;
  /** Bearer token of /admin/…; undefined disables the admin API. */
  adminToken?: string;
  seed?: SeedDomain;
  /** Seconds a rotated key keeps validating, unless a rotate call says otherwise. */
  defaultGraceSeconds: number;
  /** How long a replica trusts its cached view of a key (ms); invalidation messages cut it short. */
  keyCacheTtlMs: number;
  /** pino level; 'silent' in tests. */
  logLevel: string;
  /** How long SIGTERM waits for in-flight requests before closing their connections. */
  drainTimeoutMs: number;
  /**
   * After SIGTERM, how long idle kept-alive connections stay open so that a request sent on one gets
   * 503 + Connection: close (retry elsewhere) instead of a reset. Skipped when no connection is open.
   */
  drainLingerMs: number;
  /** A Redis command not answered within this fails (and the request goes on without Redis). */
  redisTimeoutMs: number;
  /** After a Redis failure, how long to work without it before trying again. */
  redisRetryMs: number;
  /** A client that has not sent its whole request (headers and body) within this is answered 408 and dropped. */
  requestTimeoutMs: number;
  /** The same for the headers alone (at most requestTimeoutMs). */
  headersTimeoutMs: number;
  /** An idle kept-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Open connections at most; further ones are closed at once. */
  maxConnections: number;
  /**
   * Open connections at most per client (an IPv4 address, an IPv6 /64), so one client cannot hold them all;
   * further ones from it are closed at once. Behind a trusted proxy every connection comes from the proxy,
   * so then the default is `maxConnections` (no per-address limit).
   */
  maxConnectionsPerAddress: number;
  /**
   * For an app's test suite: `POST /v1/meeting-tokens` also mints a token whose `exp` has already passed
   * (`allowExpired` of the library), instead of refusing it. Off by default.
   */
  allowPastExp?: boolean;
  /**
   * Emulator mode, for tests: a virtual clock and, under `/admin/` (with the admin token), fault injection,
   * a request journal, clock control and snapshots. A production service never turns it on.
   */
  emulator?: boolean;
  /** Emulator mode: a snapshot file to restore before listening (`--import`). */
  importFile?: string;
  /** Emulator mode: where to write a snapshot when the service stops (`--export-on-exit`), mode 0600. */
  exportOnExit?: string;
}

/** Flags as commander hands them over (all strings or undefined). */
export interface ServerFlags {
  port?: string | number;
  host?: string;
  data?: string;
  databaseUrl?: string;
  redisUrl?: string;
  rateLimit?: string;
  trustProxy?: string;
  allowPastExp?: boolean;
  emulator?: boolean;
  import?: string;
  exportOnExit?: string;
}

const SERVER_CONFIG_KEYS = optionNames<ServerConfig>()([
  'host',
  'port',
  'dataDir',
  'databaseUrl',
  'databaseSchema',
  'redisUrl',
  'redisPrefix',
  'rateLimit',
  'trustProxy',
  'masterKey',
  'adminToken',
  'seed',
  'defaultGraceSeconds',
  'keyCacheTtlMs',
  'logLevel',
  'drainTimeoutMs',
  'drainLingerMs',
  'redisTimeoutMs',
  'redisRetryMs',
  'requestTimeoutMs',
  'headersTimeoutMs',
  'keepAliveTimeoutMs',
  'maxConnections',
  'maxConnectionsPerAddress',
  'allowPastExp',
  'emulator',
  'importFile',
  'exportOnExit',
]);
const SEED_KEYS = optionNames<SeedDomain>()(['apiKey', 'domainId', 'domainName']);
const SERVER_FLAG_KEYS = optionNames<ServerFlags>()([
  'port',
  'host',
  'data',
  'databaseUrl',
  'redisUrl',
  'rateLimit',
  'trustProxy',
  'allowPastExp',
  'emulator',
  'import',
  'exportOnExit',
]);

/**
 * A `ServerConfig` built or changed by hand (rather than by `loadConfig`) with a misspelt key would run
 * with the default in its place: `TypeError` naming the key, as the library's functions do.
 */
export function assertServerConfig(config: ServerConfig, caller: string): void {
  if (typeof config !== 'object' || config === null) {
    throw new TypeError(`${caller} needs a ServerConfig, e.g. loadConfig({ port: '0' })`);
  }
  assertKnownOptions(config, SERVER_CONFIG_KEYS, caller);
  if (typeof config.seed === 'object' && config.seed !== null)
    assertKnownOptions(config.seed, SEED_KEYS, `${caller} seed`);
}

export const DEFAULT_RATE_LIMIT = '20/1s,100/5s';
const MAX_ENV_LENGTH = 4096;

type Env = Record<string, string | undefined>;

/** Reads `NAME`, or the file named by `NAME_FILE` (trimmed), so secrets can live in mounted files. */
export function secretFromEnv(env: Env, name: string): string | undefined {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  if (direct !== undefined && direct !== '' && file) {
    throw new ConfigError(`${name} and ${name}_FILE are both set; keep one of them`);
  }
  let value = direct;
  if (file) {
    try {
      value = readFileSync(file, 'utf8').trim();
    } catch (e) {
      throw new ConfigError(
        `${name}_FILE points to ${file}, which cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  }
  if (value === undefined || value === '') return undefined;
  if (value.length > MAX_ENV_LENGTH) throw new ConfigError(`${name} is longer than ${MAX_ENV_LENGTH} characters`);
  return value;
}

/** Parses `20/1s,100/5s`, `50/10s` or `off`. */
export function parseRateLimit(value: string, source: string): RateLimitWindow[] {
  const v = value.trim();
  if (v === 'off' || v === 'none' || v === '0') return [];
  const windows: RateLimitWindow[] = [];
  for (const part of v.split(',')) {
    const m = /^\s*(\d+)\s*\/\s*(\S+)\s*$/.exec(part);
    if (!m?.[1] || !m[2]) {
      throw new ConfigError(
        `${source}: ${JSON.stringify(part)} is not <count>/<window>; write e.g. "20/1s,100/5s", "50/10s" or "off"`,
      );
    }
    const max = Number(m[1]);
    let windowSeconds: number;
    try {
      // a bare number after the slash means seconds, as in "20/1"
      windowSeconds = parseDuration(/^\d+$/.test(m[2]) ? Number(m[2]) : m[2], `${source} window`);
    } catch (e) {
      throw new ConfigError(`${source}: ${(e as Error).message}`);
    }
    if (max < 1 || windowSeconds < 1) {
      throw new ConfigError(
        `${source}: count and window must be at least 1 (got ${part.trim()}); use "off" to disable`,
      );
    }
    windows.push({ max, windowSeconds });
  }
  return windows;
}

function parsePort(value: string | number, source: string): number {
  const s = String(value).trim();
  if (!/^\d{1,5}$/.test(s) || Number(s) > 65535) {
    throw new ConfigError(
      `${source} must be a port number from 0 to 65535 (0 picks a free port), got ${JSON.stringify(s)}`,
    );
  }
  return Number(s);
}

function parseUrl(value: string, source: string, protocols: string[], example: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${source} is not a URL; write it like ${example}`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(
      `${source} must start with ${protocols.map((p) => `${p}//`).join(' or ')}; write it like ${example}`,
    );
  }
  return value;
}

/**
 * A duration setting in milliseconds: "250ms", or anything `parseSeconds` takes ("2s", "1m", plain seconds).
 * Must be at least 1 ms.
 */
export function parseMillis(value: string, source: string): number {
  const m = /^\s*(\d+)\s*ms\s*$/.exec(value);
  const ms = m?.[1] ? Number(m[1]) : parseSeconds(value.trim(), source) * 1000;
  if (!Number.isSafeInteger(ms) || ms < 1) {
    throw new ConfigError(`${source} must be at least 1ms; write e.g. "250ms", "2s" or "1m"`);
  }
  return ms;
}

/** A duration setting ("15m", "24h", or plain seconds) → seconds; `source` names it in the error. */
export function parseSeconds(value: string, source: string): number {
  try {
    return parseDuration(/^\d+$/.test(value) ? Number(value) : value, source);
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** proxy-addr's names for address ranges, as Fastify's trustProxy takes them. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * `--trust-proxy`: "false" (or empty), or a comma list of addresses, CIDR ranges and the names loopback /
 * linklocal / uniquelocal. "true" and hop counts are refused: they cannot tell the proxy from a client
 * that writes its own X-Forwarded-For, so any client could pick the address it is limited by.
 */
export function parseTrustProxy(value: string, source: string): false | string[] {
  const text = value.trim();
  if (text === '' || text === 'false') return false;
  if (text === 'true' || /^\d+$/.test(text)) {
    throw new ConfigError(
      `${source}=${text} cannot tell your proxy from a client that sends its own X-Forwarded-For; give the proxy's address or range instead (e.g. 10.0.0.0/8 or loopback)`,
    );
  }
  const entries = text.split(',').map((e) => e.trim());
  for (const entry of entries) {
    if (!isProxyEntry(entry)) {
      throw new ConfigError(
        `${source}: ${JSON.stringify(entry)} is not an IP address, CIDR range (10.0.0.0/8) or one of ${[...PROXY_RANGE_NAMES].join(', ')}`,
      );
    }
  }
  return entries;
}

function isProxyEntry(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Builds the service configuration from flags (which win) and the environment.
 *
 * @example
 * ```ts
 * const config = loadConfig({ port: '0', data: './.daily-tokens' }, process.env);
 * ```
 */
/** An on/off environment variable: unset or empty is off. */
function parseSwitch(raw: string | undefined, name: string): boolean {
  if (raw === undefined || raw === '') return false;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false (or 1/0), got ${JSON.stringify(raw.slice(0, 40))}`);
}

export function loadConfig(flags: ServerFlags = {}, env: Env = process.env): ServerConfig {
  if (typeof flags !== 'object' || flags === null) throw new TypeError('loadConfig flags must be an object');
  assertKnownOptions(flags, SERVER_FLAG_KEYS, 'loadConfig');
  const host = flags.host ?? env.DAILY_TOKENS_HOST ?? '127.0.0.1';
  if (!/^[\w.:-]{1,255}$/.test(host))
    throw new ConfigError(`--host ${JSON.stringify(host)} is not a host name or IP address`);
  const port = parsePort(
    flags.port ?? env.PORT ?? env.DAILY_TOKENS_PORT ?? 8787,
    flags.port !== undefined ? '--port' : 'PORT',
  );
  const dataRaw = flags.data ?? env.DAILY_TOKENS_DATA ?? '.daily-tokens';
  const dataDir = dataRaw === IN_MEMORY || isAbsolute(dataRaw) ? dataRaw : resolve(process.cwd(), dataRaw);

  const dbRaw = flags.databaseUrl ?? secretFromEnv(env, 'DATABASE_URL');
  const databaseUrl = dbRaw
    ? parseUrl(
        dbRaw,
        flags.databaseUrl ? '--database-url' : 'DATABASE_URL',
        ['postgres:', 'postgresql:'],
        'postgres://user@127.0.0.1:5432/db',
      )
    : undefined;
  const databaseSchema = env.DAILY_TOKENS_DB_SCHEMA || undefined;
  if (databaseSchema !== undefined && !SCHEMA_NAME.test(databaseSchema)) {
    throw new ConfigError('DAILY_TOKENS_DB_SCHEMA must be a lower-case SQL identifier such as "daily_tokens"');
  }
  const redisRaw = flags.redisUrl ?? secretFromEnv(env, 'REDIS_URL');
  const redisUrl = redisRaw
    ? parseUrl(redisRaw, flags.redisUrl ? '--redis-url' : 'REDIS_URL', ['redis:', 'rediss:'], 'redis://127.0.0.1:6379')
    : undefined;

  const rateLimit = parseRateLimit(
    flags.rateLimit ?? env.DAILY_TOKENS_RATE_LIMIT ?? DEFAULT_RATE_LIMIT,
    flags.rateLimit !== undefined ? '--rate-limit' : 'DAILY_TOKENS_RATE_LIMIT',
  );

  const trustProxy = parseTrustProxy(
    flags.trustProxy ?? env.DAILY_TOKENS_TRUST_PROXY ?? '',
    flags.trustProxy !== undefined ? '--trust-proxy' : 'DAILY_TOKENS_TRUST_PROXY',
  );

  const allowPastExp =
    flags.allowPastExp ?? parseSwitch(env.DAILY_TOKENS_ALLOW_PAST_EXP, 'DAILY_TOKENS_ALLOW_PAST_EXP');

  const emulator = flags.emulator ?? parseSwitch(env.DAILY_TOKENS_EMULATOR, 'DAILY_TOKENS_EMULATOR');
  const importFile = snapshotPath(flags.import, '--import', emulator);
  const exportOnExit = snapshotPath(flags.exportOnExit, '--export-on-exit', emulator);

  const masterKey = secretFromEnv(env, 'DAILY_TOKENS_MASTER_KEY');
  if (masterKey !== undefined && masterKey.length < 32) {
    throw new ConfigError(
      "DAILY_TOKENS_MASTER_KEY must be at least 32 characters; generate one with: node -e \"console.log(require('crypto').randomBytes(32).toString('hex'))\"",
    );
  }
  if (databaseUrl && masterKey === undefined) {
    throw new ConfigError(
      'DAILY_TOKENS_MASTER_KEY is required with Postgres (API keys are stored encrypted under it, and every replica needs the same key); set it or DAILY_TOKENS_MASTER_KEY_FILE',
    );
  }
  const adminToken = secretFromEnv(env, 'DAILY_TOKENS_ADMIN_TOKEN');
  if (adminToken !== undefined && adminToken.length < 16) {
    throw new ConfigError('DAILY_TOKENS_ADMIN_TOKEN must be at least 16 characters');
  }

  const seedKey = secretFromEnv(env, 'DAILY_API_KEY');
  let seed: SeedDomain | undefined;
  if (seedKey !== undefined) {
    if (!/^[\x21-\x7e]{8,256}$/.test(seedKey)) {
      throw new ConfigError('DAILY_API_KEY must be 8–256 printable characters without spaces');
    }
    seed = { apiKey: seedKey };
    if (env.DAILY_DOMAIN_ID) {
      seed.domainId = checkDomainId(env.DAILY_DOMAIN_ID, 'DAILY_DOMAIN_ID');
    }
    if (env.DAILY_DOMAIN_NAME) seed.domainName = checkDomainName(env.DAILY_DOMAIN_NAME, 'DAILY_DOMAIN_NAME');
  } else if (env.DAILY_DOMAIN_ID || env.DAILY_DOMAIN_NAME) {
    throw new ConfigError(
      'DAILY_DOMAIN_ID / DAILY_DOMAIN_NAME seed a domain only together with DAILY_API_KEY; set DAILY_API_KEY too',
    );
  }

  return {
    host,
    port,
    dataDir,
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(databaseSchema ? { databaseSchema } : {}),
    ...(redisUrl ? { redisUrl } : {}),
    redisPrefix: env.DAILY_TOKENS_REDIS_PREFIX || 'daily-tokens:',
    rateLimit,
    trustProxy,
    ...(masterKey ? { masterKey } : {}),
    ...(adminToken ? { adminToken } : {}),
    ...(seed ? { seed } : {}),
    defaultGraceSeconds: parseSeconds(env.DAILY_TOKENS_KEY_GRACE ?? '24h', 'DAILY_TOKENS_KEY_GRACE'),
    keyCacheTtlMs: 500,
    logLevel: env.DAILY_TOKENS_LOG_LEVEL ?? 'info',
    drainTimeoutMs: parseMillis(env.DAILY_TOKENS_DRAIN_TIMEOUT ?? '10s', 'DAILY_TOKENS_DRAIN_TIMEOUT'),
    drainLingerMs: parseMillis(env.DAILY_TOKENS_DRAIN_LINGER ?? '1s', 'DAILY_TOKENS_DRAIN_LINGER'),
    redisTimeoutMs: parseMillis(env.DAILY_TOKENS_REDIS_TIMEOUT ?? '250ms', 'DAILY_TOKENS_REDIS_TIMEOUT'),
    redisRetryMs: parseMillis(env.DAILY_TOKENS_REDIS_RETRY ?? '2s', 'DAILY_TOKENS_REDIS_RETRY'),
    ...httpLimits(env, trustProxy !== false),
    ...(allowPastExp ? { allowPastExp } : {}),
    ...(emulator ? { emulator } : {}),
    ...(importFile ? { importFile } : {}),
    ...(exportOnExit ? { exportOnExit } : {}),
  };
}

/** `--import` / `--export-on-exit`: a file path, only in emulator mode (a snapshot replaces the whole state). */
function snapshotPath(value: string | undefined, flag: string, emulator: boolean): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw new ConfigError(`${flag} needs a file path`);
  if (!emulator)
    throw new ConfigError(
      `${flag} works in emulator mode only (a snapshot replaces every domain, key and room); add --emulator or set DAILY_TOKENS_EMULATOR=1`,
    );
  return isAbsolute(value) ? value : resolve(process.cwd(), value);
}

/** Timeouts and the connection cap of the HTTP server, so slow or idle clients cannot hold it. */
function httpLimits(env: Env, behindProxy: boolean) {
  const requestTimeoutMs = parseMillis(env.DAILY_TOKENS_REQUEST_TIMEOUT ?? '30s', 'DAILY_TOKENS_REQUEST_TIMEOUT');
  const headersTimeoutMs = parseMillis(
    env.DAILY_TOKENS_HEADERS_TIMEOUT ?? `${Math.min(10_000, requestTimeoutMs)}ms`,
    'DAILY_TOKENS_HEADERS_TIMEOUT',
  );
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError(
      `DAILY_TOKENS_HEADERS_TIMEOUT (${headersTimeoutMs} ms) must not exceed DAILY_TOKENS_REQUEST_TIMEOUT (${requestTimeoutMs} ms): the headers are part of the request`,
    );
  }
  const keepAliveTimeoutMs = parseMillis(
    env.DAILY_TOKENS_KEEP_ALIVE_TIMEOUT ?? '72s',
    'DAILY_TOKENS_KEEP_ALIVE_TIMEOUT',
  );
  const maxConnections = wholeNumber(env, 'DAILY_TOKENS_MAX_CONNECTIONS', 1024);
  const maxConnectionsPerAddress = wholeNumber(
    env,
    'DAILY_TOKENS_MAX_CONNECTIONS_PER_ADDRESS',
    behindProxy ? maxConnections : Math.min(DEFAULT_CONNECTIONS_PER_ADDRESS, maxConnections),
  );
  return { requestTimeoutMs, headersTimeoutMs, keepAliveTimeoutMs, maxConnections, maxConnectionsPerAddress };
}

/** A quarter of the default cap: a client needs four addresses (four /64s) to fill it. */
export const DEFAULT_CONNECTIONS_PER_ADDRESS = 256;

function wholeNumber(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  const v = (raw === undefined || raw === '' ? String(fallback) : raw).trim();
  if (!/^\d{1,7}$/.test(v) || Number(v) < 1) {
    throw new ConfigError(`${name} must be a whole number from 1, got ${JSON.stringify(v.slice(0, 40))}`);
  }
  return Number(v);
}

/** Domain names are subdomain labels (`your-team` of your-team.daily.co). */
/** A domain id as Daily has them (a UUID), or any id of letters, digits, - and _ up to 64 characters. */
export function checkDomainId(id: unknown, source: string): string {
  if (typeof id !== 'string' || !/^[\w-]{1,64}$/.test(id)) {
    throw new ConfigError(`${source} must be letters, digits, - or _ (a UUID)`);
  }
  return id;
}

export function checkDomainName(name: string, source: string): string {
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(name)) {
    throw new ConfigError(
      `${source} must be a lower-case subdomain label such as "acme-dev" (letters, digits, inner dashes)`,
    );
  }
  return name;
}
