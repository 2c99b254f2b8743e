/**
 * What bundles for the browser get in place of `node-backend.ts` (the package's `browser` field): no
 * node:crypto, so Web Crypto is the backend, and the Node code and its one-shot HMAC are not shipped.
 */
import type { Backend } from './backend.js';

/** Never a node:crypto backend in a browser. */
export function nodeBackend(): Backend | undefined {
  return undefined;
}
