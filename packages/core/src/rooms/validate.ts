/** Validation of room bodies (`POST /rooms`, `POST /rooms/:name`), driven by the room-property registry. */
import { encodeClaim, type ValueRule, valueRule } from '../claims/codec.js';
import { CLAIM_REGISTRY, type ClaimKind } from '../claims/registry.js';
import { MILLISECONDS_THRESHOLD } from '../util/time.js';
import { pushError, type ValidationIssue } from '../util/errors.js';
import { closest, hasOwn, isPlainObject, show } from '../util/object.js';
import { assertKnownOptions, optionNames } from '../util/options.js';
import {
  ROOM_NAME_MAX_LENGTH,
  ROOM_NAME_PATTERN,
  ROOM_PRIVACY,
  ROOM_PROPERTY_NAMES,
  ROOM_PROPERTY_REGISTRY,
  type RoomPropertyName,
  type RoomFieldType,
  type RoomPropertySpec,
} from './registry.js';

const NAME = new RegExp(ROOM_NAME_PATTERN);
const TOP_LEVEL = ['name', 'privacy', 'properties'] as const;

function warning(issues: ValidationIssue[], path: string, message: string): void {
  issues.push({ path, message, severity: 'warning' });
}

const TEMPLATE_TAG = /\{([^{}]*)\}/g;
/** The characters Daily's docs allow in a template outside its `{tags}`. */
const TEMPLATE_CHARS = /^[A-Za-z0-9./_-]*$/;

/** `recordings_template` / `transcription_template`, by the rules on Daily's rooms config page. */
function checkTemplate(spec: RoomPropertySpec, value: unknown, path: string, issues: ValidationIssue[]): void {
  if (typeof value !== 'string' || value.length === 0) {
    pushError(issues, path, `must be a non-empty string such as "{room_name}/{epoch_time}.mp4", got ${show(value)}`);
    return;
  }
  if (spec.maxLength !== undefined && value.length > spec.maxLength) {
    pushError(issues, path, `must be at most ${spec.maxLength} characters, got ${value.length}`);
    return;
  }
  const tags = [...value.matchAll(TEMPLATE_TAG)].map((m) => m[1] as string);
  if (spec.requiredTag && !tags.includes(spec.requiredTag)) {
    // Daily's docs: "The epoch_time tag is mandatory to ensure the file name is unique under all conditions"
    const ext = /\.[A-Za-z0-9]+$/.exec(value)?.[0] ?? '';
    const fixed = `${value.slice(0, value.length - ext.length)}-{${spec.requiredTag}}${ext}`;
    pushError(
      issues,
      path,
      `must contain {${spec.requiredTag}}, which Daily requires so every file name is unique; e.g. ${show(fixed)}`,
    );
  }
  const unknown = tags.filter((t) => !spec.tags?.includes(t));
  if (unknown.length > 0) {
    warning(
      issues,
      path,
      `has {${unknown.join('}, {')}}, which Daily's docs do not list (they list {${spec.tags?.join('}, {')}}); it may stay in the file name as written`,
    );
  }
  if (!TEMPLATE_CHARS.test(value.replace(TEMPLATE_TAG, ''))) {
    warning(
      issues,
      path,
      `has characters outside the ones Daily's docs allow in a template (letters, digits, ".", "/", "-", "_")`,
    );
  }
}

/** Schemes that run code where a browser follows the link: the only redirects refused. */
const SCRIPT_SCHEME = /^\s*(javascript|data|vbscript):/i;

/** A redirect: any absolute URL, a mobile deep link (`myapp://…`) too, per Daily's docs; never a script. */
function checkRedirect(value: unknown, path: string, issues: ValidationIssue[]): void {
  if (typeof value !== 'string' || !/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(value)) {
    pushError(
      issues,
      path,
      `must be a URL such as "https://example.com/bye" or a deep link "myapp://bye", got ${show(value)}`,
    );
  } else if (SCRIPT_SCHEME.test(value)) {
    pushError(issues, path, 'must not be a javascript:, data: or vbscript: URL: browsers would run it');
  }
}

