/**
 * The `permissions` property and its minified JWT form `p`, exactly as daily-js reads it
 * (Permissions.js `fromMinifiedJSONObject`): sets become comma strings (`canSend: ['video','audio']`
 * ↔ `cs: "v,a"`), a full set becomes `true` and an empty one `false`; arrays are *not* read from the
 * minified form, so `"ca": ["participants"]` is silently ignored by Daily and is an error here.
 */
import type { ValidationIssue } from '../util/errors.js';
import { closest, hasOwn, isPlainObject, ownProperty, setOwn, show } from '../util/object.js';

/** Media kinds and their minified codes, in Daily's order. */
export const MEDIA_CODES = {
  video: 'v',
  audio: 'a',
  screenVideo: 'sv',
  screenAudio: 'sa',
  customVideo: 'cv',
  customAudio: 'ca',
} as const;

/** Admin rights and their minified codes. */
export const ADMIN_CODES = { participants: 'p', streaming: 's', transcription: 't' } as const;

/** `canReceive` keys and their minified codes. */
export const RECEIVE_CODES = { base: 'b', byUserId: 'u', byParticipantId: 'p' } as const;

export type MediaType = keyof typeof MEDIA_CODES;
export type AdminType = keyof typeof ADMIN_CODES;

/**
 * How a permission field's value is written, for tools that build inputs for it (CLI flags, the
 * inspector's form): a boolean; a set of named items, or true (all) / false (none); or an object.
 */
export type PermissionValueForm =
  | { readonly kind: 'boolean' }
  | { readonly kind: 'set'; readonly items: readonly string[] }
  | { readonly kind: 'object'; readonly example: string };

/**
 * The permission fields: minified name, meaning and value form.
 *
 * @example
 * ```ts
 * PERMISSION_FIELDS.canSend.claim // 'cs'
 * PERMISSION_FIELDS.canSend.value // { kind: 'set', items: ['video', 'audio', …] }
 * ```
 */
export const PERMISSION_FIELDS = {
  hasPresence: {
    claim: 'hp',
    meaning: 'Whether other participants see this participant at all (false needs SFU mode).',
    value: { kind: 'boolean' },
  },
  canSend: {
    claim: 'cs',
    meaning: 'Which media the participant may send: true (all), false (none) or a list.',
    value: { kind: 'set', items: Object.keys(MEDIA_CODES) as MediaType[] },
  },
  canReceive: {
    claim: 'cr',
    meaning: 'Which media the participant may receive, by default and per user or participant.',
    value: { kind: 'object', example: '{"base": true}' },
  },
  canAdmin: {
    claim: 'ca',
    meaning: 'Which admin rights the participant has: participants, streaming, transcription.',
    value: { kind: 'set', items: Object.keys(ADMIN_CODES) as AdminType[] },
  },
} as const satisfies Record<string, { claim: string; meaning: string; value: PermissionValueForm }>;

/** A permission field's full name. */
export type PermissionField = keyof typeof PERMISSION_FIELDS;

/** `{ "*": true, "<trackName>": false }`: custom tracks by name, `*` for the rest. */
export type TrackPermissions = Record<string, boolean>;

/** A complete media permission (all six keys), as `canReceive.base` requires. */
export interface MediaPermissions {
  video: boolean;
  audio: boolean;
  screenVideo: boolean;
  screenAudio: boolean;
  customVideo: TrackPermissions;
  customAudio: TrackPermissions;
}

export interface CanReceivePermission {
  /** `true`/`false`, or a full media object (all six keys, `customVideo`/`customAudio` with `*`). */
  base?: boolean | MediaPermissions;
  /** Overrides by user id; beaten by `byParticipantId`. */
  byUserId?: Record<string, boolean | Partial<MediaPermissions>>;
  /** Overrides by participant (session) id; beat everything else. */
  byParticipantId?: Record<string, boolean | Partial<MediaPermissions>>;
}

