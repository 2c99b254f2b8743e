/** Full-name properties ↔ abbreviated JWT claims. */
import { type MeetingTokenError, invalidInput, type ValidationIssue } from '../util/errors.js';
import { isPlainObject, setOwn } from '../util/object.js';
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
const SPEC_BY_CLAIM: ReadonlyMap<string, readonly [PropertyName, ClaimSpec]> = new Map(
  [...PROPERTY_BY_CLAIM].map(([claim, name]) => [claim, [name, CLAIM_REGISTRY[name]]] as const),
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
  for (const key of Object.keys(claims)) {
    const value = claims[key];
    const entry = SPEC_BY_CLAIM.get(key);
    if (!entry) {
      setOwn(unknownClaims, key, value);
      continue;
    }
    const [name, spec] = entry;
    if (plainlyValid(spec, value)) {
      properties[name] = value;
      continue;
    }
    if (spec.kind === 'permissions') {
      const decoded = decodePermissions(value, key, issues);
      if (decoded) properties[name] = decoded;
      continue;
    }
    // The slow path says what is wrong; warnings (legacy values) still let the value through.
    const before = issues.length;
    validateValue(spec, value, key, issues, false);
    if (issues.length === before || issues.slice(before).every((i) => i.severity === 'warning')) {
      properties[name] = value;
    }
  }
  return { properties: properties as MeetingTokenProperties, unknownClaims, issues };
}

/** Cheap checks for the values nearly every token carries; false means "ask validateValue". */
function plainlyValid(spec: ClaimSpec, v: unknown): boolean {
  switch (spec.kind) {
    case 'boolean':
      return typeof v === 'boolean';
    case 'string':
      return typeof v === 'string' && v.length > 0 && (spec.maxLength === undefined || v.length <= spec.maxLength);
    case 'timestamp':
      return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < MILLISECONDS_THRESHOLD;
    case 'enum':
      return typeof v === 'string' && (spec.values as readonly string[]).includes(v);
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
  return SPEC_BY_CLAIM.has(key);
}