const FIELD_CHECKS: Record<RoomFieldType, [string, (v: unknown) => boolean]> = {
  boolean: ['true or false', (v) => typeof v === 'boolean'],
  string: ['a string', (v) => typeof v === 'string'],
  number: ['a number', (v) => typeof v === 'number' && Number.isFinite(v)],
  object: ['an object', isPlainObject],
  'object-array': ['an array of objects', (v) => Array.isArray(v) && v.every(isPlainObject)],
};

/** An object property: the documented fields type-checked; fields Daily may have added since, warned about. */
function checkObject(spec: RoomPropertySpec, value: unknown, path: string, issues: ValidationIssue[]): void {
  if (!isPlainObject(value)) {
    pushError(issues, path, `must be an object, got ${show(value)}`);
    return;
  }
  const fields = spec.fields;
  if (!fields) return;
  for (const [key, v] of Object.entries(value)) {
    const type = hasOwn(fields, key) ? fields[key] : undefined;
    if (type === undefined) {
      const hint = closest(key, Object.keys(fields));
      warning(
        issues,
        `${path}.${key}`,
        `is not a field Daily's docs list (${Object.keys(fields).join(', ')})${hint ? `; did you mean ${show(hint)}?` : ''}; it is kept as sent`,
      );
      continue;
    }
    const [what, ok] = FIELD_CHECKS[type];
    if (v !== null && !ok(v)) pushError(issues, `${path}.${key}`, `must be ${what}, got ${show(v)}`);
  }
}

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Explains a key that is not a room property: camelCase, a near miss, a token property, a misplaced field. */
export function unknownRoomPropertyMessage(key: string): string {
  const asSnake = snake(key);
  if (asSnake !== key && hasOwn(ROOM_PROPERTY_REGISTRY, asSnake)) {
    return `is camelCase; Daily's room properties are snake_case: write ${show(asSnake)}`;
  }
  if (key === 'name' || key === 'privacy') return `belongs beside "properties", not inside it`;
  if (key === 'properties') return 'is nested twice: put the room properties directly in one "properties" object';
  if (key === 'sip_uri') return 'is read-only: Daily reports it once "sip" is set';
  if (hasOwn(CLAIM_REGISTRY, key)) {
    return 'is a meeting-token property, not a room property; set it with POST /v1/meeting-tokens';
  }
  const hint = closest(key, ROOM_PROPERTY_NAMES);
  return `is not a room property${hint ? `; did you mean ${show(hint)}?` : ''}`;
}

/**
 * A room spec's token value rule, for the kinds both share (boolean, seconds, enum, string, url, timestamp,
 * permissions): the token checks, with their messages, are not written twice. Compiled on first use.
 */
const rules = new Map<RoomPropertySpec, ValueRule>();
function ruleOf(spec: RoomPropertySpec): ValueRule {
  let rule = rules.get(spec);
  if (!rule) {
    rule = valueRule({ ...spec, kind: spec.kind as ClaimKind });
    rules.set(spec, rule);
  }
  return rule;
}