/** Full-name permissions, as sent to `POST /v1/meeting-tokens`. */
export interface Permissions {
  hasPresence?: boolean;
  canSend?: boolean | MediaType[];
  canReceive?: CanReceivePermission;
  canAdmin?: boolean | AdminType[];
}

export interface MinifiedMediaPermissions {
  v?: boolean;
  a?: boolean;
  sv?: boolean;
  sa?: boolean;
  cv?: TrackPermissions;
  ca?: TrackPermissions;
}

export interface MinifiedCanReceivePermission {
  b?: boolean | MinifiedMediaPermissions;
  u?: Record<string, boolean | MinifiedMediaPermissions>;
  p?: Record<string, boolean | MinifiedMediaPermissions>;
}

/** Minified permissions, as they sit in the JWT under `p`. */
export interface MinifiedPermissions {
  hp?: boolean;
  cs?: boolean | string;
  cr?: MinifiedCanReceivePermission;
  ca?: boolean | string;
}

type Codes = Readonly<Record<string, string>>;
const MEDIA_KEYS = Object.keys(MEDIA_CODES) as MediaType[];
const TRACK_MEDIA = new Set<string>(['customVideo', 'customAudio']);
// The full form uses the same key tables as the minified one, with every key mapped to itself.
const IDENTITY_RECEIVE: Codes = { base: 'base', byUserId: 'byUserId', byParticipantId: 'byParticipantId' };
const IDENTITY_MEDIA: Codes = Object.fromEntries(MEDIA_KEYS.map((k) => [k, k]));

function invert(codes: Codes): Map<string, string> {
  return new Map(Object.entries(codes).map(([full, code]) => [code, full]));
}
const MEDIA_BY_CODE = invert(MEDIA_CODES);
const ADMIN_BY_CODE = invert(ADMIN_CODES);
const RECEIVE_BY_CODE = invert(RECEIVE_CODES);
const CODE_OF = new Map<string, string>([...Object.entries(MEDIA_CODES), ...Object.entries(ADMIN_CODES)]);
const FIELD_BY_CODE = invert(Object.fromEntries(Object.entries(PERMISSION_FIELDS).map(([k, v]) => [k, v.claim])));

function err(issues: ValidationIssue[], path: string, message: string): void {
  issues.push({ path, message, severity: 'error' });
}

function unknownKey(
  issues: ValidationIssue[],
  path: string,
  key: string,
  allowed: readonly string[],
  what: string,
): void {
  const hint = closest(key, allowed);
  err(
    issues,
    path,
    `unknown ${what} ${show(key)}${hint ? `; did you mean ${show(hint)}?` : ''} (allowed: ${allowed.join(', ')})`,
  );
}

// ---------------------------------------------------------------------------------------------
// Full form: validation and encoding

/** Validates full-name permissions, pushing every issue with its path. */
export function validatePermissions(value: unknown, path: string, issues: ValidationIssue[]): void {
  if (!isPlainObject(value)) {
    err(issues, path, `must be an object like {"canSend": ["video","audio"]}, got ${show(value)}`);
    return;
  }
  for (const key of Object.keys(value)) {
    const v = value[key];
    const p = `${path}.${key}`;
    switch (key) {
      case 'hasPresence':
        if (typeof v !== 'boolean') err(issues, p, `must be true or false, got ${show(v)}`);
        break;
      case 'canSend':
        validateSet(v, p, MEDIA_CODES, issues);
        break;
      case 'canAdmin':
        validateSet(v, p, ADMIN_CODES, issues);
        break;
      case 'canReceive':
        validateCanReceive(v, p, IDENTITY_RECEIVE, IDENTITY_MEDIA, issues);
        break;
      default:
        unknownKey(issues, p, key, Object.keys(PERMISSION_FIELDS), 'permission');
    }
  }
}

