/** Full-name properties ↔ abbreviated JWT claims, on the compiled codecs. */
import { invalidInput, MAX_ISSUES, type ValidationIssue } from '../util/errors.js';
import { isPlainObject, ownProperty, plainObjectKind, prototypePolluted, setOwn } from '../util/object.js';
import { CODEC_BY_KEY, decodeClaim } from './codec.js';
import { ignoredClaimIssue } from './ignored.js';
import type { MeetingTokenClaims, MeetingTokenInput, MeetingTokenProperties } from './types.js';
import { validateProperties, encodeProperties } from './validate.js';

/**
 * Full-name properties → abbreviated claims (`room_name` → `r`, `permissions.canSend` → `p.cs` …).
 * Throws `MeetingTokenError` (`invalid-properties`) listing every problem with its path.
 *
 * @example
 * ```ts
 * toClaims({ room_name: 'standup', is_owner: true, permissions: { canSend: ['video', 'audio'] } })
 * // { r: 'standup', o: true, p: { cs: 'v,a' } }
 * ```
 */
export function toClaims(properties: MeetingTokenInput): MeetingTokenClaims {
  if (!isPlainObject(properties)) throw invalidInput('invalid-properties', validateProperties(properties));
  const issues: ValidationIssue[] = [];
  const claims = encodeProperties(properties, issues, true);
  if (issues.some((i) => i.severity === 'error')) throw invalidInput('invalid-properties', issues);
  return claims as MeetingTokenClaims;
}

const PropertiesObject = /* @__PURE__ */ plainObjectKind();

/**
 * Reads a payload without throwing, as Daily reads it: every known claim is checked and converted into
 * the returned properties (the ones Daily would apply); what is worth saying about a claim goes to
 * `issues` (an `error` is a claim Daily cannot read and drops, left out of the properties; a `warning` is
 * read but worth knowing, such as a claim Daily does not know), and the claims Daily does not know
 * (including full-name spellings of abbreviated ones) to `unknownClaims`, as they are, when given. Reading stops judging claims after `MAX_ISSUES`
 * problems, so a hostile payload costs little. The collectors are the caller's, so that a decode
 * allocates nothing it does not return.
 */
export function readClaims(
  claims: Record<string, unknown>,
  issues: ValidationIssue[],
  unknownClaims?: Record<string, unknown>,
): MeetingTokenProperties {
  const properties = new PropertiesObject();
  // for-in walks V8's enum cache, faster here than Object.keys; the own-property check keeps
  // keys a polluted Object.prototype would add out of the result (checked per key only when it is polluted).
  const inherited = prototypePolluted();
  for (const key in claims) {
    if (inherited && !ownProperty.call(claims, key)) continue;
    const value = claims[key];
    const codec = CODEC_BY_KEY.get(key);
    if (codec === undefined) {
      if (unknownClaims) setOwn(unknownClaims, key, value);
      if (issues.length < MAX_ISSUES) issues.push(ignoredClaimIssue(key));
    } else if (issues.length < MAX_ISSUES) {
      const property = decodeClaim(codec, value, key, issues);
      if (property !== undefined) properties[codec.name] = property;
    }
  }
  return properties as MeetingTokenProperties;
}

/**
 * Abbreviated claims → full-name properties (`r` → `room_name`, `p.cs: "v,a"` → `canSend: ['video','audio']`).
 * Unknown claims are dropped; use `decodeUnverified` to see them. Throws `MeetingTokenError`
 * (`invalid-claims`) when a known claim has a value Daily would not read.
 *
 * @example
 * ```ts
 * toProperties({ r: 'standup', o: true, p: { ca: 'p' } })
 * // { room_name: 'standup', is_owner: true, permissions: { canAdmin: ['participants'] } }
 * ```
 */
export function toProperties(claims: MeetingTokenClaims | Record<string, unknown>): MeetingTokenProperties {
  if (!isPlainObject(claims)) {
    throw new TypeError('toProperties takes a claims object such as a decoded JWT payload');
  }
  const issues: ValidationIssue[] = [];
  const properties = readClaims(claims, issues);
  if (issues.some((i) => i.severity === 'error')) throw invalidInput('invalid-claims', issues);
  return properties;
}
