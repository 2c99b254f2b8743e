/**
 * Strict base64url (RFC 4648 §5, no padding). Decoding refuses anything a canonical encoder would not
 * produce, so one token has exactly one spelling and a signature cannot be "malleated" by flipping
 * unused trailing bits.
 */

interface NodeBytes extends Uint8Array {
  toString(encoding?: string, start?: number, end?: number): string;
  write(text: string, offset: number, encoding: string): number;
  /** The native halves of `write(s, o, 'base64url')` and `toString('utf8', a, b)`. */
  base64urlWrite?(text: string, offset: number): number;
  utf8Slice?(start: number, end: number): string;
}
interface BufferLike {
  from(input: string | Uint8Array, encoding?: string): NodeBytes;
  alloc(size: number): NodeBytes;
  byteLength(input: string, encoding: 'utf8'): number;
}
// Node, Bun and Deno (with its Node layer) have Buffer, which is faster than atob/btoa.
const NodeBuffer = (globalThis as { Buffer?: BufferLike }).Buffer;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) INDEX[ALPHABET.charCodeAt(i)] = i;

const ALPHABET_ONLY = /^[A-Za-z0-9_-]*$/;

/** True when `s` is canonical unpadded base64url. */
export function isCanonicalBase64url(s: string): boolean {
  const rem = s.length % 4;
  if (rem === 1 || !ALPHABET_ONLY.test(s)) return false;
  return rem === 0 || trailingBitsClear(s, rem);
}

/** Decodes canonical base64url; returns undefined for anything else. */
export function decodeBase64url(s: string): Uint8Array | undefined {
  if (!isCanonicalBase64url(s)) return undefined;
  if (NodeBuffer) return NodeBuffer.from(s, 'base64url');
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Encodes bytes as unpadded base64url. */
export function encodeBase64url(bytes: Uint8Array): string {
  if (NodeBuffer) return NodeBuffer.from(bytes).toString('base64url');
  let bin = '';
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i] as number);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const encoder = /* @__PURE__ */ new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 string → base64url. */
export function encodeBase64urlString(s: string): string {
  if (NodeBuffer) return NodeBuffer.from(s, 'utf8').toString('base64url');
  return encodeBase64url(encoder.encode(s));
}

/** Decoded bytes up to this size reuse one buffer instead of allocating (a payload under the token cap fits). */
const SCRATCH_BYTES = 8192;

let scratch: NodeBytes | undefined;

/**
 * A character beyond Latin-1. Buffer's decoder reads only the low byte of such a character, so `Ł`
 * (U+0141) decodes as `A` and would pass for the alphabet; no such character is base64url. On the
 * one-byte strings tokens nearly always are, V8 answers this without scanning.
 */
const BEYOND_LATIN1 = /[\u0100-\uffff]/;

/** base64url → UTF-8 string; undefined when not canonical base64url or not valid UTF-8. */
export function decodeBase64urlString(s: string): string | undefined {
  if (NodeBuffer && s.length <= (SCRATCH_BYTES / 3) * 4) {
    // refused before decoding: what the lenient decoder would misread (see canonicalWrite for the rest)
    if (BEYOND_LATIN1.test(s)) return undefined;
    scratch ??= NodeBuffer.alloc(SCRATCH_BYTES);
    // Node, Bun and Deno give Buffer the native methods behind `write` and `toString`; calling them
    // directly skips the wrappers' argument checks, a tenth of the cost of decoding a payload.
    const length = scratch.base64urlWrite ? scratch.base64urlWrite(s, 0) : scratch.write(s, 0, 'base64url');
    return canonicalWrite(s, length) ? bufferUtf8(scratch, length) : undefined;
  }
  const bytes = decodeBase64url(s);
  if (!bytes) return undefined;
  return NodeBuffer ? bufferUtf8(bytes as NodeBytes, bytes.length) : strictUtf8(bytes);
}

/**
 * Whether `s` (no character beyond Latin-1: see BEYOND_LATIN1), which Buffer's lenient decoder turned
 * into `length` bytes, is canonical base64url. That decoder skips the other characters outside the
 * alphabet (and stops at `=`), so every such character costs bytes: the count is exactly three per four
 * characters only when all of them decoded. It also takes `+` and `/`, which two native scans rule out,
 * and ignores the trailing bits, which must be zero. Together that is the alphabet check, for a fraction of
 * a regular expression's cost (test/base64url.test.ts tries every UTF-16 code unit in every position).
 */
function canonicalWrite(s: string, length: number): boolean {
  const rem = s.length % 4;
  if (rem === 1 || length !== (s.length * 3) >> 2 || s.includes('+') || s.includes('/')) return false;
  return rem === 0 || trailingBitsClear(s, rem);
}

/** The last character carries bits that fall off the end; a canonical encoder leaves them zero. */
function trailingBitsClear(s: string, rem: number): boolean {
  const last = INDEX[s.charCodeAt(s.length - 1)] as number;
  return rem === 2 ? (last & 0x0f) === 0 : (last & 0x03) === 0;
}

/**
 * Buffer's UTF-8 decoder is faster than TextDecoder but replaces bad bytes with U+FFFD;
 * only a string that contains U+FFFD needs the strict decoder to tell the two apart.
 */
function bufferUtf8(bytes: NodeBytes, length: number): string | undefined {
  const text = bytes.utf8Slice ? bytes.utf8Slice(0, length) : bytes.toString('utf8', 0, length);
  return text.includes('\uFFFD') ? strictUtf8(bytes.subarray(0, length)) : text;
}

function strictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** The length of the unpadded base64url encoding of `s` as UTF-8, without encoding it. */
export function base64urlLengthOf(s: string): number {
  const bytes = NodeBuffer ? NodeBuffer.byteLength(s, 'utf8') : encoder.encode(s).length;
  const rest = bytes % 3;
  return ((bytes - rest) / 3) * 4 + (rest ? rest + 1 : 0);
}

export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}
