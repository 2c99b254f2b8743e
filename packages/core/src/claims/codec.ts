/**
 * The claim registry compiled, once, at module load, into one codec per property: small functions that
 * check a value and convert it in the same pass (full name → claim, claim → full name) and write its JSON.
 * An error message, with its path, is built only when a value is wrong.
 *
 * Everything that reads or writes claims runs on these: createMeetingToken and its signer, buildClaims,
 * toClaims/toProperties, validateProperties, decodeUnverified, verifyMeetingToken and lintMeetingToken.
 */
import type { ValidationIssue } from '../util/errors.js';
import { closest, hasOwn, show } from '../util/object.js';
import { MILLISECONDS_THRESHOLD, toUnixSeconds } from '../util/time.js';
import { decodePermissions, encodePermissions } from './permissions.js';
import { validateRecordingOptions } from './recording.js';
import {
  CLAIM_REGISTRY,
  type ClaimKind,
  type ClaimSpec,
  claimKeyOf,
  PROPERTY_NAMES,
  type PropertyName,
} from './registry.js';

type Issues = ValidationIssue[];

/**
 * Checks `value` at `path` and returns it converted, or undefined (with the problem in `issues`) when it is
 * not usable. Claim values are JSON, so undefined is never a value.
 */
type Convert = (value: unknown, path: string, issues: Issues) => unknown;

export interface ClaimCodec {
  /** The full property name. */
  readonly name: PropertyName;
  /** The key in the JWT: the abbreviation, or the full name for the three that have none. */
  readonly key: string;
  readonly kind: ClaimKind;
  /** `,"r":`: the separator and the JSON key, ready to append to a payload being written. */
  readonly prefix: string;
  /** Full-name value → claim value (a `Date` becomes unix seconds). */
  readonly encode: Convert;
  /** Claim value read from a JWT → full-name value; undefined when Daily would not read it. */
  readonly decode: Convert;
  /** An encoded claim value → its JSON text; undefined when it cannot be written as JSON. */
  readonly json: (value: unknown) => string | undefined;
  /** The same check as `encode` for inputs that must not hold `Date`s (JWT vocabulary). */
  readonly encodeStrict: Convert;
}

function fail(issues: Issues, path: string, message: string): undefined {
  issues.push({ path, message, severity: 'error' });
  return undefined;
}

const booleanJson = (v: unknown) => (v ? 'true' : 'false');
const numberJson = (v: unknown) => `${v as number}`;
const stringJson = (v: unknown) => JSON.stringify(v as string);
/** Objects from callers may hold cycles or BigInts; say so instead of throwing. */
const objectJson = (v: unknown) => {
  try {
    return JSON.stringify(v);
  } catch {
    return undefined;
  }
};

