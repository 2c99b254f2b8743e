/** `lintMeetingToken`: runs every rule over a token, a claims payload or full-name properties. */
import { readClaims } from '../claims/mapping.js';
import {
  ABBREVIATED_PROPERTY_NAMES,
  CLAIM_REGISTRY,
  claimKeyOf,
  PROPERTY_BY_CLAIM,
  type PropertyName,
} from '../claims/registry.js';
import type { MeetingTokenInput } from '../claims/types.js';
import { fixForPath } from '../claims/codec.js';
import { encodeProperties } from '../claims/validate.js';
import type { Duration } from '../jwt/create.js';
import { HS256_HEADER, type MintedToken } from '../jwt/create.js';
import { assertSecret, type Secret, secretLength } from '../jwt/hmac.js';
import { parseToken, SIGNATURE_LENGTH } from '../jwt/parse.js';
import { base64urlLengthOf } from '../util/base64url.js';
import { parseDuration } from '../util/duration.js';
import type { ValidationIssue } from '../util/errors.js';
import { EFFECTS } from '../verdict/effects.js';
import { isPlainObject, ownProperty } from '../util/object.js';
import { assertKnownOptions, optionNames } from '../util/options.js';
import { type Instant, nowSeconds } from '../util/time.js';
import { type Finding, LINT_RULES, type LintContext, type Severity } from './rules.js';

export interface LintOptions {
  /** The domain is HIPAA-enabled: user ids should be UUIDs. */
  hipaa?: boolean;
  /** Longest acceptable lifetime. Default 1 hour. */
  maxLifetime?: Duration;
  /** A Date or unix seconds. Default: the current time. */
  now?: Instant;
  /** The signing secret, to check its strength (never stored or shown). */
  apiKey?: Secret;
}

const LINT_OPTIONS = optionNames<LintOptions>()(['hipaa', 'maxLifetime', 'now', 'apiKey']);
/** `lintMinted` has no key to judge: the signer already checked it. */
const LINT_MINTED_OPTIONS = optionNames<Omit<LintOptions, 'apiKey'>>()(['hipaa', 'maxLifetime', 'now']);

const isPropertyName = (k: string): k is PropertyName => Object.hasOwn(CLAIM_REGISTRY, k);

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const SEVERITY_OF: ReadonlyMap<string, Severity> = new Map(LINT_RULES.map((r) => [r.id, r.severity]));
/** Keys spelt the same in both vocabularies (exp, enable_prejoin_ui …) say nothing about which one the input uses. */
const SAME_IN_BOTH = new Set([...PROPERTY_BY_CLAIM].filter(([claim, name]) => claim === name).map(([claim]) => claim));

/** Full-name keys (other than those spelt the same as claims, like exp) mean the object is properties. */
function looksLikeProperties(o: Record<string, unknown>): boolean {
  let fullNames = 0;
  for (const k in o) {
    if (!ownProperty.call(o, k)) continue;
    if (ABBREVIATED_PROPERTY_NAMES.has(k)) fullNames++;
    else if (PROPERTY_BY_CLAIM.has(k) && !SAME_IN_BOTH.has(k)) return false;
  }
  return fullNames > 0;
}

/**
 * Lints a token (string), a JWT payload (abbreviated claims) or full-name properties, returning every
 * finding, errors first. Errors mark what is dangerous or ignored by Daily; see `LINT_RULES`.
 *
 * @example
 * ```ts
 * lintMeetingToken({ r: 'standup', d: domainId, p: { ca: ['participants'] } })
 * // [{ rule: 'no-expiry', severity: 'error', … }, { rule: 'permissions-array', severity: 'error', claim: 'p.ca', … }]
 * ```
 */
export function lintMeetingToken(
  input: string | Record<string, unknown> | MeetingTokenInput,
  options: LintOptions = {},
): Finding[] {
  const { hipaa, maxLifetime, now } = readOptions(options, LINT_OPTIONS, 'lintMeetingToken');
  if (options.apiKey !== undefined) assertSecret(options.apiKey, 'apiKey');

  let source: LintContext['source'];
  let claims: Record<string, unknown>;
  let issues: ValidationIssue[];
  let tokenLength: number;

  if (typeof input === 'string') {
    const parsed = parseToken(input);
    if (typeof parsed === 'string' || !parsed.payload) {
      const message = typeof parsed === 'string' ? parsed : (parsed.payloadError as string);
      return [
        {
          rule: 'malformed',
          severity: 'error',
          effect: EFFECTS.malformed,
          message,
          fix: 'Pass the whole token: three base64url parts joined by dots, with no quotes, spaces or "Bearer ".',
        },
      ];
    }
    source = 'token';
    claims = parsed.payload;
    issues = [];
    tokenLength = input.length;
  } else if (isPlainObject(input)) {
    if (looksLikeProperties(input)) {
      source = 'properties';
      // The rules judge the properties in JWT vocabulary. A value the codec refused is kept as it is
      // (a millisecond exp is still an exp), except what no rule could read: bad permissions, bad Dates.
      issues = [];
      claims = encodeProperties(input, issues, true);
      for (const [name, value] of Object.entries(input)) {
        if (!isPropertyName(name) || value === undefined || value instanceof Date) continue;
        const key = claimKeyOf(name);
        if (!(key in claims) && CLAIM_REGISTRY[name].kind !== 'permissions') claims[key] = value;
      }
    } else {
      source = 'claims';
      claims = input;
      issues = [];
    }
    tokenLength = estimateTokenLength(claims);
  } else {
    throw new TypeError('lintMeetingToken takes a token string, a claims object or a properties object');
  }

  const readIssues: ValidationIssue[] = [];
  readClaims(claims, readIssues);
  return runLint(
    {
      source,
      claims,
      tokenLength,
      now,
      hipaa,
      maxLifetime,
      ...(options.apiKey !== undefined ? { keyLength: secretLength(options.apiKey) } : {}),
    },
    source === 'properties' ? issues : readIssues,
  );
}

