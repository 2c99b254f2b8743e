/**
 * The `permissions` property and its minified JWT form `p`, exactly as daily-js reads it
 * (Permissions.js `fromMinifiedJSONObject`): sets become comma strings (`canSend: ['video','audio']`
 * ↔ `cs: "v,a"`), a full set becomes `true` and an empty one `false`; arrays are *not* read from the
 * minified form, so `"ca": ["participants"]` is silently ignored by Daily and is an error here.
 *
 * This module is the codec: functions that check a value and convert it in one pass, in either
 * direction, building an error path only when something is wrong. The code tables are permissions.ts.
 */
import { MAX_ISSUES, pushError, type ValidationIssue } from '../util/errors.js';
import {
  closest,
  hasOwn,
  isPlainObject,
  ownProperty,
  plainObjectKind,
  prototypePolluted,
  setOwn,
  show,
} from '../util/object.js';

import {
  ADMIN_CODES,
  type AdminType,
  type CanReceivePermission,
  MEDIA_CODES,
  type MediaType,
  type MinifiedCanReceivePermission,
  type MinifiedPermissions,
  PERMISSION_BY_SNAKE_CASE,
  PERMISSION_FIELDS,
  type PermissionField,
  type Permissions,
  RECEIVE_CODES,
  TRACK_MEDIA,
} from './permissions.js';

type Issues = ValidationIssue[];

/**
 * Where the first, quiet pass over a value puts its problems. That pass formats no paths (building them
 * is a large part of reading a valid value); only a value with problems is walked again, with real paths.
 */
const QUIET: Issues = [];

/** The path of `key` under `path`, formatted only when problems are being reported. */
const at = (issues: Issues, path: string, key: string): string => (issues === QUIET ? '' : `${path}.${key}`);

/**
 * Whether for-in loops must skip inherited keys: only when Object.prototype has been given enumerable
 * keys (polluted), since every value walked here is a plain object. Set at each entry point.
 */
let checkOwn = true;

/** Runs `walk` quietly, and again with paths when it found a problem (see `QUIET`). */
function inTwoPasses<T>(
  walk: (v: unknown, path: string, issues: Issues) => T,
  v: unknown,
  path: string,
  issues: Issues,
): T {
  checkOwn = prototypePolluted();
  // Empty between calls; a read is cheaper than setting the length every time.
  if (QUIET.length !== 0) QUIET.length = 0;
  const quiet = walk(v, path, QUIET);
  if (QUIET.length === 0) return quiet;
  QUIET.length = 0;
  return walk(v, path, issues);
}

function unknownKey(issues: Issues, path: string, key: string, allowed: readonly string[], what: string): undefined {
  const hint = closest(key, allowed);
  return pushError(
    issues,
    path,
    `unknown ${what} ${show(key)}${hint ? `; did you mean ${show(hint)}?` : ''} (allowed: ${allowed.join(', ')})`,
  );
}

/**
 * The position of a key in one of the short key lists (at most six), or -1: a scan of `===` on property
 * keys, which V8 compares by identity, cheaper than a Map lookup, and like one it matches
 * only the listed keys (`__proto__` and friends are not in any list).
 */
