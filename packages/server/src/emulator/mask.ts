/**
 * Masking for the request journal: what an app sent and got back stays readable, the secrets in it do not.
 * API keys, the admin token and other secret-named fields keep only their last few characters (`keyHint`);
 * meeting tokens keep their header and payload (the claims a test wants to see) and lose their signature.
 */
import { keyHint } from '../crypto/secrets.js';

/** A JWT: base64url of `{"…` (header), a payload, a signature. */
const JWT = /\b(eyJ[\w-]*\.[\w-]*)\.[\w-]+/g;
/** Fields whose string values are secrets wherever they appear (compared lower-case, without `_` and `-`). */
const SECRET_FIELDS = new Set([
  'apikey',
  'token',
  'meetingtoken',
  'admintoken',
  'secret',
  'password',
  'authorization',
  'masterkey',
]);
/** Headers whose values are secrets. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']);
const MAX_DEPTH = 32;

/** `…abcd` for a key, `header.payload.…` for a token. */
export function maskSecret(value: string): string {
  if (/^eyJ[\w-]*\.[\w-]*\.[\w-]*$/.test(value)) return value.replace(JWT, '$1.…');
  return value.length === 0 ? '' : `…${keyHint(value)}`;
}

/**
 * Masks secrets inside free text (a path, a query value, a string field): every known secret (this
 * request's bearer key, the admin token) and every meeting token.
 */
export function maskText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 8 && out.includes(s)) out = out.split(s).join(maskSecret(s));
  return out.includes('eyJ') ? out.replace(JWT, '$1.…') : out;
}

const fold = (name: string) => name.replace(/[_-]/g, '').toLowerCase();

/** A copy of a JSON value with secret-named fields masked and secrets in other strings masked. */
export function maskJson(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') return maskText(value, secrets);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return '…';
  if (Array.isArray(value)) return value.map((v) => maskJson(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    // defined, not assigned: a body's own "__proto__" field stays a field of the copy
    Object.defineProperty(out, k, {
      value: typeof v === 'string' && SECRET_FIELDS.has(fold(k)) ? maskSecret(v) : maskJson(v, secrets, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** A header value with its secret masked: `Bearer …abcd`. */
export function maskHeader(name: string, value: string, secrets: readonly string[]): string {
  if (!SECRET_HEADERS.has(name)) return maskText(value, secrets);
  const space = value.indexOf(' ');
  // keep the scheme (Bearer, Basic) so a test can see which was sent
  return space > 0 && space < 16
    ? `${value.slice(0, space)} ${maskSecret(value.slice(space + 1).trim())}`
    : maskSecret(value);
}
