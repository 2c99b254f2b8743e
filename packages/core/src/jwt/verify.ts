/**
 * Verifying a meeting token the way Daily judges it at join time, and saying precisely why not.
 * Every problem is reported at once, each with a stable code; a bad token never throws.
 */
import { readClaims } from '../claims/mapping.js';
import type { MeetingTokenClaims, MeetingTokenProperties } from '../claims/types.js';
import { isCanonicalBase64url } from '../util/base64url.js';
import { parseDuration } from '../util/duration.js';
import type { Problem } from '../util/errors.js';
import { isPlainObject, show } from '../util/object.js';
import { isoFromSeconds, nowSeconds, relativeTime } from '../util/time.js';
import type { Duration } from './create.js';
import { assertSecret, hmac, type Secret } from './hmac.js';
import { type JwtHeader, parseToken } from './parse.js';

/** One key of a domain's keyring. */
export interface KeyringEntry {
  /** A name for the key, reported as `keyId` when it matches. */
  id?: string;
  secret: Secret;
  /** False for keys that were rotated out or deactivated. Default true. */
  active?: boolean;
}

export interface VerifyMeetingTokenOptions {
  /** The domain's API key. Give this or `keys`. */
  apiKey?: Secret;
  /** The domain's keys, active and retired; a match on a retired key is `inactive-key`. */
  keys?: readonly KeyringEntry[];
  /** Expected `d`; a token of another domain is `wrong-domain`. */
  domainId?: string;
  /** The room the token is being used for; a token for another room is `wrong-room`. */
  roomName?: string;
  /** Default: the current time. */
  now?: Date;
  /** Leeway for `exp` and `nbf`. Default 0, at most 5 minutes. */
  clockTolerance?: Duration;
  /** Accept a token whose `nbf` is still in the future (as Daily's `?ignoreNbf=true`). */
  ignoreNbf?: boolean;
}

export interface VerifyResult {
  /** True when there is no problem at all. */
  valid: boolean;
  problems: Problem[];
  header?: JwtHeader;
  claims?: MeetingTokenClaims & Record<string, unknown>;
  properties?: MeetingTokenProperties;
  /** The `id` of the keyring entry whose secret signed the token. */
  keyId?: string;
}

const MAX_CLOCK_TOLERANCE = 300;
/** An HMAC-SHA256 signature is 32 bytes: 43 base64url characters. */
const SIGNATURE_LENGTH = 43;

interface Ring {
  active: KeyringEntry[];
  inactive: KeyringEntry[];
}

function readOptions(options: VerifyMeetingTokenOptions) {
  if (!isPlainObject(options)) throw new TypeError('verifyMeetingToken needs options with apiKey or keys');
  const { apiKey, keys } = options;
  if ((apiKey === undefined) === (keys === undefined)) {
    throw new TypeError('pass exactly one of apiKey (one secret) or keys (a keyring)');
  }
  const ring: Ring = { active: [], inactive: [] };
  if (apiKey !== undefined) {
    assertSecret(apiKey, 'apiKey');
    ring.active.push({ secret: apiKey });
  } else {
    if (!Array.isArray(keys) || keys.length === 0)
      throw new TypeError('keys must be a non-empty array of { id?, secret, active? }');
    keys.forEach((k, i) => {
      if (!isPlainObject(k)) throw new TypeError(`keys[${i}] must be an object { id?, secret, active? }`);
      assertSecret(k.secret, `keys[${i}].secret`);
      if (k.active !== undefined && typeof k.active !== 'boolean')
        throw new TypeError(`keys[${i}].active must be a boolean`);
      if (k.id !== undefined && typeof k.id !== 'string') throw new TypeError(`keys[${i}].id must be a string`);
      (k.active === false ? ring.inactive : ring.active).push(k as unknown as KeyringEntry);
    });
  }
  assertOptionalName(options.domainId, 'domainId');
  assertOptionalName(options.roomName, 'roomName');
  let tolerance = 0;
  if (options.clockTolerance !== undefined) {
    tolerance = parseDuration(options.clockTolerance, 'clockTolerance');
    if (tolerance > MAX_CLOCK_TOLERANCE)
      throw new TypeError(`clockTolerance is capped at 5 minutes (300 s), got ${tolerance} s`);
  }
  if (options.ignoreNbf !== undefined && typeof options.ignoreNbf !== 'boolean')
    throw new TypeError('ignoreNbf must be a boolean');
  return { ring, tolerance, now: nowSeconds(options.now) };
}

