/** Splitting and decoding a compact JWS, shared by decode and verify. Nothing here checks a signature. */
import { decodeBase64urlString } from '../util/base64url.js';
import { isPlainObject } from '../util/object.js';

/** Daily advises tokens under this many characters (URLs and headers may cut longer ones): a warning, not a refusal. */
export const TOKEN_LENGTH_ADVICE = 2048;

/** Tokens longer than this are refused before any parsing work (well above {@link TOKEN_LENGTH_ADVICE}). */
export const MAX_TOKEN_LENGTH = 8192;

/** An HMAC-SHA256 signature is 32 bytes: 43 base64url characters. */
export const SIGNATURE_LENGTH = 43;

/**
 * `{"alg":"HS256","typ":"JWT"}` as nearly every signer writes it, base64url-encoded. Written out rather
 * than encoded at load, so that decoding ships no encoder; a test checks it against the encoding.
 */
export const STANDARD_HEADER = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9';

export interface JwtHeader {
  alg?: unknown;
  typ?: unknown;
  kid?: unknown;
  [key: string]: unknown;
}

export interface ParsedToken {
  header: JwtHeader;
  /** The payload object, or undefined with `payloadError` saying why. */
  payload?: Record<string, unknown>;
  payloadError?: string;
  /**
   * Where the signature part starts: it is `token.slice(signatureAt)`, and the bytes it covers
   * (`header.payload`) are `token.slice(0, signatureAt - 1)`. An index, not the slices, so that decoding,
   * which needs neither, does not allocate them.
   */
  signatureAt: number;
}

/** The parsed token, or the message that says why it cannot be read (no wrapper object: decode is hot). */
export type ParseResult = ParsedToken | string;

/** What `parseJson` returns for text that is not JSON (no JSON text parses to a fresh symbol). */
const NOT_JSON = Symbol('not JSON');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

/**
 * Splits a token into its parts. A token whose header cannot be read fails outright; a payload or
 * signature that cannot be read is reported in the result, so callers can still say what else is wrong.
 */
export function parseToken(token: unknown): ParseResult {
  if (typeof token !== 'string') return `a token must be a string, got ${token === null ? 'null' : typeof token}`;
  if (token.length > MAX_TOKEN_LENGTH) {
    return `token is ${token.length} characters; tokens over ${MAX_TOKEN_LENGTH} are refused`;
  }
  if (token.length === 0) return 'token is empty';
  const dot1 = token.indexOf('.');
  const dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
  if (dot1 < 0 || dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0) {
    const parts = token.split('.').length;
    return `a JWT has 3 parts separated by dots (header.payload.signature); this has ${parts}${/\s/.test(token) ? ' and contains whitespace' : ''}`;
  }
  let header: JwtHeader;
  if (dot1 === STANDARD_HEADER.length && token.slice(0, dot1) === STANDARD_HEADER) {
    // Nearly every token has this exact header; skip decoding it. (A slice and === is cheaper than
    // startsWith, which first checks whether its argument is a regular expression.)
    header = { alg: 'HS256', typ: 'JWT' };
  } else {
    const headerText = decodeBase64urlString(token.slice(0, dot1));
    if (headerText === undefined) return 'the header (part 1) is not canonical base64url';
    const parsed = parseJson(headerText);
    if (!isPlainObject(parsed)) return 'the header (part 1) is not a JSON object';
    header = parsed as JwtHeader;
  }
  let payload: Record<string, unknown> | undefined;
  let payloadError: string | undefined;
  const payloadText = decodeBase64urlString(token.slice(dot1 + 1, dot2));
  if (payloadText === undefined) payloadError = 'the payload (part 2) is not canonical base64url';
  else {
    const parsed = parseJson(payloadText);
    if (parsed === NOT_JSON) payloadError = 'the payload (part 2) is not valid JSON';
    else if (!isPlainObject(parsed)) payloadError = 'the payload (part 2) is not a JSON object';
    else payload = parsed;
  }
  // One literal with every field: a field added later would cost the object a second allocation.
  return { header, payload, payloadError, signatureAt: dot2 + 1 };
}