const canParse = (URL as { canParse?: (s: string) => boolean }).canParse;
function isHttpUrl(s: string): boolean {
  // The common case without building a URL object; anything else gets the full parse.
  if (canParse && (s.startsWith('https://') || s.startsWith('http://'))) return canParse(s);
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

function timestamp(allowDates: boolean): Convert {
  const expected = `must be unix time in seconds${allowDates ? ' or a Date' : ''}`;
  return (v, path, issues) => {
    if (typeof v === 'number') {
      if (Number.isInteger(v) && v >= 0 && v < MILLISECONDS_THRESHOLD) return v;
      if (!Number.isFinite(v)) return fail(issues, path, `${expected}, got ${show(v)}`);
      if (v >= MILLISECONDS_THRESHOLD)
        return fail(issues, path, `${v} looks like milliseconds; Daily wants seconds: ${Math.floor(v / 1000)}`);
      return fail(issues, path, `must be whole, non-negative unix seconds, got ${v}`);
    }
    if (allowDates && v instanceof Date) {
      const t = v.getTime();
      return Number.isNaN(t) ? fail(issues, path, 'is an invalid Date') : toUnixSeconds(v);
    }
    return fail(issues, path, `${expected}, got ${show(v)}`);
  };
}

/** The check-and-convert functions of one registry entry, by its kind. */
function converters(spec: ClaimSpec): { encode: Convert; decode: Convert; encodeStrict: Convert } {
  const same = (c: Convert) => ({ encode: c, decode: c, encodeStrict: c });
  switch (spec.kind) {
    case 'boolean':
      return same((v, path, issues) =>
        v === true || v === false ? v : fail(issues, path, `must be true or false, got ${show(v)}`),
      );
    case 'string': {
      const max = spec.maxLength ?? Number.POSITIVE_INFINITY;
      return same((v, path, issues) => {
        if (typeof v !== 'string' || v.length === 0)
          return fail(issues, path, `must be a non-empty string, got ${show(v)}`);
        if (v.length > max) return fail(issues, path, `must be at most ${max} characters, got ${v.length}`);
        return v;
      });
    }
    case 'url':
      return same((v, path, issues) =>
        typeof v === 'string' && isHttpUrl(v) ? v : fail(issues, path, `must be an http(s) URL, got ${show(v)}`),
      );
    case 'timestamp': {
      const strict = timestamp(false);
      return { encode: timestamp(true), decode: strict, encodeStrict: strict };
    }
    case 'seconds':
      return same((v, path, issues) =>
        typeof v === 'number' && Number.isInteger(v) && v > 0
          ? v
          : fail(issues, path, `must be a positive whole number of seconds, got ${show(v)}`),
      );
    case 'enum': {
      const values = spec.values ?? [];
      const legacy = spec.legacyValues ?? {};
      const known = new Set(values);
      return same((v, path, issues) => {
        if (typeof v === 'string') {
          if (known.has(v)) return v;
          if (hasOwn(legacy, v)) {
            // Accepted, as Daily does, with a warning that says why.
            issues.push({
              path,
              message: `${show(v)} is ${legacy[v]}; the documented values are ${values.join(', ')}`,
              severity: 'warning',
            });
            return v;
          }
        }
        const hint = typeof v === 'string' ? closest(v, values, 2) : undefined;
        return fail(
          issues,
          path,
          `${show(v)} is not one of ${values.join(', ')}${hint ? `; did you mean ${show(hint)}?` : ''}`,
        );
      });
    }
    case 'permissions':
      return { encode: encodePermissions, decode: decodePermissions, encodeStrict: encodePermissions };
    case 'recording-options':
      return same((v, path, issues) => {
        const before = issues.length;
        validateRecordingOptions(v, path, issues);
        return issues.length === before ? v : undefined;
      });
  }
}

function jsonWriter(kind: ClaimKind): ClaimCodec['json'] {
  switch (kind) {
    case 'boolean':
      return booleanJson;
    case 'timestamp':
    case 'seconds':
      return numberJson;
    case 'string':
    case 'url':
    case 'enum':
      return stringJson;
    default:
      return objectJson;
  }
}

function compile(name: PropertyName): ClaimCodec {
  const spec: ClaimSpec = CLAIM_REGISTRY[name];
  const key = claimKeyOf(name);
  return {
    name,
    key,
    kind: spec.kind,
    prefix: `,${JSON.stringify(key)}:`,
    ...converters(spec),
    json: jsonWriter(spec.kind),
  };
}

function nullTable(): Record<string, ClaimCodec | undefined> {
  return Object.create(null) as Record<string, ClaimCodec | undefined>;
}

/** Codecs by full property name; a null-prototype table, so any key from untrusted input is a safe lookup. */
export const CODEC_BY_NAME = nullTable();
/** Codecs by JWT claim key. */
export const CODEC_BY_KEY = nullTable();
for (const name of PROPERTY_NAMES) {
  const codec = compile(name);
  CODEC_BY_NAME[name] = codec;
  CODEC_BY_KEY[codec.key] = codec;
}