function assertOptionalName(value: unknown, name: string): void {
  if (value !== undefined && (typeof value !== 'string' || value === '')) {
    throw new TypeError(`${name} must be a non-empty string`);
  }
}

/**
 * The first entry whose secret produced `signature`. Synchronous on synchronous backends (node:crypto),
 * so the common case pays for no extra promise.
 */
function findSigner(
  entries: readonly KeyringEntry[],
  input: string,
  signature: string,
): KeyringEntry | undefined | Promise<KeyringEntry | undefined> {
  const backend = hmac();
  for (let i = 0; i < entries.length; i++) {
    const r = backend.verify((entries[i] as KeyringEntry).secret, input, signature);
    if (typeof r !== 'boolean') return findSignerAsync(entries.slice(i), r, input, signature);
    if (r) return entries[i];
  }
  return undefined;
}

async function findSignerAsync(
  entries: readonly KeyringEntry[],
  first: Promise<boolean>,
  input: string,
  signature: string,
): Promise<KeyringEntry | undefined> {
  if (await first) return entries[0];
  for (const entry of entries.slice(1)) if (await hmac().verify(entry.secret, input, signature)) return entry;
  return undefined;
}

/**
 * Verifies a meeting token against a domain's key(s) and reports every problem at once.
 *
 * Checks, in order: size (≤ 8 KiB) and shape, `alg` (HS256 only), the signature against the keyring
 * (a match on a retired key is `inactive-key`), claim types, `exp`/`nbf`, `d` and `r`. A token is
 * expired when `now >= exp` (after `clockTolerance`): at the second of `exp` it no longer works.
 * Bad tokens never throw; bad options throw `TypeError`.
 *
 * @example
 * ```ts
 * const result = await verifyMeetingToken(token, { apiKey, domainId, roomName: 'standup' });
 * if (!result.valid) for (const p of result.problems) console.log(p.code, p.message, p.fix);
 * ```
 */
export async function verifyMeetingToken(token: string, options: VerifyMeetingTokenOptions): Promise<VerifyResult> {
  const { ring, tolerance, now } = readOptions(options);
  const problems: Problem[] = [];
  const parsed = parseToken(token);
  if (!parsed.ok) {
    problems.push({
      code: 'malformed',
      message: parsed.message,
      fix: 'Pass the whole token: three base64url parts joined by dots, with no quotes, spaces or "Bearer ".',
    });
    return { valid: false, problems };
  }
  const { header, payload, payloadError, signingInput, signature } = parsed.token;
  const result: VerifyResult = { valid: false, problems, header };

  // Signature first: everything after it is only worth trusting if it holds.
  let keyId: string | undefined;
  if (header.alg !== 'HS256') {
    problems.push({
      code: 'unsupported-algorithm',
      message:
        header.alg === undefined
          ? 'the header has no "alg"'
          : `the header says alg ${show(header.alg)}; Daily meeting tokens are HS256 only`,
      fix: 'Sign with HS256 and the domain API key as the secret.',
      claim: 'alg',
      expected: 'HS256',
      actual: header.alg,
    });
  } else if (header.crit !== undefined) {
    problems.push({
      code: 'malformed',
      message: 'the header has "crit" extensions, which no Daily token uses',
      claim: 'crit',
      actual: header.crit,
    });
  } else if (signature.length === 0) {
    problems.push({
      code: 'malformed',
      message: 'the signature (part 3) is empty (an unsigned token)',
      fix: 'Sign the token with HS256; unsigned tokens are never accepted.',
    });
  } else if (signature.length !== SIGNATURE_LENGTH) {
    problems.push(malformedSignature(signature));
  } else {
    // A signature equal to one we computed is canonical by construction, so the form is only checked
    // when no key matches, to tell a mangled signature from a wrong key.
    let matched = findSigner(ring.active, signingInput, signature);
    if (matched instanceof Promise) matched = await matched;
    if (matched) keyId = matched.id;
    else if (!isCanonicalBase64url(signature)) problems.push(malformedSignature(signature));
    else {
      matched = findSigner(ring.inactive, signingInput, signature);
      if (matched instanceof Promise) matched = await matched;
      if (matched) {
        keyId = matched.id;
        problems.push({
          code: 'inactive-key',
          message: `signed with ${matched.id ? `key ${show(matched.id)}` : 'a key'} that is no longer active (rotated out or deactivated); Daily ignores such tokens`,
          fix: 'Mint a new token with the active API key.',
        });
      } else {
        problems.push({
          code: 'bad-signature',
          message:
            'the signature does not match the given key: the token was signed with another key (another domain, a regenerated key) or altered',
          fix: "Sign with this domain's current API key, and pass the token unmodified.",
        });
      }
    }
  }
  if (keyId !== undefined) result.keyId = keyId;

  if (!payload) {
    problems.push({
      code: 'malformed',
      message: payloadError as string,
      fix: 'The payload must be a base64url-encoded JSON object of claims.',
    });
    return result;
  }
  const read = readClaims(payload);
  result.claims = payload as VerifyResult['claims'];
  result.properties = read.properties;
  for (const issue of read.issues) {
    if (issue.severity !== 'error') continue;
    problems.push({
      code: 'invalid-claim',
      message: `${issue.path} ${issue.message}`,
      claim: issue.path,
      actual: valueAt(payload, issue.path),
    });
  }
  checkTimes(read.properties, payload, now, tolerance, options.ignoreNbf === true, problems);
  checkBinding(read.properties, payload, options, problems);
  result.valid = problems.length === 0;
  return result;
}