/** Checks one non-null value; returns the value to store (timestamps floored) or undefined on error. */
function checkValue(spec: RoomPropertySpec, value: unknown, path: string, issues: ValidationIssue[]): unknown {
  const before = issues.length;
  switch (spec.kind) {
    case 'integer':
    case 'number':
      if (
        typeof value !== 'number' ||
        !Number.isFinite(value) ||
        (spec.kind === 'integer' && !Number.isInteger(value))
      ) {
        pushError(
          issues,
          path,
          `must be ${spec.kind === 'integer' ? 'a whole number' : 'a number'}, got ${show(value)}`,
        );
      } else if (spec.minimum !== undefined && value < spec.minimum) {
        pushError(issues, path, `must be at least ${spec.minimum}, got ${value}`);
      } else if (spec.maximum !== undefined && value > spec.maximum) {
        pushError(issues, path, `must be at most ${spec.maximum}, got ${value}`);
      }
      break;
    case 'timestamp':
      // clients send Date.now() / 1000 for rooms; Daily takes it, so check and keep the whole seconds
      if (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value < MILLISECONDS_THRESHOLD) {
        return Math.floor(value);
      }
      encodeClaim(ruleOf(spec), value, path, issues, false);
      break;
    case 'object':
      checkObject(spec, value, path, issues);
      break;
    case 'template':
      checkTemplate(spec, value, path, issues);
      break;
    case 'enum':
      if (spec.openValues && typeof value !== 'string') {
        pushError(issues, path, `must be a string such as ${show(spec.values?.[0])}, got ${show(value)}`);
        break;
      }
      if (spec.openValues && typeof value === 'string' && !spec.values?.includes(value)) {
        const hint = closest(value, spec.values ?? []);
        warning(
          issues,
          path,
          `${show(value)} is not one of the values Daily documents (${spec.values?.join(', ')})${hint ? `; did you mean ${show(hint)}?` : ''}; Daily adds new ones, so it is kept`,
        );
        break;
      }
      encodeClaim(ruleOf(spec), value, path, issues, false);
      break;
    case 'object-array':
      if (!Array.isArray(value) || !value.every(isPlainObject)) {
        pushError(issues, path, `must be an array of objects, got ${show(value)}`);
      }
      break;
    default:
      if (spec.kind === 'url' && spec.deepLinks) {
        checkRedirect(value, path, issues);
        break;
      }
      // the kinds rooms share with meeting tokens are checked by the token validator, with its messages
      encodeClaim(ruleOf(spec), value, path, issues, false);
      if (spec.kind === 'url' && typeof value === 'string' && spec.maxLength && value.length > spec.maxLength) {
        pushError(issues, path, `must be at most ${spec.maxLength} characters, got ${value.length}`);
      }
  }
  return issues.slice(before).some((i) => i.severity === 'error') ? undefined : value;
}

/**
 * Checks a `properties` object against a registry of specs (rooms', or the domain's derived from it):
 * unknown names are errors with `unknown`'s message, "not set" values and null become null, the rest is
 * checked by kind. Internal: {@link readRoomProperties} and `readDomainProperties` are the public faces.
 */
export function readPropertiesOf(
  registry: Readonly<Record<string, RoomPropertySpec>>,
  what: string,
  value: unknown,
  base: string,
  unknown: (key: string) => string,
): { issues: ValidationIssue[]; properties: Record<string, unknown> } {
  const issues: ValidationIssue[] = [];
  const properties: Record<string, unknown> = {};
  if (value === undefined || value === null) return { issues, properties };
  if (!isPlainObject(value)) {
    pushError(issues, base, `must be an object of ${what} properties, got ${show(value)}`);
    return { issues, properties };
  }
  for (const key of Object.keys(value)) {
    const path = `${base}.${key}`;
    const spec = hasOwn(registry, key) ? registry[key] : undefined;
    if (spec === undefined) {
      pushError(issues, path, unknown(key));
      continue;
    }
    const v = value[key];
    // Daily's generated SDK sends these defaults on every call and Daily accepts them: "not set", like null
    if (v === null || (typeof v === 'string' && spec.notSetValues?.includes(v))) {
      properties[key] = null;
      continue;
    }
    const checked = checkValue(spec, v, path, issues);
    if (checked !== undefined) properties[key] = checked;
  }
  return { issues, properties };
}

/** What {@link readRoomProperties} found. */
export interface RoomPropertiesResult {
  /** Every problem, errors and warnings, each with its path. */
  issues: ValidationIssue[];
  /** The valid properties as they would be stored; `null` means "back to Daily's default". */
  properties: Partial<Record<RoomPropertyName, unknown>>;
}

/** Options of `readRoomProperties`. */
export interface ReadRoomPropertiesOptions {
  /** Unix seconds: an `exp` at or before it is an error. Default: not checked. */
  now?: number;
  /** Prefix of every issue's path. Default `properties`. */
  path?: string;
}
const READ_ROOM_OPTIONS = optionNames<ReadRoomPropertiesOptions>()(['now', 'path']);

/**
 * Validates a room's `properties` object and normalizes it (float timestamps floored).
 * `now` (unix seconds) turns an `exp` that has already passed into an error.
 *
 * @example
 * ```ts
 * readRoomProperties({ maxParticipants: 4 }).issues
 * // [{ path: 'properties.maxParticipants', message: 'is camelCase; … write "max_participants"', severity: 'error' }]
 * ```
 */