function indexIn(list: readonly string[], key: string): number {
  for (let i = 0; i < list.length; i++) if (list[i] === key) return i;
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Sets (canSend, canAdmin): compiled to bit masks once, so a set is checked and converted in one pass.

interface SetCodec {
  readonly names: readonly string[];
  readonly codes: readonly string[];
  /** Every bit set: the full set, written `true`. */
  readonly all: number;
  /** For each mask: the comma string of its codes, and its names in Daily's order. */
  readonly codeText: readonly string[];
  readonly namesOf: readonly (readonly string[])[];
  /** Canonical comma string → its mask: what every canonical writer (ours included) produces. */
  readonly maskOfText: ReadonlyMap<string, number>;
}

function setCodec(codes: Readonly<Record<string, string>>): SetCodec {
  const names = Object.keys(codes);
  const list = Object.values(codes);
  const codeText: string[] = [];
  const namesOf: string[][] = [];
  for (let mask = 0; mask < 1 << names.length; mask++) {
    const bits = names.map((_, i) => i).filter((i) => mask & (1 << i));
    codeText.push(bits.map((i) => list[i]).join(','));
    namesOf.push(bits.map((i) => names[i] as string));
  }
  return {
    names,
    codes: list,
    all: (1 << names.length) - 1,
    codeText,
    namesOf,
    maskOfText: new Map(codeText.map((text, mask) => [text, mask] as const).filter(([, mask]) => mask > 0)),
  };
}

const MEDIA_SET = setCodec(MEDIA_CODES);
const ADMIN_SET = setCodec(ADMIN_CODES);

/** Full set (true/false or a list of names) → minified (true, false or `"v,a"`), or undefined if invalid. */
function encodeSet(v: unknown, set: SetCodec, path: string, issues: Issues): boolean | string | undefined {
  if (v === true || v === false) return v;
  if (!Array.isArray(v)) {
    return pushError(issues, path, `must be true, false or a list of ${set.names.join(', ')}; got ${show(v)}`);
  }
  let mask = 0;
  let ok = true;
  for (let i = 0; i < v.length; i++) {
    const item: unknown = v[i];
    const bit = typeof item === 'string' ? indexIn(set.names, item) : -1;
    if (bit >= 0) {
      mask |= 1 << bit;
      continue;
    }
    ok = false;
    const hint = typeof item === 'string' ? closest(item, set.names) : undefined;
    pushError(
      issues,
      `${path}[${i}]`,
      `${show(item)} is not one of ${set.names.join(', ')}${hint ? `; did you mean ${show(hint)}?` : ''}`,
    );
  }
  if (!ok) return undefined;
  return mask === 0 ? false : mask === set.all ? true : (set.codeText[mask] as string);
}

/** Minified set (true, false or a comma string) at `path` → full set, or undefined if Daily would not read it. */
function decodeSet(v: unknown, set: SetCodec, path: string, issues: Issues): boolean | string[] | undefined {
  if (v === true || v === false) return v;
  if (typeof v !== 'string') {
    if (Array.isArray(v)) {
      // Daily's decoder (daily-js Permissions.js) reads only a boolean or a string here: it drops this
      // one permission and applies the rest of the token.
      const example = set.codes.slice(0, 2).join(',');
      issues.push({
        path,
        message: `is an array (${show(v)}); Daily reads only true/false or a comma-separated string, so it drops this permission and applies the rest of the token`,
        severity: 'error',
        code: 'permissions-array',
        fix: `Write a comma-separated string of codes, e.g. "${example}", or use createMeetingToken / toClaims, which encode it.`,
      });
      return undefined;
    }
    return pushError(
      issues,
      path,
      `must be true, false or a comma-separated string of ${set.codes.join(', ')}; got ${show(v)}`,
    );
  }
  if (v === '') return false;
  const canonical = set.maskOfText.get(v);
  let mask = canonical ?? 0;
  let ok = true;
  // Anything but a canonical string (another order, duplicates, a typo) is read code by code, by a scan
  // rather than split(','): most sets are one or two codes.
  for (let start = 0; canonical === undefined; ) {
    const end = v.indexOf(',', start);
    const code = end < 0 ? (start === 0 ? v : v.slice(start)) : v.slice(start, end);
    const bit = indexIn(set.codes, code);
    if (bit >= 0) mask |= 1 << bit;
    else {
      ok = false;
      pushError(issues, path, `${show(code)} is not one of ${set.codes.join(', ')}`);
    }
    if (end < 0) break;
    start = end + 1;
  }
  if (!ok) return undefined;
  // Canonical order, so that equal sets compare equal; a copy, so callers may change it.
  return mask === set.all ? true : (set.namesOf[mask] as string[]).slice();
}

// ---------------------------------------------------------------------------------------------
// canReceive: one walker for both directions; a vocabulary names the keys at each level.

interface Vocabulary {
  /** base, byUserId, byParticipantId (or their codes), in that order. */
  readonly receive: readonly [string, string, string];
  /** The media keys in Daily's order. */
  readonly media: readonly string[];
}

const MEDIA_NAMES = Object.keys(MEDIA_CODES) as MediaType[];
const IS_TRACK: readonly boolean[] = MEDIA_NAMES.map((m) => TRACK_MEDIA.includes(m));
const ALL_MEDIA = (1 << MEDIA_NAMES.length) - 1;

const FULL: Vocabulary = { receive: Object.keys(RECEIVE_CODES) as [string, string, string], media: MEDIA_NAMES };
const MINIFIED: Vocabulary = {
  receive: Object.values(RECEIVE_CODES) as [string, string, string],
  media: Object.values(MEDIA_CODES),
};

/*
 * Stores under full names, for decoding. `out[media[i]] = value`, with the key read from a table, is one
 * store site that sees every key: V8 then takes its generic path, and a per-media token makes a dozen of
 * them. A site that only ever sees one key is a plain field store, so decoding has a site per position
 * (keys still from the tables). A position past the cases takes the generic store, so a longer table
 * stays correct. Encoding keeps the generic store: there it did not pay for its bytes (docs/PERFORMANCE.md).
 */
const [MEDIA_0, MEDIA_1, MEDIA_2, MEDIA_3, MEDIA_4, MEDIA_5] = MEDIA_NAMES as string[];
const [BASE, BY_USER_ID, BY_PARTICIPANT_ID] = FULL.receive;

function storeMedia(out: Record<string, unknown>, to: Vocabulary, i: number, value: unknown): void {
  if (to !== FULL) out[to.media[i] as string] = value;
  else if (i === 0) out[MEDIA_0 as string] = value;
  else if (i === 1) out[MEDIA_1 as string] = value;
  else if (i === 2) out[MEDIA_2 as string] = value;
  else if (i === 3) out[MEDIA_3 as string] = value;
  else if (i === 4) out[MEDIA_4 as string] = value;
  else if (i === 5) out[MEDIA_5 as string] = value;
  else out[MEDIA_NAMES[i] as string] = value;
}

// The objects the walk builds, each kind with its own constructor (see plainObjectKind).
const MediaObject = /* @__PURE__ */ plainObjectKind();
const TrackMap = /* @__PURE__ */ plainObjectKind();
const ByIdObject = /* @__PURE__ */ plainObjectKind();
const ReceiveObject = /* @__PURE__ */ plainObjectKind();

/** `parent` or `parent["id"]`: the path of a media object, formatted only when there is something to report. */
const mediaPath = (parent: string, id: string | undefined) => (id === undefined ? parent : `${parent}[${show(id)}]`);

/**
 * Media permissions (at `parent`, or at `parent[id]` for a per-user entry) in `from`'s keys → `to`'s keys,
 * in Daily's order; `complete` is what `base` requires. Undefined, with issues, when anything is wrong.
 */
function mapMedia(
  v: unknown,
  parent: string,
  id: string | undefined,
  from: Vocabulary,
  to: Vocabulary,
  complete: boolean,
  issues: Issues,
): Record<string, unknown> | undefined {
  if (!isPlainObject(v)) {
    return pushError(
      issues,
      mediaPath(parent, id),
      `must be true, false or an object of media permissions; got ${show(v)}`,
    );
  }
  const before = issues.length;
  // Inputs nearly always come in Daily's order (our own encoder writes it), so the values go straight
  // into `out`, and only an input out of order is rebuilt at the end.
  let out = new MediaObject();
  let seen = 0;
  let last = -1;
  let inOrder = true;
  let unknown = false;
  for (const key in v) {
    if (checkOwn && !ownProperty.call(v, key)) continue;
    const i = indexIn(from.media, key);
    if (i < 0) {
      unknown = true;
      continue;
    }
    seen |= 1 << i;
    if (i < last) inOrder = false;
    last = i;
    const val = v[key];
    if (!IS_TRACK[i]) {
      if (typeof val === 'boolean') storeMedia(out, to, i, val);
      else pushError(issues, `${mediaPath(parent, id)}.${key}`, `must be true or false, got ${show(val)}`);
      continue;
    }
    if (!isPlainObject(val)) {
      pushError(
        issues,
        `${mediaPath(parent, id)}.${key}`,
        `must be an object of track names to booleans, like {"*": true}; got ${show(val)}`,
      );
      continue;
    }
    // Each value is read once and the copy holds what was checked: a getter or a Proxy in the caller's
    // object cannot answer a boolean to the check and something else to the copy.
    const tracks = new TrackMap();
    for (const track in val) {
      if (checkOwn && !ownProperty.call(val, track)) continue;
      const on = val[track];
      // The store is written here rather than in setOwn, so that it sees the tracks' own few keys (nearly
      // always "*") instead of every key setOwn writes; `__proto__` still goes through setOwn.
      if (typeof on === 'boolean') {
        if (track === '__proto__') setOwn(tracks, track, on);
        else tracks[track] = on;
      } else if (issues.length < MAX_ISSUES)
        pushError(issues, `${mediaPath(parent, id)}.${key}[${show(track)}]`, `must be true or false, got ${show(on)}`);
    }
    if (complete && !hasOwn(val, '*'))
      pushError(issues, `${mediaPath(parent, id)}.${key}["*"]`, 'is required in base (the default for unnamed tracks)');
    storeMedia(out, to, i, tracks);
  }
  if (complete && seen !== ALL_MEDIA) {
    for (let i = 0; i < from.media.length; i++) {
      if (seen & (1 << i)) continue;
      pushError(
        issues,
        `${mediaPath(parent, id)}.${from.media[i]}`,
        `is required: base must list all of ${from.media.join(', ')} (or be true/false)`,
      );
    }
  }
  if (unknown) {
    for (const key of Object.keys(v)) {
      if (indexIn(from.media, key) < 0)
        unknownKey(issues, `${mediaPath(parent, id)}.${key}`, key, from.media, 'media type');
    }
  }
  if (issues.length !== before) return undefined;
  if (!inOrder) {
    const sorted: Record<string, unknown> = {};
    for (const key of to.media) if (hasOwn(out, key)) sorted[key] = out[key];
    out = sorted;
  }
  return out;
}

/** Per-user or per-participant overrides at `path`: ids to true, false or media permissions. */
function mapById(
  v: unknown,
  path: string,
  from: Vocabulary,
  to: Vocabulary,
  issues: Issues,
): Record<string, unknown> | undefined {
  if (!isPlainObject(v)) {
    return pushError(issues, path, `must be an object mapping ids to true, false or media permissions; got ${show(v)}`);
  }
  const byId = new ByIdObject();
  for (const id in v) {
    if (checkOwn && !ownProperty.call(v, id)) continue;
    if (issues.length >= MAX_ISSUES) break;
    const entry = v[id];
    const mapped = typeof entry === 'boolean' ? entry : mapMedia(entry, path, id, from, to, false, issues);
    if (mapped !== undefined) setOwn(byId, id, mapped);
  }
  return byId;
}

/** canReceive in `from`'s vocabulary → `to`'s, or undefined (with issues) when any part is invalid. */
function mapReceive(
  v: unknown,
  path: string,
  from: Vocabulary,
  to: Vocabulary,
  issues: Issues,
): Record<string, unknown> | undefined {
  if (!isPlainObject(v))
    return pushError(issues, path, `must be an object with ${from.receive.join(', ')}; got ${show(v)}`);
  const before = issues.length;
  // Read in the input's order (so issues come in that order), written out in Daily's order.
  let base: unknown;
  let byUser: unknown;
  let byParticipant: unknown;
  for (const key in v) {
    if (checkOwn && !ownProperty.call(v, key)) continue;
    const val = v[key];
    switch (indexIn(from.receive, key)) {
      case 0:
        base = typeof val === 'boolean' ? val : mapMedia(val, at(issues, path, key), undefined, from, to, true, issues);
        break;
      case 1:
        byUser = mapById(val, at(issues, path, key), from, to, issues);
        break;
      case 2:
        byParticipant = mapById(val, at(issues, path, key), from, to, issues);
        break;
      default:
        unknownKey(issues, `${path}.${key}`, key, from.receive, 'canReceive key');
    }
  }
  if (issues.length !== before) return undefined;
  const out = new ReceiveObject();
  // One store site per key when decoding, as in storeMedia.
  if (to === FULL) {
    if (base !== undefined) out[BASE] = base;
    if (byUser !== undefined) out[BY_USER_ID] = byUser;
    if (byParticipant !== undefined) out[BY_PARTICIPANT_ID] = byParticipant;
  } else {
    if (base !== undefined) out[to.receive[0]] = base;
    if (byUser !== undefined) out[to.receive[1]] = byUser;
    if (byParticipant !== undefined) out[to.receive[2]] = byParticipant;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The whole permissions object.

const FIELD_NAMES = Object.keys(PERMISSION_FIELDS) as PermissionField[];
const FIELD_CODES = /* @__PURE__ */ FIELD_NAMES.map((f) => PERMISSION_FIELDS[f].claim);

/**
 * Full-name permissions at `path` → the minified `p` claim, checked in the same pass; undefined (with
 * every problem in `issues`) when anything is wrong.
 */
export function encodePermissions(v: unknown, path: string, issues: Issues): MinifiedPermissions | undefined {
  return inTwoPasses(writePermissions, v, path, issues);
}

function writePermissions(v: unknown, path: string, issues: Issues): MinifiedPermissions | undefined {
  if (!isPlainObject(v)) {
    return pushError(issues, path, `must be an object like {"canSend": ["video","audio"]}, got ${show(v)}`);
  }
  const before = issues.length;
  let hp: boolean | undefined;
  let cs: boolean | string | undefined;
  let cr: Record<string, unknown> | undefined;
  let ca: boolean | string | undefined;
  for (const key in v) {
    if (checkOwn && !ownProperty.call(v, key)) continue;
    const val = v[key];
    // A switch on the key itself: only the four literal names match, so `__proto__` and friends fall through.
    switch (key) {
      case 'hasPresence':
        if (typeof val === 'boolean') hp = val;
        else pushError(issues, `${path}.${key}`, `must be true or false, got ${show(val)}`);
        break;
      case 'canSend':
        cs = encodeSet(val, MEDIA_SET, at(issues, path, key), issues);
        break;
      case 'canAdmin':
        ca = encodeSet(val, ADMIN_SET, at(issues, path, key), issues);
        break;
      case 'canReceive':
        cr = mapReceive(val, at(issues, path, key), FULL, MINIFIED, issues);
        break;
      default: {
        const camel = PERMISSION_BY_SNAKE_CASE.get(key);
        // A client that snake_cases keys deserves to be told so, not "unknown permission".
        if (camel) {
          pushError(
            issues,
            `${path}.${key}`,
            `is snake_case; Daily reads ${show(camel)} (is your HTTP client converting keys?)`,
          );
        } else unknownKey(issues, `${path}.${key}`, key, FIELD_NAMES, 'permission');
      }
    }
  }
  if (issues.length !== before) return undefined;
  // Daily's field order, whatever the input's.
  const out: MinifiedPermissions = {};
  if (hp !== undefined) out.hp = hp;
  if (cs !== undefined) out.cs = cs;
  if (cr !== undefined) out.cr = cr as MinifiedCanReceivePermission;
  if (ca !== undefined) out.ca = ca;
  return out;
}

/**
 * Minified `p` claim at `path` → full permissions. Invalid parts are reported in `issues` and left out, so
 * the result holds only what Daily would actually apply; undefined when `p` is not an object at all.
 */
export function decodePermissions(v: unknown, path: string, issues: Issues): Permissions | undefined {
  return inTwoPasses(readPermissions, v, path, issues);
}

function readPermissions(v: unknown, path: string, issues: Issues): Permissions | undefined {
  if (!isPlainObject(v)) return pushError(issues, path, `must be an object like {"cs": "v,a"}; got ${show(v)}`);
  const out: Permissions = {};
  for (const key in v) {
    if (checkOwn && !ownProperty.call(v, key)) continue;
    const val = v[key];
    const field = indexIn(FIELD_CODES, key);
    switch (field < 0 ? undefined : FIELD_NAMES[field]) {
      case 'hasPresence':
        if (typeof val === 'boolean') out.hasPresence = val;
        else pushError(issues, `${path}.${key}`, `must be true or false, got ${show(val)}`);
        break;
      case 'canSend': {
        const s = decodeSet(val, MEDIA_SET, at(issues, path, key), issues);
        if (s !== undefined) out.canSend = s as boolean | MediaType[];
        break;
      }
      case 'canAdmin': {
        const s = decodeSet(val, ADMIN_SET, at(issues, path, key), issues);
        if (s !== undefined) out.canAdmin = s as boolean | AdminType[];
        break;
      }
      case 'canReceive': {
        const r = mapReceive(val, at(issues, path, key), MINIFIED, FULL, issues);
        if (r !== undefined) out.canReceive = r as CanReceivePermission;
        break;
      }
      default:
        if (hasOwn(PERMISSION_FIELDS, key)) {
          const code = PERMISSION_FIELDS[key as PermissionField].claim;
          pushError(
            issues,
            `${path}.${key}`,
            `is a full permission name, which Daily ignores in a token; inside the token write ${show(code)}`,
          );
        } else unknownKey(issues, `${path}.${key}`, key, FIELD_CODES, 'permission');
    }
  }
  return out;
}

/**
 * Normalises full permissions the way Daily does (full set → true, empty → false, canonical order).
 *
 * @example
 * ```ts
 * normalizePermissions({ canSend: ['audio', 'video'], canAdmin: [] }) // { canSend: ['video', 'audio'], canAdmin: false }
 * ```
 */
export function normalizePermissions(p: Permissions): Permissions {
  const issues: Issues = [];
  const minified = encodePermissions(p, 'permissions', issues);
  return (minified && decodePermissions(minified, 'p', issues)) ?? {};
}