function malformedSignature(signature: string): Problem {
  return {
    code: 'malformed',
    message:
      signature.length === SIGNATURE_LENGTH
        ? 'the signature (part 3) is not canonical base64url'
        : `the signature (part 3) has ${signature.length} characters; an HS256 signature has ${SIGNATURE_LENGTH}`,
    fix: 'Pass the token exactly as it was signed.',
  };
}

function checkTimes(
  props: MeetingTokenProperties,
  payload: Record<string, unknown>,
  now: number,
  tolerance: number,
  ignoreNbf: boolean,
  problems: Problem[],
): void {
  const { exp, nbf } = props;
  if (exp !== undefined && now >= exp + tolerance) {
    problems.push({
      code: 'expired',
      message: `expired ${relativeTime(exp, now)} (exp ${exp} = ${isoFromSeconds(exp)})`,
      fix: 'Mint a new token; give it a lifetime that covers when it is used.',
      claim: 'exp',
      expected: `> ${now - tolerance}`,
      actual: payload.exp,
    });
  }
  if (nbf !== undefined && !ignoreNbf && now + tolerance < nbf) {
    problems.push({
      code: 'not-yet-valid',
      message: `not valid until ${isoFromSeconds(nbf)} (${relativeTime(nbf, now)}; nbf ${nbf})`,
      fix: 'Wait until nbf, lower nbf, or validate with ignoreNbf; check the clocks if nbf should have passed.',
      claim: 'nbf',
      expected: `<= ${now + tolerance}`,
      actual: payload.nbf,
    });
  }
}

function checkBinding(
  props: MeetingTokenProperties,
  payload: Record<string, unknown>,
  options: VerifyMeetingTokenOptions,
  problems: Problem[],
): void {
  if (payload.d === undefined) {
    problems.push({
      code: 'missing-claim',
      message: 'no "d" (domain id): Daily cannot tie the token to a domain',
      fix: 'Add "d": the domain_id from GET https://api.daily.co/v1/.',
      claim: 'd',
      expected: options.domainId ?? 'the domain id',
    });
  } else if (options.domainId !== undefined && props.domain_id !== undefined && props.domain_id !== options.domainId) {
    problems.push({
      code: 'wrong-domain',
      message: `made for domain ${show(props.domain_id)}, not ${show(options.domainId)}`,
      fix: "Mint the token with this domain's id and API key.",
      claim: 'd',
      expected: options.domainId,
      actual: props.domain_id,
    });
  }
  if (options.roomName !== undefined && props.room_name !== undefined && props.room_name !== options.roomName) {
    problems.push({
      code: 'wrong-room',
      message: `made for room ${show(props.room_name)}, not ${show(options.roomName)}`,
      fix: `Mint a token with room_name ${show(options.roomName)}.`,
      claim: 'r',
      expected: options.roomName,
      actual: props.room_name,
    });
  }
}

/** The raw value at a claim path such as `p.cs`, for `actual` in problems. */
function valueAt(payload: Record<string, unknown>, path: string): unknown {
  let v: unknown = payload;
  for (const part of path.split('.')) {
    const key = part.replace(/\[.*$/, '');
    if (!isPlainObject(v) || !Object.hasOwn(v, key)) return undefined;
    v = v[key];
  }
  return v;
}
