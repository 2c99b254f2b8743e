/**
 * The node:crypto backend (Node, Bun, Deno), found through `process.getBuiltinModule` so that bundlers
 * see no import. Bundles for the browser get `node-backend.browser.ts` in its place (the package's
 * `browser` field), which ships none of this.
 */
import { utf8 } from '../util/base64url.js';
import { type Backend, type PreparedKey, preparing } from './backend.js';
import { type OneShotHash, oneShotHmac } from './one-shot-hmac.js';

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

/** Compares two strings in time that depends only on their lengths. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

function builtin(id: string): unknown {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    return proc?.getBuiltinModule?.(id);
  } catch {
    return undefined;
  }
}

/** The node:crypto backend, or undefined where the runtime has no node:crypto. */
export function nodeBackend(): Backend | undefined {
  const c = builtin('node:crypto') as NodeCrypto | undefined;
  if (!c) return undefined;
  const reference = (key: Uint8Array | NodeKeyObject, data: string) =>
    c.createHmac('sha256', key).update(data).digest('base64url');
  const fast = oneShotHmac(c.hash, builtin('node:buffer') as Parameters<typeof oneShotHmac>[1], reference);
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
  return { name: 'node', sync: true, prepare: preparing(make, utf8) };
}
