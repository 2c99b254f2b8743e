/**
 * HMAC-SHA256 over two backends with the same results: `node:crypto` where the runtime has it
 * (Node, Bun, Deno; found through `process.getBuiltinModule`, so bundlers see no import), Web Crypto
 * everywhere else (browsers, edge workers). Comparisons are constant-time on both.
 */
import { decodeBase64url, encodeBase64url, utf8 } from '../util/base64url.js';
import { type HmacPads, type OneShotHash, oneShotHmac } from './one-shot-hmac.js';

/** An HMAC secret: a string is used as its UTF-8 bytes, as Daily uses the API key. */
export type Secret = string | Uint8Array;

interface NodeKeyObject {
  readonly type: string;
}
interface NodeHmac {
  update(data: string): NodeHmac;
  digest(): Uint8Array;
  digest(encoding: 'base64url'): string;
}
interface NodeCrypto {
  createHmac(alg: string, key: NodeKeyObject | Uint8Array): NodeHmac;
  createSecretKey(key: Uint8Array): NodeKeyObject;
  /** One-shot digest, Node ≥ 20.12. */
  hash?: OneShotHash;
}

export type CryptoBackendName = 'node' | 'webcrypto';

interface Backend {
  readonly name: CryptoBackendName;
  /** base64url HMAC of `data`; synchronous where the backend allows, to keep the hot path short. */
  sign(secret: Secret, data: string): string | Promise<string>;
  /** Checks a base64url signature; false for a wrong or non-canonical one. Constant-time. */
  verify(secret: Secret, data: string, signature: string): boolean | Promise<boolean>;
}

const MAX_CACHED_KEYS = 256;

/**
 * Bounded cache of prepared keys for string secrets: a string secret costs nothing after first use.
 * `prepare` is given once, so a lookup allocates nothing.
 */
function keyCache<K>(prepare: (secret: string) => K) {
  const cache = new Map<string, K>();
  return (secret: string): K => {
    let key = cache.get(secret);
    if (key === undefined) {
      key = prepare(secret);
      if (cache.size >= MAX_CACHED_KEYS) cache.delete(cache.keys().next().value as string);
      cache.set(secret, key);
    }
    return key;
  };
}

/** Compares two strings in time that depends only on their lengths. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

function nodeBackend(c: NodeCrypto, buffers: unknown): Backend {
  const fast = oneShotHmac(c.hash, buffers as Parameters<typeof oneShotHmac>[1], (key, data) =>
    c.createHmac('sha256', key).update(data).digest('base64url'),
  );
  const cachedKeys = keyCache((s) => c.createSecretKey(utf8(s)));
  const keyObject = (s: Secret) => (typeof s === 'string' ? cachedKeys(s) : s);
  const viaHmacObject = (secret: Secret, data: string) =>
    c.createHmac('sha256', keyObject(secret)).update(data).digest('base64url');
  let sign = viaHmacObject;
  if (fast) {
    const cachedPads = keyCache((s) => fast.pads(utf8(s)));
    // A Uint8Array secret is not cached: the caller may change its bytes between calls.
    const pads = (s: Secret): HmacPads | Uint8Array => (typeof s === 'string' ? cachedPads(s) : s);
    sign = (secret, data) => fast.sign(pads(secret), data) ?? viaHmacObject(secret, data);
  }
  return {
    name: 'node',
    sign,
    // Comparing base64url text is as good as comparing bytes (the encoding is a bijection onto canonical
    // strings) and saves decoding the signature; a non-canonical signature simply does not match.
    verify: (secret, data, signature) => constantTimeEqual(sign(secret, data), signature),
  };
}

function webCryptoBackend(subtle: SubtleCrypto): Backend {
  const importKey = (bytes: Uint8Array) =>
    subtle.importKey('raw', bytes as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  const cached = keyCache((s) => importKey(utf8(s)));
  const key = (s: Secret) => (typeof s === 'string' ? cached(s) : importKey(s));
  return {
    name: 'webcrypto',
    async sign(secret, data) {
      return encodeBase64url(new Uint8Array(await subtle.sign('HMAC', await key(secret), utf8(data) as BufferSource)));
    },
    // subtle.verify compares in constant time.
    async verify(secret, data, signature) {
      const bytes = decodeBase64url(signature);
      if (!bytes) return false;
      return subtle.verify('HMAC', await key(secret), bytes as BufferSource, utf8(data) as BufferSource);
    },
  };
}

function builtin(id: string): unknown {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    return proc?.getBuiltinModule?.(id);
  } catch {
    return undefined;
  }
}

function make(name: CryptoBackendName | 'auto'): Backend {
  if (name !== 'webcrypto') {
    const c = builtin('node:crypto') as NodeCrypto | undefined;
    if (c) return nodeBackend(c, builtin('node:buffer'));
    if (name === 'node') throw new TypeError('node:crypto is not available in this runtime; use "webcrypto"');
  }
  const subtle = (globalThis as { crypto?: Crypto }).crypto?.subtle;
  if (!subtle) throw new TypeError('No HMAC implementation: this runtime has neither node:crypto nor Web Crypto');
  return webCryptoBackend(subtle);
}

let backend: Backend | undefined;

/** The backend in use, chosen on first use. */
export function hmac(): Backend {
  if (!backend) backend = make('auto');
  return backend;
}

/**
 * Chooses the HMAC implementation. `auto` (the default) prefers `node:crypto` and falls back to Web
 * Crypto; tests use this to run the whole suite on both. Returns the name of the backend now in use.
 *
 * @example
 * ```ts
 * useCryptoBackend('webcrypto') // 'webcrypto'
 * ```
 */
export function useCryptoBackend(name: CryptoBackendName | 'auto'): CryptoBackendName {
  if (name !== 'auto' && name !== 'node' && name !== 'webcrypto') {
    throw new TypeError(`crypto backend must be "auto", "node" or "webcrypto", got ${String(name)}`);
  }
  backend = make(name);
  return backend.name;
}

/** Checks a caller-supplied secret; throws TypeError (never echoing the secret). */
export function assertSecret(secret: unknown, name: string): asserts secret is Secret {
  if (typeof secret === 'string') {
    if (secret.length === 0) throw new TypeError(`${name} is an empty string`);
    return;
  }
  if (secret instanceof Uint8Array) {
    if (secret.length === 0) throw new TypeError(`${name} is empty`);
    return;
  }
  throw new TypeError(`${name} must be a string or a Uint8Array (the domain's API key)`);
}

/** Byte length of a secret, for the weak-key lint. */
export function secretLength(secret: Secret): number {
  return typeof secret === 'string' ? utf8(secret).length : secret.length;
}
