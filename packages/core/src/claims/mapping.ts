/** Full-name properties ↔ abbreviated JWT claims. */
import { type MeetingTokenError, invalidInput, type ValidationIssue } from '../util/errors.js';
import { isPlainObject, ownProperty, setOwn } from '../util/object.js';
import { toUnixSeconds } from '../util/time.js';
import { decodePermissions, encodePermissions, type Permissions } from './permissions.js';
import {
  CLAIM_REGISTRY,
  type ClaimSpec,
  claimKeyOf,
  PROPERTY_BY_CLAIM,
  PROPERTY_NAMES,
  type PropertyName,
} from './registry.js';
import type { MeetingTokenClaims, MeetingTokenInput, MeetingTokenProperties } from './types.js';
import { MILLISECONDS_THRESHOLD, validateProperties, validateValue } from './validate.js';

const CLAIM_KEY: Readonly<Record<string, string>> = Object.fromEntries(PROPERTY_NAMES.map((n) => [n, claimKeyOf(n)]));
/**
 * What reading needs to know about one JWT claim. Every reader has the same shape (registry entries do
 * not), which keeps the property loads in `readClaims` monomorphic; the table has a null prototype so any
 * key is a safe lookup.
 */
interface ClaimReader {
  readonly name: PropertyName;
  readonly spec: ClaimSpec;
  readonly kind: ClaimSpec['kind'];
  readonly maxLength: number;
  readonly values: readonly unknown[];
}
const READER_BY_CLAIM: Readonly<Record<string, ClaimReader | undefined>> = Object.assign(
  Object.create(null) as Record<string, ClaimReader>,
  Object.fromEntries(
    [...PROPERTY_BY_CLAIM].map(([claim, name]) => {
      const spec: ClaimSpec = CLAIM_REGISTRY[name];
      const reader: ClaimReader = {
        name,
        spec,
        kind: spec.kind,
        maxLength: spec.maxLength ?? Number.POSITIVE_INFINITY,
        values: spec.values ?? [],
      };
      return [claim, reader];
    }),
  ),
);

/** Converts properties that already passed validation; no checks here (create calls it on its hot path). */
export function convertToClaims(properties: MeetingTokenInput): MeetingTokenClaims {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(properties)) {
    const value = (properties as Record<string, unknown>)[name];
    if (value === undefined) continue;
    const key = CLAIM_KEY[name] as string;
    if (value instanceof Date) out[key] = toUnixSeconds(value);
    else if (name === 'permissions') out[key] = encodePermissions(value as Permissions);
    else out[key] = value;
  }
  return out as MeetingTokenClaims;
}

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
  const issues = validateProperties(properties, { allowDates: true });
  if (issues.some((i) => i.severity === 'error')) throw invalidInput('invalid-properties', issues);
  return convertToClaims(properties);
}

/** What reading a JWT payload found: the properties Daily would apply, what it would ignore, and why. */
export interface ReadClaims {
  properties: MeetingTokenProperties;
  /** Claims Daily does not know (including full-name spellings of abbreviated ones), left as they are. */
  unknownClaims: Record<string, unknown>;
  /** Problems with known claims; a claim with an error is left out of `properties`. */
  issues: ValidationIssue[];
}

/** Reads a payload without throwing: every known claim is checked and converted, the rest kept aside. */
export function readClaims(claims: Record<string, unknown>): ReadClaims {
  const properties: Record<string, unknown> = {};
  const unknownClaims: Record<string, unknown> = {};
  const issues: ValidationIssue[] = [];
  // for-in walks V8's enum cache, about twice as fast here as Object.keys; the own-property check keeps
  // keys a polluted Object.prototype would add out of the result.
  for (const key in claims) {
    if (!ownProperty.call(claims, key)) continue;
    const value = claims[key];
    const reader = READER_BY_CLAIM[key];
    if (reader === undefined) {
      setOwn(unknownClaims, key, value);
    } else if (plainlyValid(reader, value)) {
      properties[reader.name] = value;
    } else if (reader.kind === 'permissions') {
      const decoded = decodePermissions(value, key, issues);
      if (decoded) properties[reader.name] = decoded;
    } else {
      // The slow path says what is wrong; warnings (legacy values) still let the value through.
      const before = issues.length;
      validateValue(reader.spec, value, key, issues, false);
      if (issues.length === before || issues.slice(before).every((i) => i.severity === 'warning')) {
        properties[reader.name] = value;
      }
    }
  }
  return { properties: properties as MeetingTokenProperties, unknownClaims, issues };
}

/** Cheap checks for the values nearly every token carries; false means "ask validateValue". */
function plainlyValid(reader: ClaimReader, v: unknown): boolean {
  switch (reader.kind) {
    case 'boolean':
      return v === true || v === false;
    case 'string':
      return typeof v === 'string' && v.length > 0 && v.length <= reader.maxLength;
    case 'timestamp':
      return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < MILLISECONDS_THRESHOLD;
    case 'enum':
      return typeof v === 'string' && reader.values.includes(v);
    default:
      return false;
  }
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
  const read = readClaims(claims);
  if (read.issues.some((i) => i.severity === 'error'))
    throw invalidInput('invalid-claims', read.issues) as MeetingTokenError;
  return read.properties;
}

/** True when `key` is a JWT claim of the registry (abbreviation or abbreviation-less full name). */
export function isKnownClaim(key: string): boolean {
  return READER_BY_CLAIM[key] !== undefined;
}
