/**
 * The claim registry compiled, once, at module load, into one codec per property, and the functions that
 * check a value against it and convert it in the same pass (full name → claim, claim → full name) or write
 * its JSON. An error message, with its path, is built only when a value is wrong.
 *
 * Everything that reads or writes claims runs on these: createMeetingToken and its signer, buildClaims,
 * toClaims/toProperties, validateProperties, decodeUnverified, verifyMeetingToken and lintMeetingToken.
 */
import { type ClaimIssueCode, pushError, type ValidationIssue } from '../util/errors.js';
import { closest, hasOwn, show } from '../util/object.js';
import { isoFromSeconds, MILLISECONDS_THRESHOLD, toUnixSeconds } from '../util/time.js';
import { decodePermissions, encodePermissions } from './permission-codec.js';
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
 * What a value's checks read, compiled once from a spec: a claim's (in its codec), or a room property's of
 * a kind tokens share (rooms check those values with the token checks and messages). Compiled, not the
 * specs: every claim codec has the same shape (the registry's entries do not), so the one `switch` below
 * over `kind` stays fast for every claim.
 */
export interface ValueRule {
  readonly kind: ClaimKind;
  readonly maxLength: number;
  /** For enums: the documented values, and the legacy ones with why they are legacy. */
  readonly values: ReadonlySet<string>;
  readonly valueList: readonly string[];
  readonly legacy: Readonly<Record<string, string>>;
  /** The code of a value over `maxLength`, where a lint rule names it. */
  readonly tooLong: ClaimIssueCode | undefined;
  /** For URLs: Daily POSTs to it (see `ClaimSpec.webhook`). */
  readonly webhook: boolean;
}

/** The parts of a spec a value rule is compiled from. */
export type ValueSpec = Pick<ClaimSpec, 'kind' | 'maxLength' | 'values' | 'legacyValues' | 'webhook'>;

/**
 * A spec's value rule.
 *
 * @example
 * ```ts
 * const rule = valueRule({ kind: 'enum', values: ['off', 'cloud'] });
 * encodeClaim(rule, 'cloud', 'properties.enable_recording', issues, false); // 'cloud'
 * ```
 */
export function valueRule(spec: ValueSpec, tooLong?: ClaimIssueCode): ValueRule {
  return compileRule(spec, tooLong, undefined, undefined);
}

/**
 * The one literal every rule and codec is built by: one layout for all of them (a rule's names left
 * undefined), so the checks below read them all alike.
 */
function compileRule<N extends PropertyName | undefined>(
  spec: ValueSpec,
  tooLong: ClaimIssueCode | undefined,
  name: N,
  key: N extends PropertyName ? string : undefined,
) {
  return {
    name,
    key,
    kind: spec.kind,
    maxLength: spec.maxLength ?? Number.POSITIVE_INFINITY,
    values: new Set(spec.values),
    valueList: spec.values ?? [],
    legacy: spec.legacyValues ?? {},
    tooLong,
    webhook: spec.webhook === true,
  };
}

/** One registry entry, compiled: its names and its value rule. */
export interface ClaimCodec extends ValueRule {
  /** The full property name. */
  readonly name: PropertyName;
  /** The key in the JWT: the abbreviation, or the full name for the three that have none. */
  readonly key: string;
}

/**
 * How a value is being checked: read from a token (Daily's reading: what it accepts is accepted, with
 * a warning where worth knowing), or written by create (stricter where safety asks, e.g. no millisecond
 * timestamps), with or without `Date`s for timestamps.
 */
const READ = 0;
const WRITE = 1;
const WRITE_DATES = 2;
type Mode = typeof READ | typeof WRITE | typeof WRITE_DATES;

const canParse = (URL as { canParse?: (s: string) => boolean }).canParse;

/** Schemes refused for safety: opened by Prebuilt on leave, they would run script in the page. */
const SCRIPT_SCHEMES: ReadonlySet<string> = new Set(['javascript:', 'data:', 'vbscript:']);

/** The URL's scheme as the parser reads it (lower-cased, leading blanks dropped, as browsers do), or '' if not an absolute URL. */
function parseScheme(s: string): string {
  // The common case without building a URL object; anything else gets the full parse.
  if (canParse && s.startsWith('http')) {
    if (s.startsWith('https://')) return canParse(s) ? 'https:' : '';
    if (s.startsWith('http://')) return canParse(s) ? 'http:' : '';
  }
  try {
    return new URL(s).protocol;
  } catch {
    return '';
  }
}

/**
 * The schemes of recent URLs. An app sends the same few redirect URLs in every token, and a URL parse
 * costs more than reading all the other claims together; a bounded memo of the parser's own answers
 * keeps its exact rules. Bounded in count and length (cleared when full), so hostile input cannot grow it.
 */
const URL_SCHEMES = new Map<string, string>();
const URL_MEMO_MAX = 256;
const URL_MEMO_MAX_LENGTH = 2048;

function schemeOf(s: string): string {
  if (s.length > URL_MEMO_MAX_LENGTH) return parseScheme(s);
  let scheme = URL_SCHEMES.get(s);
  if (scheme === undefined) {
    scheme = parseScheme(s);
    if (URL_SCHEMES.size >= URL_MEMO_MAX) URL_SCHEMES.clear();
    URL_SCHEMES.set(s, scheme);
  }
  return scheme;
}

/**
 * A URL property: any absolute URL (Daily documents deep links such as `myapp://…` for
 * redirect_on_meeting_exit) but a script one; for a webhook URL, another scheme than http(s) is a
 * warning, since Daily's POST cannot reach it.
 */
function checkUrl(c: ValueRule, v: unknown, path: string, issues: Issues): unknown {
  const scheme = typeof v === 'string' ? schemeOf(v) : '';
  if (scheme === 'https:' || scheme === 'http:') return v;
  if (!scheme)
    return pushError(
      issues,
      path,
      `must be an absolute URL (https://… or an app link such as myapp://…), got ${show(v)}`,
    );
  if (SCRIPT_SCHEMES.has(scheme))
    return pushError(issues, path, `${show(scheme)} URLs run script: refused for safety; use an https:// URL`);
  if (c.webhook)
    issues.push({
      path,
      message: `${show(v)} cannot receive Daily's webhook POST: use an http(s) URL`,
      severity: 'warning',
    });
  return v;
}

/**
 * A value that is not whole unix seconds below the millisecond threshold: a Date (where `mode` allows
 * them), a millisecond timestamp, or a value no timestamp can be.
 */
function badTimestamp(v: unknown, path: string, issues: Issues, mode: Mode): unknown {
  if (mode === WRITE_DATES && v instanceof Date) {
    const t = v.getTime();
    return Number.isNaN(t) ? pushError(issues, path, 'is an invalid Date') : toUnixSeconds(v);
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    return pushError(
      issues,
      path,
      `must be unix time in seconds${mode === WRITE_DATES ? ' or a Date' : ''}, got ${show(v)}`,
    );
  }
  if (v >= MILLISECONDS_THRESHOLD && Number.isInteger(v)) {
    const seconds = Math.floor(v / 1000);
    const message = `is ${v}, which is milliseconds (${isoFromSeconds(seconds)}); Daily reads seconds, so this is the year ${yearOf(v)}`;
    const fix = `Divide by 1000: ${seconds}.`;
    // Create refuses to mint it (nobody means the year 56000). Inside a token, Daily reads the number as
    // seconds and accepts the token, the time never coming: reported, not refused, as Daily does.
    if (mode !== READ) return pushError(issues, path, message, 'milliseconds-timestamp', fix);
    issues.push({ path, message, severity: 'warning', code: 'milliseconds-timestamp', fix });
    return v;
  }
  return pushError(issues, path, `must be whole, non-negative unix seconds, got ${v}`);
}

/** The year of unix seconds, or "far future" past what a Date can hold. */
function yearOf(seconds: number): number | string {
  return new Date(seconds * 1000).getUTCFullYear() || 'far future';
}

function badEnum(c: ValueRule, v: unknown, path: string, issues: Issues): unknown {
  if (typeof v === 'string' && hasOwn(c.legacy, v)) {
    // Accepted, as Daily does, with a warning that says why.
    issues.push({
      path,
      message: `${show(v)} is ${c.legacy[v]}; the documented values are ${c.valueList.join(', ')}`,
      severity: 'warning',
      code: 'legacy-value',
      fix: `Use one of ${c.valueList.join(', ')}.`,
    });
    return v;
  }
  const hint = typeof v === 'string' ? closest(v, c.valueList, 2) : undefined;
  return pushError(
    issues,
    path,
    `${show(v)} is not one of ${c.valueList.join(', ')}${hint ? `; did you mean ${show(hint)}?` : ''}`,
  );
}

/**
 * Checks a value whose form is the same in both vocabularies (everything but permissions), and returns it
 * (a `Date` as unix seconds where `mode` allows them), or undefined with the problem in `issues`.
 */
function checkValue(c: ValueRule, v: unknown, path: string, issues: Issues, mode: Mode): unknown {
  switch (c.kind) {
    case 'boolean':
      return v === true || v === false ? v : pushError(issues, path, `must be true or false, got ${show(v)}`);
    case 'string':
      if (typeof v !== 'string' || v.length === 0)
        return pushError(issues, path, `must be a non-empty string, got ${show(v)}`);
      return v.length <= c.maxLength
        ? v
        : pushError(issues, path, `must be at most ${c.maxLength} characters, got ${v.length}`, c.tooLong);
    case 'url':
      return checkUrl(c, v, path, issues);
    case 'timestamp':
      // `+ 0` turns -0 into 0: JSON writes both as 0, so the claim and its JSON must agree.
      return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < MILLISECONDS_THRESHOLD
        ? v + 0
        : badTimestamp(v, path, issues, mode);
    case 'seconds':
      return typeof v === 'number' && Number.isInteger(v) && v > 0
        ? v
        : pushError(issues, path, `must be a positive whole number of seconds, got ${show(v)}`);
    case 'enum':
      return typeof v === 'string' && c.values.has(v) ? v : badEnum(c, v, path, issues);
    default: {
      const before = issues.length;
      validateRecordingOptions(v, path, issues);
      // Kept with warnings (keys Daily ignores), dropped on an error.
      for (let i = before; i < issues.length; i++) if (issues[i]?.severity === 'error') return undefined;
      return v;
    }
  }
}

/**
 * A claim value read from a JWT, at `path` → its full-name value, or undefined (with the problem in
 * `issues`) when Daily would not read it. Claim values are JSON, so undefined is never a value.
 */
export function decodeClaim(c: ValueRule, v: unknown, path: string, issues: Issues): unknown {
  return c.kind === 'permissions' ? decodePermissions(v, path, issues) : checkValue(c, v, path, issues, READ);
}

/**
 * A full-name value at `path` → its claim value (a `Date` becomes unix seconds where `allowDates`), or
 * undefined with the problem in `issues`. Kept apart from `decodeClaim` so that code which only reads
 * tokens does not ship the writing half.
 */
export function encodeClaim(c: ValueRule, v: unknown, path: string, issues: Issues, allowDates: boolean): unknown {
  return c.kind === 'permissions'
    ? encodePermissions(v, path, issues)
    : checkValue(c, v, path, issues, allowDates ? WRITE_DATES : WRITE);
}

function compile(name: PropertyName): ClaimCodec {
  return compileRule(CLAIM_REGISTRY[name], TOO_LONG[name], name, claimKeyOf(name));
}

/** Lint rules that name a value over a property's `maxLength`. */
const TOO_LONG: Partial<Record<PropertyName, ClaimIssueCode>> = { user_id: 'user-id-too-long' };

/** Codecs by full property name; a Map, so any key from untrusted input is a safe lookup. */
export const CODEC_BY_NAME: ReadonlyMap<string, ClaimCodec> = new Map(PROPERTY_NAMES.map((n) => [n, compile(n)]));
/** Codecs by JWT claim key. */
export const CODEC_BY_KEY: ReadonlyMap<string, ClaimCodec> = new Map(
  [...CODEC_BY_NAME.values()].map((c) => [c.key, c]),
);

/**
 * How to fix an issue at `path` (claim or property vocabulary) when the issue brings no fix of its own:
 * the claim's kind says what a readable value looks like. Every problem and finding carries a fix.
 *
 * @example
 * ```ts
 * fixForPath('o') // 'Set "o" to true or false, or remove it.'
 * ```
 */
export function fixForPath(path: string): string {
  const root = path.split(/[.[]/, 1)[0] as string;
  const c = CODEC_BY_KEY.get(root) ?? CODEC_BY_NAME.get(root);
  if (c === undefined) return `Remove "${root}", or rename it as the message says.`;
  const name = `"${root}"`;
  switch (c.kind) {
    case 'boolean':
      return `Set ${name} to true or false, or remove it.`;
    case 'string':
      return `Set ${name} to a non-empty string${c.maxLength < Number.POSITIVE_INFINITY ? ` of at most ${c.maxLength} characters` : ''}, or remove it.`;
    case 'url':
      return `Set ${name} to an absolute URL (https://…, or an app's deep link), or remove it.`;
    case 'timestamp':
      return `Set ${name} to whole unix seconds, e.g. Math.floor(Date.now() / 1000) + 3600.`;
    case 'seconds':
      return `Set ${name} to a positive whole number of seconds.`;
    case 'enum':
      return `Set ${name} to one of ${c.valueList.join(', ')}.`;
    case 'permissions':
      return root === c.key
        ? `Write ${name} in Daily's minified form (hp, cs, cr, ca), or build it from full names with createMeetingToken or toClaims.`
        : 'Write the permissions as the message says (hasPresence, canSend, canReceive, canAdmin).';
    default:
      return `Use the options of daily-js startRecording() (width, height, fps, layout …) in ${name}.`;
  }
}
