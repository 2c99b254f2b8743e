/**
 * Minting meeting tokens: full-name properties are checked and abbreviated in one pass over the compiled
 * claim codecs, written straight into the payload JSON, given `d`/`iat`/`exp`, and signed HS256.
 */
import { CODEC_BY_KEY, CODEC_BY_NAME, type ClaimCodec, encodeClaim } from '../claims/codec.js';
import type { PropertyName } from '../claims/registry.js';
import type { MeetingTokenClaims, MeetingTokenInput } from '../claims/types.js';
import { unknownPropertyMessage, validateProperties } from '../claims/validate.js';
import { encodeBase64urlString } from '../util/base64url.js';
import { parseDuration } from '../util/duration.js';
import { invalidInput, type ValidationIssue } from '../util/errors.js';
import { isPlainObject, ownProperty, prototypePolluted } from '../util/object.js';
import { assertKnownOptions, optionNames } from '../util/options.js';
import { type Instant, nowSeconds } from '../util/time.js';
import { assertSecret, hmac, type PreparedKey, type Secret } from './hmac.js';
import { STANDARD_HEADER } from './parse.js';

/** `{"alg":"HS256","typ":"JWT"}`, encoded once. */
export const HS256_HEADER = STANDARD_HEADER;

/** A duration: seconds as a number, or a string such as `"90s"`, `"15m"`, `"1h"`, `"7d"`. */
export type Duration = number | string;

/** What a signer is made with: the key, the domain, and the rules every token it mints follows. */
export interface MeetingTokenSignerOptions {
  /** The domain's API key, the HS256 secret. A string is used as its UTF-8 bytes. */
  apiKey: Secret;
  /** The domain's id (`domain_id` from `GET /v1/`), written as claim `d`. */
  domainId: string;
  /** Lifetime when `properties.exp` is not given. Default 1 hour. */
  expiresIn?: Duration;
  /** Mint a token without `room_name`, valid for every room of the domain. */
  allRooms?: boolean;
  /** Mint a token without `exp`, valid forever. */
  noExpiry?: boolean;
  /**
   * Accept an `exp` that is already past, to mint expired tokens for tests of expiry handling. Never
   * the default: such a token is refused by Daily at once.
   */
  allowExpired?: boolean;
}

export interface CreateMeetingTokenOptions extends MeetingTokenSignerOptions {
  /** The time to issue at (sets `iat`): a Date or unix seconds. Default: the current time. */
  now?: Instant;
}

/** Per-call options of a signer. */
export interface SignOptions {
  /** The time to issue at (sets `iat`): a Date or unix seconds. Default: the current time. */
  now?: Instant;
}

/**
 * Mints tokens with options checked and the key prepared once. Made by `createMeetingTokenSigner`.
 */
export interface MeetingTokenSigner {
  /** Mints a token from full-name properties. Invalid properties throw `MeetingTokenError` (`invalid-properties`). */
  sign(properties: MeetingTokenInput, options?: SignOptions): Promise<string>;
  /**
   * The same, synchronously, where the HMAC backend is synchronous (node:crypto in Node, Bun and Deno);
   * throws `TypeError` on Web Crypto (browsers, edge workers), where only `sign` works.
   */
  signSync(properties: MeetingTokenInput, options?: SignOptions): string;
  /**
   * Mints a token and hands back the claims it carries, from the same single pass: for callers that
   * answer with `exp` or lint what they minted, without decoding the token again.
   *
   * @example
   * ```ts
   * const { token, claims } = await signer.mint({ room_name: 'standup' });
   * respond({ token, expires_at: claims.exp });
   * ```
   */
  mint(properties: MeetingTokenInput, options?: SignOptions): Promise<MintedToken>;
  /** `mint`, synchronously, on node:crypto; throws `TypeError` on Web Crypto, as `signSync` does. */
  mintSync(properties: MeetingTokenInput, options?: SignOptions): MintedToken;
  /** The payload `sign` would sign, after every check: for dry runs and previews. */
  claims(properties: MeetingTokenInput, options?: SignOptions): MeetingTokenClaims;
}

/** A token with the claims it carries, as `signer.mint` returns it. */
export interface MintedToken {
  token: string;
  claims: MeetingTokenClaims;
  /** What the checks accepted with a warning (a legacy enum value, as Daily accepts it), by property path. */
  warnings: ValidationIssue[];
}

