/**
 * HMAC-SHA256 over two backends with the same results: `node:crypto` where the runtime has it
 * (Node, Bun, Deno: node-backend.ts), Web Crypto everywhere else (browsers, edge workers:
 * web-backend.ts). Comparisons are constant-time on both. Bundles for the browser leave the Node
 * backend out (see node-backend.browser.ts).
 */
import { utf8 } from '../util/base64url.js';
import type { Backend, CryptoBackendName, Secret } from './backend.js';
import { nodeBackend } from './node-backend.js';
import { webCryptoBackend } from './web-backend.js';

export type { CryptoBackendName, PreparedKey, Secret } from './backend.js';

function make(name: CryptoBackendName | 'auto'): Backend {
  if (name !== 'webcrypto') {
    const node = nodeBackend();
    if (node) return node;
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