function validateSet(v: unknown, path: string, codes: Codes, issues: ValidationIssue[]): void {
  if (typeof v === 'boolean') return;
  const allowed = Object.keys(codes);
  if (!Array.isArray(v)) {
    err(issues, path, `must be true, false or a list of ${allowed.join(', ')}; got ${show(v)}`);
    return;
  }
  v.forEach((item, i) => {
    if (typeof item !== 'string' || !hasOwn(codes, item)) {
      const hint = typeof item === 'string' ? closest(item, allowed) : undefined;
      err(
        issues,
        `${path}[${i}]`,
        `${show(item)} is not one of ${allowed.join(', ')}${hint ? `; did you mean ${show(hint)}?` : ''}`,
      );
    }
  });
}

/**
 * canReceive in either vocabulary: `keys` maps the full key names to the ones used at this level
 * (identity for the full form, codes for the minified one), and `media` likewise for media keys.
 */
function validateCanReceive(v: unknown, path: string, keys: Codes, media: Codes, issues: ValidationIssue[]): void {
  if (!isPlainObject(v)) {
    err(issues, path, `must be an object with ${Object.values(keys).join(', ')}; got ${show(v)}`);
    return;
  }
  const [baseKey, userKey, partKey] = [keys.base, keys.byUserId, keys.byParticipantId] as string[];
  for (const key of Object.keys(v)) {
    const p = `${path}.${key}`;
    const val = v[key];
    if (key === baseKey) {
      if (typeof val !== 'boolean') validateMedia(val, p, media, true, issues);
    } else if (key === userKey || key === partKey) {
      if (!isPlainObject(val)) {
        err(issues, p, `must be an object mapping ids to true, false or media permissions; got ${show(val)}`);
        continue;
      }
      for (const id of Object.keys(val)) {
        const entry = val[id];
        if (typeof entry !== 'boolean') validateMedia(entry, `${p}[${show(id)}]`, media, false, issues);
      }
    } else {
      unknownKey(issues, p, key, Object.values(keys), 'canReceive key');
    }
  }
}

function validateMedia(v: unknown, path: string, media: Codes, complete: boolean, issues: ValidationIssue[]): void {
  if (!isPlainObject(v)) {
    err(issues, path, `must be true, false or an object of media permissions; got ${show(v)}`);
    return;
  }
  const allowed = MEDIA_KEYS.map((k) => media[k] as string);
  for (const fullKey of MEDIA_KEYS) {
    const key = media[fullKey] as string;
    const p = `${path}.${key}`;
    if (!hasOwn(v, key)) {
      if (complete) err(issues, p, `is required: base must list all of ${allowed.join(', ')} (or be true/false)`);
      continue;
    }
    const val = v[key];
    if (TRACK_MEDIA.has(fullKey)) {
      if (!isPlainObject(val)) {
        err(issues, p, `must be an object of track names to booleans, like {"*": true}; got ${show(val)}`);
        continue;
      }
      for (const track of Object.keys(val)) {
        if (typeof val[track] !== 'boolean')
          err(issues, `${p}[${show(track)}]`, `must be true or false, got ${show(val[track])}`);
      }
      if (complete && !hasOwn(val, '*'))
        err(issues, `${p}["*"]`, 'is required in base (the default for unnamed tracks)');
    } else if (typeof val !== 'boolean') {
      err(issues, p, `must be true or false, got ${show(val)}`);
    }
  }
  for (const key of Object.keys(v)) {
    if (!allowed.includes(key)) unknownKey(issues, `${path}.${key}`, key, allowed, 'media type');
  }
}

/** Set → minified: full set ↔ true, empty ↔ false, otherwise codes in Daily's order. */
export function encodeSet(
  v: boolean | readonly string[],
  entries: readonly (readonly [string, string])[],
): boolean | string {
  if (typeof v === 'boolean') return v;
  let out = '';
  let count = 0;
  for (const [full, code] of entries) {
    if (!v.includes(full)) continue;
    out = count === 0 ? code : `${out},${code}`;
    count++;
  }
  if (count === 0) return false;
  return count === entries.length ? true : out;
}
/** `[fullName, code]` pairs in Daily's order. */
export const MEDIA_ENTRIES = Object.entries(MEDIA_CODES);
export const ADMIN_ENTRIES = Object.entries(ADMIN_CODES);