const DEFAULT_TTL = 3600;

/** Signer options, checked once. */
interface Prepared {
  readonly key: PreparedKey;
  readonly sync: boolean;
  readonly domainId: string;
  readonly ttl: number;
  readonly allRooms: boolean;
  readonly noExpiry: boolean;
  readonly allowExpired: boolean;
}

/** Every option `prepare` reads; a signer refuses `now` itself, with a better message. */
const CREATE_OPTIONS = optionNames<CreateMeetingTokenOptions>()([
  'apiKey',
  'domainId',
  'expiresIn',
  'allRooms',
  'noExpiry',
  'allowExpired',
  'now',
]);
const SIGN_OPTIONS = optionNames<SignOptions>()(['now']);

/** Every caller mistake is a TypeError that says what to pass instead (and never echoes the key). */
function prepare(options: MeetingTokenSignerOptions, caller: string): Prepared {
  if (!isPlainObject(options)) throw new TypeError(`${caller} needs options { apiKey, domainId }`);
  assertKnownOptions(options, CREATE_OPTIONS, caller);
  assertSecret(options.apiKey, 'apiKey');
  if (typeof options.domainId !== 'string' || options.domainId.length === 0) {
    throw new TypeError('domainId must be the domain id string (domain_id from GET https://api.daily.co/v1/)');
  }
  for (const flag of ['allRooms', 'noExpiry', 'allowExpired'] as const) {
    if (options[flag] !== undefined && typeof options[flag] !== 'boolean')
      throw new TypeError(`${flag} must be a boolean`);
  }
  if (options.noExpiry && options.expiresIn !== undefined) {
    throw new TypeError('expiresIn and noExpiry contradict each other; pass one of them');
  }
  let ttl = DEFAULT_TTL;
  if (options.expiresIn !== undefined) {
    ttl = parseDuration(options.expiresIn, 'expiresIn');
    if (ttl === 0)
      throw new TypeError('expiresIn must be more than 0; for a token that never expires pass noExpiry: true');
  }
  const backend = hmac();
  return {
    key: backend.prepare(options.apiKey),
    sync: backend.sync,
    domainId: options.domainId,
    ttl,
    allRooms: options.allRooms === true,
    noExpiry: options.noExpiry === true,
    allowExpired: options.allowExpired === true,
  };
}

/** How a property takes part in the checks that involve more than its own value (a plain object: an enum
 * would ship its two-way lookup table). */
const Role = { Plain: 0, Room: 1, Domain: 2, IssuedAt: 3, Expiry: 4, NotBefore: 5 } as const;
type Role = (typeof Role)[keyof typeof Role];
const ROLE: Partial<Record<PropertyName, Role>> = {
  room_name: Role.Room,
  domain_id: Role.Domain,
  iat: Role.IssuedAt,
  exp: Role.Expiry,
  nbf: Role.NotBefore,
};
const codecOf = (name: PropertyName) => CODEC_BY_NAME.get(name) as ClaimCodec;
/** The claims the signer adds when the properties do not give them. */
const SIGNER_SET = { exp: codecOf('exp'), domain: codecOf('domain_id'), iat: codecOf('iat') };
const roleOf = new Map<ClaimCodec, Role>([...CODEC_BY_NAME.values()].map((c) => [c, ROLE[c.name] ?? Role.Plain]));

/**
 * The one pass behind `sign`, `mint` and `claims`: checks every property, then the rules between them,
 * and writes the claims. Key order: the properties as given, then `exp` (when defaulted), `d` and `iat`
 * unless given.
 */
