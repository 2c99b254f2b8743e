/** What an HMAC-SHA256 backend is, and the pieces both backends share. */

/** An HMAC secret: a string is used as its UTF-8 bytes, as Daily uses the API key. */
export type Secret = string | Uint8Array;

export type CryptoBackendName = 'node' | 'webcrypto';

/** A secret made ready for HMAC once: signers and verifiers hold these. */
export interface PreparedKey {
  /** base64url HMAC of `data`; synchronous where the backend allows, to keep the hot path short. */
  sign(data: string): string | Promise<string>;
  /** Checks a base64url signature; false for a wrong or non-canonical one. Constant-time. */
  verify(data: string, signature: string): boolean | Promise<boolean>;
}

export interface Backend {
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
 * A backend's `prepare`, with a bounded cache of prepared keys for string secrets: a string secret costs
 * nothing after first use. `make` is given once, so a lookup allocates nothing.
 */
export function preparing(make: (bytes: Uint8Array) => PreparedKey, utf8: (s: string) => Uint8Array) {
  const cache = new Map<string, PreparedKey>();
  return (secret: Secret): PreparedKey => {
    if (typeof secret !== 'string') return make(secret.slice());
    let key = cache.get(secret);
    if (key === undefined) {
      key = make(utf8(secret));
      if (cache.size >= MAX_CACHED_KEYS) cache.delete(cache.keys().next().value as string);
      cache.set(secret, key);
    }
    return key;
  };
}