/** The options both lint functions take, checked. */
function readOptions(
  options: Omit<LintOptions, 'apiKey'>,
  known: ReadonlySet<string>,
  caller: string,
): { hipaa: boolean; maxLifetime: number; now: number } {
  if (!isPlainObject(options)) throw new TypeError('lint options must be an object');
  assertKnownOptions(options, known, caller);
  if (options.hipaa !== undefined && typeof options.hipaa !== 'boolean') throw new TypeError('hipaa must be a boolean');
  return {
    hipaa: options.hipaa ?? false,
    maxLifetime: options.maxLifetime === undefined ? 3600 : parseDuration(options.maxLifetime, 'maxLifetime'),
    now: nowSeconds(options.now),
  };
}

/**
 * Lints a token a signer just minted, from what `signer.mint()` returned: every finding
 * `lintMeetingToken(token)` gives, without decoding the token again. The signer wrote only registry
 * claims and checked every value with the codecs decoding uses (so there is nothing unknown to find), and
 * the warnings it accepted come back as the same `legacy-value` findings. For services
 * that lint every token they mint, such as the token endpoint and the token service.
 *
 * @example
 * ```ts
 * const minted = signer.mintSync({ room_name: 'standup', enable_recording: 'rtp-tracks' });
 * lintMinted(minted, { maxLifetime: '15m' }) // [{ rule: 'legacy-value', claim: 'er', … }]
 * ```
 */
export function lintMinted(minted: MintedToken, options: Omit<LintOptions, 'apiKey'> = {}): Finding[] {
  const { hipaa, maxLifetime, now } = readOptions(options, LINT_MINTED_OPTIONS, 'lintMinted');
  return runLint(
    {
      source: 'claims',
      claims: minted.claims as Record<string, unknown>,
      tokenLength: minted.token.length,
      now,
      hipaa,
      maxLifetime,
    },
    minted.warnings.map(atClaim),
  );
}

/**
 * A signer's warning, at the claim's path rather than the property's (`enable_recording` → `er`), as
 * decoding the token would place it. Only top-level enum values have warnings, so the root is all there is.
 */
function atClaim(issue: ValidationIssue): ValidationIssue {
  const root = issue.path.split(/[.[]/, 1)[0] as string;
  return isPropertyName(root) ? { ...issue, path: claimKeyOf(root) + issue.path.slice(root.length) } : issue;
}

/**
 * The one lint path: every rule over claims already read, then the decoding `issues` no rule explained,
 * errors first. `lintMeetingToken` reads its input into this; the token endpoint calls it directly with
 * the claims its signer just wrote and checked (so no decoding pass, and the real token length).
 */
export function runLint(ctx: LintContext, issues: readonly ValidationIssue[]): Finding[] {
  const findings: Finding[] = [];
  // One emit for every rule, not a closure per rule per lint: the endpoint lints every token it mints.
  let rule!: (typeof LINT_RULES)[number];
  const emit = (f: Omit<Finding, 'rule' | 'severity' | 'effect'>) => {
    findings.push({ rule: rule.id, severity: rule.severity, effect: EFFECTS[rule.id], ...f });
  };
  for (rule of LINT_RULES) rule.check(ctx, emit);
  // Decoding issues not already explained by a rule above become findings of the rule their code names,
  // in the decoder's words, which are verify's words too.
  // (Only errors explain a claim: a long-lifetime warning on a millisecond exp must not hide the unit.)
  const explained = new Set(findings.filter((f) => f.severity === 'error').map((f) => f.claim));
  for (const issue of issues) {
    const root = issue.path.split(/[.[]/)[0] as string;
    const claimKey = isPropertyName(root) ? claimKeyOf(root) : root;
    // (a properties input's issue, `start_cloud_recording_opts.x`, is matched at its claim path, `sro.x`)
    const claimPath = claimKey + issue.path.slice(root.length);
    if (explained.has(claimKey) || explained.has(claimPath.replace(/\[.*$/, ''))) continue;
    const id = issue.code ?? (issue.severity === 'error' ? 'invalid-claim' : 'legacy-value');
    findings.push({
      rule: id,
      severity: SEVERITY_OF.get(id) ?? issue.severity,
      effect: EFFECTS[id],
      claim: claimPath,
      message: `${issue.path} ${issue.message}`,
      fix: issue.fix ?? fixForPath(issue.path),
    });
  }
  return findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

/** Length of the token these claims would make once signed. */
function estimateTokenLength(claims: Record<string, unknown>): number {
  let payload: string;
  try {
    payload = JSON.stringify(claims);
  } catch {
    return 0;
  }
  return HS256_HEADER.length + 1 + base64urlLengthOf(payload) + 1 + SIGNATURE_LENGTH;
}