function mapMedia(v: Record<string, unknown>, from: Codes, to: Codes): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const fullKey of MEDIA_KEYS) {
    const src = from[fullKey] as string;
    if (!hasOwn(v, src)) continue;
    const val = v[src];
    setOwn(out, to[fullKey] as string, isPlainObject(val) ? copyRecord(val) : val);
  }
  return out;
}

function copyRecord(v: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) setOwn(out, k, v[k]);
  return out;
}

function mapReceive(v: Record<string, unknown>, fromKeys: Codes, toKeys: Codes, fromMedia: Codes, toMedia: Codes) {
  const out: Record<string, unknown> = {};
  const one = (x: unknown) => (typeof x === 'boolean' ? x : mapMedia(x as Record<string, unknown>, fromMedia, toMedia));
  for (const k of ['base', 'byUserId', 'byParticipantId'] as const) {
    const src = fromKeys[k] as string;
    if (!hasOwn(v, src)) continue;
    const val = v[src];
    if (k === 'base') {
      out[toKeys[k] as string] = one(val);
    } else {
      const map: Record<string, unknown> = {};
      for (const id of Object.keys(val as object)) setOwn(map, id, one((val as Record<string, unknown>)[id]));
      out[toKeys[k] as string] = map;
    }
  }
  return out;
}

/** Full permissions → minified `p` claim. Expects input that passed `validatePermissions`. */
export function encodePermissions(p: Permissions): MinifiedPermissions {
  const out: MinifiedPermissions = {};
  if (p.hasPresence !== undefined) out.hp = p.hasPresence;
  if (p.canSend !== undefined) out.cs = encodeSet(p.canSend, MEDIA_ENTRIES);
  if (p.canReceive !== undefined) {
    out.cr = mapReceive(
      p.canReceive as Record<string, unknown>,
      IDENTITY_RECEIVE,
      RECEIVE_CODES,
      IDENTITY_MEDIA,
      MEDIA_CODES,
    ) as MinifiedCanReceivePermission;
  }
  if (p.canAdmin !== undefined) out.ca = encodeSet(p.canAdmin, ADMIN_ENTRIES);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Minified form: validation and decoding

/**
 * Comma string (or boolean) at `parent.key` → set, pushing an issue for codes Daily does not know. The
 * path is only formatted once something is wrong: the common token has nothing to report.
 */
function decodeSet(
  v: unknown,
  parent: string,
  key: string,
  byCode: Map<string, string>,
  issues: ValidationIssue[],
): boolean | string[] | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && v.length > 0) {
    const fast = decodeSetFast(v, byCode);
    if (fast !== undefined) return fast;
  }
  const path = `${parent}.${key}`;
  const codes = [...byCode.keys()];
  if (Array.isArray(v)) {
    err(
      issues,
      path,
      `is an array, which Daily ignores: write a comma-separated string such as ${show(codes.slice(0, 2).join(','))}, or true/false`,
    );
    return undefined;
  }
  if (typeof v !== 'string') {
    err(issues, path, `must be true, false or a comma-separated string of ${codes.join(', ')}; got ${show(v)}`);
    return undefined;
  }
  if (v === '') return false;
  const out: string[] = [];
  let ok = true;
  for (const code of v.split(',')) {
    const full = byCode.get(code);
    if (full === undefined) {
      err(issues, path, `${show(code)} is not one of ${codes.join(', ')}`);
      ok = false;
    } else if (!out.includes(full)) {
      out.push(full);
    }
  }
  if (!ok) return undefined;
  if (out.length === byCode.size) return true;
  // Canonical order, so that equal sets compare equal.
  const order = [...byCode.values()];
  return out.sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

/** Decoded comma strings, by table: tokens repeat the same few sets ("v,a", "p"), so decode each once. */
const SET_CACHE = new Map<Map<string, string>, Map<string, boolean | string[]>>();
const SET_CACHE_LIMIT = 512;

