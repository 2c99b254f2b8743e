/**
 * API keys are the domains' HMAC secrets, so they are stored encrypted (AES-256-GCM) and found by a
 * keyed hash (HMAC-SHA256), never in plain text. Both subkeys derive from the one master key (HKDF),
 * so a leaked lookup hash says nothing about the encryption key.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

export interface KeyCrypto {
  /** Deterministic keyed hash of an API key (hex), the lookup column. */
  lookupHash(apiKey: string): string;
  /**
   * `v2.<iv>.<tag>.<ciphertext>` in base64url, sealed with `domainId` as AES-GCM additional data: the
   * ciphertext opens only for that domain, so a row moved to another domain no longer decrypts.
   */
  encrypt(plain: string, domainId: string): string;
  /**
   * Opens a sealed key of `domainId`; throws when it was sealed for another domain or under another master
   * key. `v1` (sealed without additional data, before keys were bound) still opens: start-up re-seals them.
   */
  decrypt(sealed: string, domainId: string): string;
}

/** The additional data that binds a sealed key to its domain. */
const boundTo = (domainId: string) => Buffer.from(`daily-tokens api-key of domain ${domainId}`, 'utf8');

function subkey(master: string, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(master, 'utf8'), Buffer.alloc(0), `daily-tokens ${info}`, 32));
}

/**
 * Builds the key sealer from the master key.
 *
 * @example
 * ```ts
 * const c = keyCrypto(process.env.DAILY_TOKENS_MASTER_KEY!);
 * const sealed = c.encrypt(apiKey, domainId); c.decrypt(sealed, domainId) === apiKey;
 * ```
 */
export function keyCrypto(masterKey: string): KeyCrypto {
  const encKey = subkey(masterKey, 'api-key encryption');
  const macKey = subkey(masterKey, 'api-key lookup');
  return {
    lookupHash: (apiKey) => createHmac('sha256', macKey).update(apiKey, 'utf8').digest('hex'),
    encrypt(plain, domainId) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      cipher.setAAD(boundTo(domainId));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v2', iv, cipher.getAuthTag(), body]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },
    decrypt(sealed, domainId) {
      const [version, iv, tag, body] = sealed.split('.');
      if ((version !== 'v1' && version !== 'v2') || !iv || !tag || body === undefined)
        throw new Error('stored key has an unknown format');
      const decipher = createDecipheriv('aes-256-gcm', encKey, Buffer.from(iv, 'base64url'));
      if (version === 'v2') decipher.setAAD(boundTo(domainId));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      try {
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new Error(
          'a stored API key cannot be decrypted: DAILY_TOKENS_MASTER_KEY is not the key it was stored with, or the key was stored for another domain',
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

/**
 * What listings show of a key: its last characters, at most 4 and at most an eighth of the key, so a short
 * key (a seeded 8-character one) keeps 1 clear character, not half of itself.
 */
export function keyHint(apiKey: string): string {
  return apiKey.slice(-Math.max(1, Math.min(4, Math.floor(apiKey.length / 8))));
}

/** A new API key: 64 hex characters, the shape of Daily's keys. */
export function generateApiKey(): string {
  return randomBytes(32).toString('hex');
}

/** A new master key for the embedded default. */
export function generateMasterKey(): string {
  return randomBytes(32).toString('hex');
}

/**
 * A connection URL fit for a message: its password replaced, or `fallback` when it is not a URL (then
 * nothing of it is shown, since it could be a bare secret).
 *
 * @example
 * ```ts
 * redactUrl('postgres://app:s3cret@db/test', 'postgres'); // 'postgres://app:***@db/test'
 * ```
 */
export function redactUrl(url: string, fallback: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return fallback;
  }
}
