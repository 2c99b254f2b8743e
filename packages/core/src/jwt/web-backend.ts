/** The Web Crypto backend: browsers, edge workers, and any runtime without node:crypto. */
import { decodeBase64url, encodeBase64url, utf8 } from '../util/base64url.js';
import { type Backend, type PreparedKey, preparing } from './backend.js';

export function webCryptoBackend(subtle: SubtleCrypto): Backend {
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
  return { name: 'webcrypto', sync: false, prepare: preparing(make, utf8) };
}