/** The common case, a valid comma string, without building error context; undefined means "look closer". */
function decodeSetFast(v: string, byCode: Map<string, string>): boolean | string[] | undefined {
  let cache = SET_CACHE.get(byCode);
  if (!cache) {
    cache = new Map();
    SET_CACHE.set(byCode, cache);
  }
  const hit = cache.get(v);
  if (hit !== undefined) return typeof hit === 'boolean' ? hit : hit.slice();
  const parts = v.split(',');
  // Every part must be a known code (duplicates are fine).
  for (const part of parts) if (!byCode.has(part)) return undefined;
  const out: string[] = [];
  for (const full of byCode.values()) if (parts.includes(CODE_OF.get(full) as string)) out.push(full);
  const result = out.length === byCode.size ? true : out;
  if (cache.size < SET_CACHE_LIMIT) cache.set(v, result);
  return typeof result === 'boolean' ? result : result.slice();
}

/**
 * Minified `p` claim → full permissions. Invalid parts are reported in `issues` and left out, so the
 * result holds only what Daily would actually apply.
 */
export function decodePermissions(v: unknown, path: string, issues: ValidationIssue[]): Permissions | undefined {
  if (!isPlainObject(v)) {
    err(issues, path, `must be an object like {"cs": "v,a"}; got ${show(v)}`);
    return undefined;
  }
  const out: Permissions = {};
  for (const key in v) {
    if (!ownProperty.call(v, key)) continue;
    const val = v[key];
    // Paths are built only when something is wrong: the common token has nothing to report.
    switch (FIELD_BY_CODE.get(key)) {
      case 'hasPresence':
        if (typeof val === 'boolean') out.hasPresence = val;
        else err(issues, `${path}.${key}`, `must be true or false, got ${show(val)}`);
        break;
      case 'canSend': {
        const s = decodeSet(val, path, key, MEDIA_BY_CODE, issues);
        if (s !== undefined) out.canSend = s as boolean | MediaType[];
        break;
      }
      case 'canAdmin': {
        const s = decodeSet(val, path, key, ADMIN_BY_CODE, issues);
        if (s !== undefined) out.canAdmin = s as boolean | AdminType[];
        break;
      }
      case 'canReceive': {
        // The common `{"b": true}` needs no walk through the validator.
        if (isPlainObject(val) && typeof val.b === 'boolean' && Object.keys(val).length === 1) {
          out.canReceive = { base: val.b };
          break;
        }
        const before = issues.length;
        validateCanReceive(val, `${path}.${key}`, RECEIVE_CODES, MEDIA_CODES, issues);
        if (issues.length === before) {
          out.canReceive = mapReceive(
            val as Record<string, unknown>,
            RECEIVE_CODES,
            IDENTITY_RECEIVE,
            MEDIA_CODES,
            IDENTITY_MEDIA,
          ) as CanReceivePermission;
        }
        break;
      }
      default: {
        const p = `${path}.${key}`;
        const fullHint = hasOwn(PERMISSION_FIELDS, key)
          ? `; inside the token write ${show(PERMISSION_FIELDS[key as keyof typeof PERMISSION_FIELDS].claim)}`
          : '';
        if (fullHint) err(issues, p, `is a full permission name, which Daily ignores in a token${fullHint}`);
        else unknownKey(issues, p, key, [...FIELD_BY_CODE.keys()], 'permission');
      }
    }
  }
  return out;
}

/** Normalises full permissions the way Daily does (full set → true, empty → false, canonical order). */
export function normalizePermissions(p: Permissions): Permissions {
  const issues: ValidationIssue[] = [];
  return decodePermissions(encodePermissions(p), 'permissions', issues) ?? {};
}

/** Looks up a permission code table by name, for explanations. */
export const CODE_TABLES = { media: MEDIA_BY_CODE, admin: ADMIN_BY_CODE, receive: RECEIVE_BY_CODE } as const;
