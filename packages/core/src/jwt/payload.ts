/**
 * The hot path of `createMeetingToken`: writes the JSON payload straight from full-name properties in
 * one pass, for input that is plainly valid. Anything out of the ordinary (an unknown key, a legacy
 * value, a URL, recording options, per-user receive rules, a missing room…) returns undefined and takes
 * the slow path, which validates with messages and builds the same payload through `buildClaims`.
 * A property test holds the two to byte-identical output.
 */
import { ADMIN_ENTRIES, encodeSet, MEDIA_ENTRIES } from '../claims/permissions.js';
import { CLAIM_REGISTRY, type ClaimKind, claimKeyOf, PROPERTY_NAMES } from '../claims/registry.js';
import { MILLISECONDS_THRESHOLD } from '../claims/validate.js';
import { isPlainObject } from '../util/object.js';

interface Field {
  /** `,"r":` — the separator and key, ready to append. */
  prefix: string;
  kind: ClaimKind;
  maxLength: number;
  values: readonly string[];
}

// domain_id and iat are written by the signer; given as properties they take the slow path.
const FIELDS: Record<string, Field | undefined> = Object.create(null);
for (const name of PROPERTY_NAMES) {
  if (name === 'domain_id' || name === 'iat') continue;
  const spec = CLAIM_REGISTRY[name] as { kind: ClaimKind; maxLength?: number; values?: readonly string[] };
  FIELDS[name] = {
    prefix: `,${JSON.stringify(claimKeyOf(name))}:`,
    kind: spec.kind,
    maxLength: spec.maxLength ?? Number.POSITIVE_INFINITY,
    values: spec.values ?? [],
  };
}

/** A permission set as JSON (`true`, `false` or `"v,a"`), or undefined when not plainly valid. */
function setJson(v: unknown, entries: readonly (readonly [string, string])[]): string | undefined {
  if (typeof v !== 'boolean') {
    if (!Array.isArray(v)) return undefined;
    for (const item of v) if (!entries.some(([full]) => full === item)) return undefined;
  }
  const encoded = encodeSet(v as boolean | string[], entries);
  return typeof encoded === 'boolean' ? String(encoded) : `"${encoded}"`;
}

/** Permissions as minified JSON, in the fixed order `encodePermissions` uses (hp, cs, cr, ca). */
function permissionsJson(v: unknown): string | undefined {
  if (!isPlainObject(v)) return undefined;
  let hp: string | undefined;
  let cs: string | undefined;
  let cr: string | undefined;
  let ca: string | undefined;
  for (const key in v) {
    const x = v[key];
    if (key === 'hasPresence') {
      if (typeof x !== 'boolean') return undefined;
      hp = x ? 'true' : 'false';
    } else if (key === 'canSend') {
      cs = setJson(x, MEDIA_ENTRIES);
      if (cs === undefined) return undefined;
    } else if (key === 'canAdmin') {
      ca = setJson(x, ADMIN_ENTRIES);
      if (ca === undefined) return undefined;
    } else if (key === 'canReceive') {
      // Only the common `{ base: true|false }`; richer receive rules take the slow path.
      if (!isPlainObject(x) || typeof x.base !== 'boolean' || Object.keys(x).length !== 1) return undefined;
      cr = `{"b":${x.base}}`;
    } else {
      return undefined;
    }
  }
  let out = '';
  if (hp !== undefined) out += `,"hp":${hp}`;
  if (cs !== undefined) out += `,"cs":${cs}`;
  if (cr !== undefined) out += `,"cr":${cr}`;
  if (ca !== undefined) out += `,"ca":${ca}`;
  return `{${out.slice(1)}}`;
}

/**
 * The payload JSON for plainly valid properties, or undefined to fall back to the slow path.
 * `domainJson` is the domain id already JSON-encoded.
 */
export function fastPayload(
  p: Record<string, unknown>,
  domainJson: string,
  now: number,
  ttl: number,
  allRooms: boolean,
  noExpiry: boolean,
): string | undefined {
  let out = '';
  let exp: number | undefined;
  let nbf: number | undefined;
  let hasRoom = false;
  for (const name in p) {
    const f = FIELDS[name];
    if (f === undefined) return undefined;
    const v = p[name];
    if (v === undefined) continue;
    switch (f.kind) {
      case 'boolean':
        if (typeof v !== 'boolean') return undefined;
        out += f.prefix + (v ? 'true' : 'false');
        break;
      case 'string':
        if (typeof v !== 'string' || v.length === 0 || v.length > f.maxLength) return undefined;
        out += f.prefix + JSON.stringify(v);
        if (name === 'room_name') hasRoom = true;
        break;
      case 'timestamp': {
        let s: number;
        if (typeof v === 'number') {
          if (!Number.isInteger(v) || v < 0 || v >= MILLISECONDS_THRESHOLD) return undefined;
          s = v;
        } else if (v instanceof Date) {
          const t = v.getTime();
          if (Number.isNaN(t)) return undefined;
          s = Math.floor(t / 1000);
        } else {
          return undefined;
        }
        if (name === 'exp') {
          if (noExpiry || s <= now) return undefined;
          exp = s;
        } else {
          nbf = s;
        }
        out += f.prefix + s;
        break;
      }
      case 'seconds':
        if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) return undefined;
        out += f.prefix + v;
        break;
      case 'enum':
        if (typeof v !== 'string' || !f.values.includes(v)) return undefined;
        out += f.prefix + JSON.stringify(v);
        break;
      case 'permissions': {
        const json = permissionsJson(v);
        if (json === undefined) return undefined;
        out += f.prefix + json;
        break;
      }
      default:
        return undefined;
    }
  }
  if (!hasRoom && !allRooms) return undefined;
  if (exp === undefined && !noExpiry) {
    exp = now + ttl;
    out += `,"exp":${exp}`;
  }
  if (nbf !== undefined && exp !== undefined && nbf >= exp) return undefined;
  // `out` starts with a comma when any property was written, and is empty when none was.
  return `{${out ? `${out.slice(1)},` : ''}"d":${domainJson},"iat":${now}}`;
}