export function readRoomProperties(value: unknown, options: ReadRoomPropertiesOptions = {}): RoomPropertiesResult {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('readRoomProperties options must be an object such as { now }');
  assertKnownOptions(options, READ_ROOM_OPTIONS, 'readRoomProperties');
  const base = options.path ?? 'properties';
  const { issues, properties } = readPropertiesOf(
    ROOM_PROPERTY_REGISTRY,
    'room',
    value,
    base,
    unknownRoomPropertyMessage,
  ) as RoomPropertiesResult;
  const { nbf, exp } = properties as { nbf?: number | null; exp?: number | null };
  if (typeof exp === 'number' && options.now !== undefined && exp <= options.now) {
    pushError(
      issues,
      `${base}.exp`,
      `${exp} is in the past (now is ${options.now}); a room whose exp has passed is gone at once, so give a future time`,
    );
  }
  if (typeof nbf === 'number' && typeof exp === 'number' && nbf >= exp) {
    pushError(issues, `${base}.nbf`, `${nbf} is not before exp ${exp}; nobody could ever join`);
  }
  return { issues, properties };
}

/** A room body, read and checked. */
export interface RoomRequest {
  issues: ValidationIssue[];
  name?: string;
  privacy?: (typeof ROOM_PRIVACY)[number];
  properties: Partial<Record<RoomPropertyName, unknown>>;
}

/**
 * Reads the body of `POST /rooms` (`create`: `name`, `privacy`, `properties`) or of
 * `POST /rooms/:name` (`update`: `privacy`, `properties`).
 *
 * @example
 * ```ts
 * const { issues, properties } = readRoomRequest({ properties: { exp: 1900000000 } }, 'create', nowSeconds);
 * ```
 */
export function readRoomRequest(body: unknown, mode: 'create' | 'update', now?: number): RoomRequest {
  const issues: ValidationIssue[] = [];
  if (body === undefined || body === null) return { issues, properties: {} };
  if (!isPlainObject(body)) {
    pushError(
      issues,
      '(body)',
      `must be a JSON object such as {"privacy": "private", "properties": {"exp": 1900000000}}`,
    );
    return { issues, properties: {} };
  }
  const allowed: readonly string[] = mode === 'create' ? TOP_LEVEL : TOP_LEVEL.slice(1);
  const out: RoomRequest = { issues, properties: {} };
  for (const key of Object.keys(body)) {
    if (allowed.includes(key)) continue;
    if (key === 'name') {
      pushError(issues, key, 'cannot be changed: a room keeps its name; create a new room instead');
    } else if (hasOwn(ROOM_PROPERTY_REGISTRY, key) || hasOwn(ROOM_PROPERTY_REGISTRY, snake(key))) {
      pushError(
        issues,
        key,
        `is a room property: put it inside "properties": {"properties": {${show(snake(key))}: …}}`,
      );
    } else {
      const hint = closest(key, allowed, 2);
      pushError(
        issues,
        key,
        `is not a room field; the body takes ${allowed.join(', ')}${hint ? `; did you mean ${show(hint)}?` : ''}`,
      );
    }
  }
  const { name, privacy } = body;
  if (mode === 'create' && name !== undefined && name !== null) {
    if (typeof name !== 'string' || !NAME.test(name)) {
      pushError(
        issues,
        'name',
        `must be 1–${ROOM_NAME_MAX_LENGTH} letters, digits, - or _, got ${show(name)}; leave it out for a generated name`,
      );
    } else out.name = name;
  }
  if (privacy !== undefined && privacy !== null) {
    if (typeof privacy === 'string' && (ROOM_PRIVACY as readonly string[]).includes(privacy)) {
      out.privacy = privacy as RoomRequest['privacy'];
    } else pushError(issues, 'privacy', `${show(privacy)} is not one of ${ROOM_PRIVACY.join(', ')}`);
  }
  const props = readRoomProperties(body.properties, now === undefined ? {} : { now });
  issues.push(...props.issues);
  out.properties = props.properties;
  return out;
}
