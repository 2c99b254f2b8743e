/**
 * HMAC-SHA256 over two backends with the same results: `node:crypto` where the runtime has it
 * (Node, Bun, Deno; found through `process.getBuiltinModule`, so bundlers see no import), Web Crypto
 * everywhere else (browsers, edge workers). Comparisons are constant-time on both.
 */
import { decodeBase64url, encodeBase64url, utf8 } from '../util/base64url.js';
import { type OneShotHash, oneShotHmac } from './one-shot-hmac.js';

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

/** A secret made ready for HMAC once: signers and verifiers hold these. */
export interface PreparedKey {
  /** base64url HMAC of `data`; synchronous where the backend allows, to keep the hot path short. */
  sign(data: string): string | Promise<string>;
  /** Checks a base64url signature; false for a wrong or non-canonical one. Constant-time. */
  verify(data: string, signature: string): boolean | Promise<boolean>;
}

interface Backend {
  readonly name: CryptoBackendName;
  /** True when `sign`/`verify` answer synchronously (node:crypto). */
  readonly sync: boolean;
  /**
   * Prepares a secret. A string's preparation is cached, so a string key costs nothing after first use;
   * a Uint8Array is copied, so later changes to the caller's array do not change the key.
   */
  prepare(secret: Secret): PreparedKey;
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
  const reference = (key: Uint8Array | NodeKeyObject, data: string) =>
    c.createHmac('sha256', key).update(data).digest('base64url');
  const fast = oneShotHmac(c.hash, buffers as Parameters<typeof oneShotHmac>[1], reference);
  const make = (bytes: Uint8Array): PreparedKey => {
    let keyObject: NodeKeyObject | undefined;
    // Made only if needed: with the one-shot HMAC, only inputs too long for its buffer need it.
    const viaHmacObject = (data: string) => {
      keyObject ??= c.createSecretKey(bytes);
      return reference(keyObject, data);
    };
    let sign = viaHmacObject;
    if (fast) {
      const pads = fast.pads(bytes);
      sign = (data) => fast.sign(pads, data) ?? viaHmacObject(data);
    }
    return {
      sign,
      // Comparing base64url text is as good as comparing bytes (the encoding is a bijection onto canonical
      // strings) and saves decoding the signature; a non-canonical signature simply does not match.
      verify: (data, signature) => constantTimeEqual(sign(data), signature),
    };
  };
  const cached = keyCache((s) => make(utf8(s)));
  return {
    name: 'node',
    sync: true,
    prepare: (secret) => (typeof secret === 'string' ? cached(secret) : make(secret.slice())),
  };
}

function webCryptoBackend(subtle: SubtleCrypto): Backend {
  const make = (bytes: Uint8Array): PreparedKey => {
    const key = subtle.importKey('raw', bytes as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]);
    // A key that cannot be imported fails its first use, not the preparation.
    key.catch(() => {});
    return {
      async sign(data) {
        return encodeBase64url(new Uint8Array(await subtle.sign('HMAC', await key, utf8(data) as BufferSource)));
      },
      // subtle.verify compares in constant time.
      async verify(data, signature) {
        const bytes = decodeBase64url(signature);
        if (!bytes) return false;
        return subtle.verify('HMAC', await key, bytes as BufferSource, utf8(data) as BufferSource);
      },
    };
  };
  const cached = keyCache((s) => make(utf8(s)));
  return {
    name: 'webcrypto',
    sync: false,
    prepare: (secret) => (typeof secret === 'string' ? cached(secret) : make(secret.slice())),
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