function write(properties: unknown, p: Prepared, now: number, issues: ValidationIssue[] = []): MeetingTokenClaims {
  if (!isPlainObject(properties)) throw invalidInput('invalid-properties', validateProperties(properties));
  const claims: Record<string, unknown> = {};
  let hasRoom = false;
  let domain: unknown;
  let hasIat = false;
  let exp: number | undefined;
  let nbf: number | undefined;
  const inherited = prototypePolluted();
  for (const name in properties) {
    if (inherited && !ownProperty.call(properties, name)) continue;
    const value = properties[name];
    const codec = CODEC_BY_NAME.get(name);
    if (codec === undefined) {
      issues.push({ path: name, message: unknownPropertyMessage(name), severity: 'error' });
      continue;
    }
    if (value === undefined) continue;
    const role = roleOf.get(codec);
    // Given at all, even if invalid: an invalid room is reported as invalid, not also as missing.
    if (role === Role.Room) hasRoom = true;
    else if (role === Role.Domain) domain = value;
    else if (role === Role.IssuedAt) hasIat = true;
    const claim = encodeClaim(codec, value, name, issues, true);
    if (claim === undefined) continue;
    if (role === Role.Expiry) exp = claim as number;
    else if (role === Role.NotBefore) nbf = claim as number;
    claims[codec.key] = claim;
  }

  if (!hasRoom && !p.allRooms) {
    issues.push({
      path: 'room_name',
      message:
        'is missing: a token without a room works in every room of the domain; set room_name, or pass allRooms: true if that is what you want',
      severity: 'error',
    });
  }
  if (domain !== undefined && domain !== p.domainId) {
    issues.push({
      path: 'domain_id',
      message: `is ${JSON.stringify(domain)} but the token is signed for domain ${JSON.stringify(p.domainId)}; leave domain_id out (it comes from the domainId option)`,
      severity: 'error',
    });
  }
  if (exp !== undefined && p.noExpiry) {
    issues.push({ path: 'exp', message: 'is set although noExpiry is true; drop one of them', severity: 'error' });
  }
  if (exp !== undefined && exp <= now && !p.allowExpired) {
    issues.push({
      path: 'exp',
      message: `is in the past (${exp} ≤ now ${now}); the token would be expired at birth (pass allowExpired: true to mint one on purpose, e.g. for a test)`,
      severity: 'error',
    });
  }
  const defaultExp = exp === undefined && !p.noExpiry ? now + p.ttl : undefined;
  const finalExp = exp ?? defaultExp;
  if (nbf !== undefined && finalExp !== undefined && nbf >= finalExp) {
    issues.push({
      path: 'nbf',
      message: `(${nbf}) is not before exp (${finalExp}); the token would never be valid`,
      severity: 'error',
    });
  }
  for (const issue of issues) if (issue.severity === 'error') throw invalidInput('invalid-properties', issues);

  if (defaultExp !== undefined) claims[SIGNER_SET.exp.key] = defaultExp;
  if (domain === undefined) claims[SIGNER_SET.domain.key] = p.domainId;
  if (!hasIat) claims[SIGNER_SET.iat.key] = now;
  return claims as MeetingTokenClaims;
}

/**
 * The payload's JSON text: one `JSON.stringify` of the whole claims object, which is cheaper than
 * writing claim by claim. Only a value JSON cannot hold (a cycle or a BigInt inside the recording
 * options) makes it throw; then each claim is tried alone, to say which one.
 */
function payloadJson(claims: MeetingTokenClaims): string {
  try {
    return JSON.stringify(claims);
  } catch {
    const issues: ValidationIssue[] = [];
    for (const key in claims) {
      const codec = CODEC_BY_KEY.get(key) as ClaimCodec;
      if (!isJson(claims[key as keyof MeetingTokenClaims])) {
        issues.push({
          path: codec.name,
          message: 'must be plain JSON data (no cycles, BigInts or functions)',
          severity: 'error',
        });
      }
    }
    throw invalidInput('invalid-properties', issues);
  }
}

function isJson(v: unknown): boolean {
  try {
    JSON.stringify(v);
    return true;
  } catch {
    return false;
  }
}

function signClaims(claims: MeetingTokenClaims, p: Prepared): string | Promise<string> {
  const input = `${HS256_HEADER}.${encodeBase64urlString(payloadJson(claims))}`;
  const sig = p.key.sign(input);
  return typeof sig === 'string' ? `${input}.${sig}` : sig.then((s) => `${input}.${s}`);
}

function signWith(properties: unknown, p: Prepared, now: number): string | Promise<string> {
  return signClaims(write(properties, p, now), p);
}

