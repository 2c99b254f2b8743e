/**
 * API keys are the domains' HMAC secrets, so they are stored encrypted (AES-256-GCM) and found by a
 * keyed hash (HMAC-SHA256), never in plain text. Both subkeys derive from the one master key (HKDF),
 * so a leaked lookup hash says nothing about the encryption key.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

export interface KeyCrypto {
  /** Deterministic keyed hash of an API key (hex), the lookup column. */
  lookupHash(apiKey: string): string;
  /** `v1.<iv>.<tag>.<ciphertext>` in base64url. */
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

function subkey(master: string, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(master, 'utf8'), Buffer.alloc(0), `daily-tokens ${info}`, 32));
}

/**
 * Builds the key sealer from the master key.
 *
 * @example
 * ```ts
 * const c = keyCrypto(process.env.DAILY_TOKENS_MASTER_KEY!);
 * const sealed = c.encrypt(apiKey); c.decrypt(sealed) === apiKey;
 * ```
 */
export function keyCrypto(masterKey: string): KeyCrypto {
  const encKey = subkey(masterKey, 'api-key encryption');
  const macKey = subkey(masterKey, 'api-key lookup');
  return {
    lookupHash: (apiKey) => createHmac('sha256', macKey).update(apiKey, 'utf8').digest('hex'),
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), body]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },
    decrypt(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('stored key has an unknown format');
      const decipher = createDecipheriv('aes-256-gcm', encKey, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      try {
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new Error(
          'a stored API key cannot be decrypted: DAILY_TOKENS_MASTER_KEY is not the key it was stored with',
        );
      }
    },
  };
}

/** Constant-time string equality (lengths may differ; that alone leaks nothing useful). */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  if (ab.length !== bb.length) {
    timingSafeEqual(ab, ab);
    return false;
  }
  return timingSafeEqual(ab, bb);
}

/** A new API key: 64 hex characters, the shape of Daily's keys. */
export function generateApiKey(): string {
  return randomBytes(32).toString('hex');
}

/** A new master key for the embedded default. */
export function generateMasterKey(): string {
  return randomBytes(32).toString('hex');
}
