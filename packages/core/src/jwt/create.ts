/** Minting meeting tokens: validate full-name properties, abbreviate, add `d`/`iat`/`exp`, sign HS256. */
import { convertToClaims } from '../claims/mapping.js';
import type { MeetingTokenClaims, MeetingTokenInput } from '../claims/types.js';
import { validateProperties } from '../claims/validate.js';
import { encodeBase64urlString } from '../util/base64url.js';
import { parseDuration } from '../util/duration.js';
import { invalidInput } from '../util/errors.js';
import { isPlainObject } from '../util/object.js';
import { nowSeconds, toUnixSeconds } from '../util/time.js';
import { assertSecret, hmac, type Secret } from './hmac.js';
import { STANDARD_HEADER } from './parse.js';
import { fastPayload } from './payload.js';

/** `{"alg":"HS256","typ":"JWT"}`, encoded once. */
export const HS256_HEADER = STANDARD_HEADER;

/** A duration: seconds as a number, or a string such as `"90s"`, `"15m"`, `"1h"`, `"7d"`. */
export type Duration = number | string;

export interface CreateMeetingTokenOptions {
  /** The domain's API key, the HS256 secret. A string is used as its UTF-8 bytes. */
  apiKey: Secret;
  /** The domain's id (`domain_id` from `GET /v1/`), written as claim `d`. */
  domainId: string;
  /** Lifetime when `properties.exp` is not given. Default 1 hour. */
  expiresIn?: Duration;
  /** The time to issue at (sets `iat`). Default: the current time. */
  now?: Date;
  /** Mint a token without `room_name`, valid for every room of the domain. */
  allRooms?: boolean;
  /** Mint a token without `exp`, valid forever. */
  noExpiry?: boolean;
}

const DEFAULT_TTL = 3600;

/** Options read once per call; every caller mistake is a TypeError that says what to pass instead. */
function readOptions(options: CreateMeetingTokenOptions) {
  if (!isPlainObject(options)) throw new TypeError('createMeetingToken needs options { apiKey, domainId }');
  assertSecret(options.apiKey, 'apiKey');
  if (typeof options.domainId !== 'string' || options.domainId.length === 0) {
    throw new TypeError('domainId must be the domain id string (domain_id from GET https://api.daily.co/v1/)');
  }
  for (const flag of ['allRooms', 'noExpiry'] as const) {
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
  return { ttl, now: nowSeconds(options.now) };
}

/**
 * Mints a meeting token from full-name properties, as `POST /v1/meeting-tokens` would, but locally.
 *
 * The token carries Daily's abbreviated claims plus `d` (domain) and `iat`, and `exp` from
 * `properties.exp` or `expiresIn` (default 1 hour). A token without `room_name` is refused unless
 * `allRooms: true`, and one without expiry unless `noExpiry: true`. Invalid properties throw a
 * `MeetingTokenError` (`invalid-properties`) listing every problem with its path; bad options throw
 * `TypeError`.
 *
 * @example
 * ```ts
 * const token = await createMeetingToken(
 *   { room_name: 'standup', user_name: 'Ada', permissions: { canSend: ['video', 'audio'] } },
 *   { apiKey: process.env.DAILY_API_KEY!, domainId: process.env.DAILY_DOMAIN_ID!, expiresIn: '15m' },
 * );
 * ```
 */
export async function createMeetingToken(
  properties: MeetingTokenInput,
  options: CreateMeetingTokenOptions,
): Promise<string> {
  const { ttl, now } = readOptions(options);
  const json =
    (isPlainObject(properties)
      ? fastPayload(
          properties,
          JSON.stringify(options.domainId),
          now,
          ttl,
          options.allRooms === true,
          options.noExpiry === true,
        )
      : undefined) ?? JSON.stringify(buildClaims(properties, options));
  const signingInput = `${HS256_HEADER}.${encodeBase64urlString(json)}`;
  const sig = hmac().sign(options.apiKey, signingInput);
  return `${signingInput}.${typeof sig === 'string' ? sig : await sig}`;
}

/**
 * The payload `createMeetingToken` would sign, after every check; exported for dry runs and previews.
 */
export function buildClaims(properties: MeetingTokenInput, options: CreateMeetingTokenOptions): MeetingTokenClaims {
  const { ttl, now } = readOptions(options);
  const issues = validateProperties(properties, { allowDates: true });
  if (!isPlainObject(properties)) throw invalidInput('invalid-properties', issues);
  const p = properties as MeetingTokenInput;
  const err = (path: string, message: string) => issues.push({ path, message, severity: 'error' });

  if (p.room_name === undefined && !options.allRooms) {
    err(
      'room_name',
      'is missing: a token without a room works in every room of the domain; set room_name, or pass allRooms: true if that is what you want',
    );
  }
  if (p.domain_id !== undefined && p.domain_id !== options.domainId) {
    err(
      'domain_id',
      `is ${JSON.stringify(p.domain_id)} but the token is signed for domain ${JSON.stringify(options.domainId)}; leave domain_id out (it comes from the domainId option)`,
    );
  }
  const exp = seconds(p.exp);
  const nbf = seconds(p.nbf);
  if (exp !== undefined && options.noExpiry) err('exp', 'is set although noExpiry is true; drop one of them');
  if (exp !== undefined && exp <= now)
    err('exp', `is in the past (${exp} ≤ now ${now}); the token would be expired at birth`);
  const finalExp = exp ?? (options.noExpiry ? undefined : now + ttl);
  if (nbf !== undefined && finalExp !== undefined && nbf >= finalExp) {
    err('nbf', `(${nbf}) is not before exp (${finalExp}); the token would never be valid`);
  }
  if (issues.some((i) => i.severity === 'error')) throw invalidInput('invalid-properties', issues);

  const claims = convertToClaims(p) as Record<string, unknown>;
  if (finalExp !== undefined) claims.exp = finalExp;
  claims.d = options.domainId;
  if (claims.iat === undefined) claims.iat = now;
  return claims as MeetingTokenClaims;
}

function seconds(v: number | Date | undefined): number | undefined {
  return v instanceof Date ? toUnixSeconds(v) : v;
}