function mintWith(properties: unknown, p: Prepared, now: number): MintedToken | Promise<MintedToken> {
  // write() throws on any error, so what it leaves in `warnings` is only warnings.
  const warnings: ValidationIssue[] = [];
  const claims = write(properties, p, now, warnings);
  const token = signClaims(claims, p);
  return typeof token === 'string' ? { token, claims, warnings } : token.then((t) => ({ token: t, claims, warnings }));
}

function assertSync(p: Prepared, method: string): void {
  if (!p.sync) {
    throw new TypeError(
      `${method}Sync needs node:crypto; this runtime signs with Web Crypto, so use await ${method}()`,
    );
  }
}

function callNow(options: SignOptions | undefined, method: string): number {
  if (options === undefined) return nowSeconds(undefined);
  if (!isPlainObject(options)) throw new TypeError('sign options must be an object such as { now }');
  assertKnownOptions(options, SIGN_OPTIONS, method);
  return nowSeconds(options.now);
}

/**
 * Makes a signer: the options are checked and the key prepared once, so each token costs only its own
 * properties. The way to mint many tokens (a service, a batch); `createMeetingToken` is the one-off form.
 *
 * @example
 * ```ts
 * const signer = createMeetingTokenSigner({ apiKey: env.DAILY_API_KEY, domainId: env.DAILY_DOMAIN_ID, expiresIn: '15m' });
 * const token = await signer.sign({ room_name: 'standup', user_name: 'Ada' });
 * const same = signer.signSync({ room_name: 'standup', user_name: 'Ada' }); // on node:crypto
 * ```
 */
export function createMeetingTokenSigner(options: MeetingTokenSignerOptions): MeetingTokenSigner {
  const p = prepare(options, 'createMeetingTokenSigner');
  if ((options as CreateMeetingTokenOptions).now !== undefined) {
    throw new TypeError('a signer takes now per call: signer.sign(properties, { now })');
  }
  return {
    sign: async (properties, o) => signWith(properties, p, callNow(o, 'signer.sign')),
    signSync(properties, o) {
      assertSync(p, 'sign');
      return signWith(properties, p, callNow(o, 'signer.signSync')) as string;
    },
    mint: async (properties, o) => mintWith(properties, p, callNow(o, 'signer.mint')),
    mintSync(properties, o) {
      assertSync(p, 'mint');
      return mintWith(properties, p, callNow(o, 'signer.mintSync')) as MintedToken;
    },
    claims: (properties, o) => write(properties, p, callNow(o, 'signer.claims')),
  };
}

/**
 * Mints a meeting token from full-name properties, as `POST /v1/meeting-tokens` would, but locally.
 *
 * The token carries Daily's abbreviated claims plus `d` (domain) and `iat`, and `exp` from
 * `properties.exp` or `expiresIn` (default 1 hour). A token without `room_name` is refused unless
 * `allRooms: true`, and one without expiry unless `noExpiry: true`. Invalid properties throw a
 * `MeetingTokenError` (`invalid-properties`) listing every problem with its path; bad options throw
 * `TypeError`. To mint many tokens, make a signer once with `createMeetingTokenSigner`.
 *
 * @example
 * ```ts
 * const token = await createMeetingToken(
 *   { room_name: 'standup', user_name: 'Ada', permissions: { canSend: ['video', 'audio'] } },
 *   { apiKey: process.env.DAILY_API_KEY, domainId: process.env.DAILY_DOMAIN_ID, expiresIn: '15m' },
 * );
 * ```
 */
export async function createMeetingToken(
  properties: MeetingTokenInput,
  options: CreateMeetingTokenOptions,
): Promise<string> {
  const p = prepare(options, 'createMeetingToken');
  return signWith(properties, p, nowSeconds(options.now));
}

/**
 * The payload `createMeetingToken` would sign, after every check. Internal (tests): the public form is
 * `createMeetingTokenSigner(options).claims(properties, { now })`, which checks the options once.
 *
 * @example
 * ```ts
 * buildClaims({ room_name: 'standup' }, { apiKey, domainId, now: 1767225600 })
 * // { r: 'standup', exp: 1767229200, d: domainId, iat: 1767225600 }
 * ```
 */
export function buildClaims(properties: MeetingTokenInput, options: CreateMeetingTokenOptions): MeetingTokenClaims {
  const p = prepare(options, 'buildClaims');
  return write(properties, p, nowSeconds(options.now));
}
