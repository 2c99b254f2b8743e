/**
 * Verifying a meeting token the way Daily judges it at join time, and saying precisely why not.
 * Every problem is reported at once, each with a stable code; a bad token never throws.
 */
import { fixForPath } from '../claims/codec.js';
import { readClaims } from '../claims/mapping.js';
import { claimKeyOf } from '../claims/registry.js';
import type { MeetingTokenClaims, MeetingTokenProperties } from '../claims/types.js';
import { isCanonicalBase64url } from '../util/base64url.js';
import { parseDuration } from '../util/duration.js';
import { type ClaimIssueCode, MAX_ISSUES, type Problem, type ValidationIssue } from '../util/errors.js';
import { isPlainObject, show } from '../util/object.js';
import { assertKnownOptions, optionNames } from '../util/options.js';
import { type Instant, nowSeconds } from '../util/time.js';
import { type DailyVerdict, EFFECTS, verdictOf } from '../verdict/effects.js';
import { expiredNote, noDomainNote, notYetValidNote } from '../verdict/notes.js';
import type { Duration } from './create.js';
import { assertSecret, hmac, type PreparedKey, type Secret } from './hmac.js';
import { type JwtHeader, type ParsedToken, parseToken, SIGNATURE_LENGTH } from './parse.js';

/** One key of a domain's keyring. */
export interface KeyringEntry {
  /** A name for the key, reported as `keyId` when it matches. */
  id?: string;
  secret: Secret;
  /** False for keys that were rotated out or deactivated. Default true. */
  active?: boolean;
}

/** What a verifier is made with: the key(s) and the rules every token it checks must meet. */
export interface MeetingTokenVerifierOptions {
  /** The domain's API key. Give this or `keys`. */
  apiKey?: Secret;
  /** The domain's keys, active and retired; a match on a retired key is `inactive-key`. */
  keys?: readonly KeyringEntry[];
  /** Expected `d`; a token of another domain is `wrong-domain`. */
  domainId?: string;
  /** The room the token is being used for; a token for another room is `wrong-room`. */
  roomName?: string;
  /** Leeway for `exp` and `nbf`. Default 0, at most 5 minutes. */
  clockTolerance?: Duration;
  /** Accept a token whose `nbf` is still in the future (as Daily's `?ignoreNbf=true`). */
  ignoreNbf?: boolean;
  /**
   * Also count a claim Daily cannot read (and so drops, applying the rest of the token) as a problem, so
   * that `valid` means "Daily applies every claim". Default false: `valid` means "Daily accepts this token
   * and the caller's constraints hold", and dropped claims are `warnings`.
   */
  strict?: boolean;
}

export interface VerifyMeetingTokenOptions extends MeetingTokenVerifierOptions {
  /** A Date or unix seconds. Default: the current time. */
  now?: Instant;
}

/** Per-call options of a verifier. */
export interface VerifyOptions {
  /** A Date or unix seconds. Default: the current time. */
  now?: Instant;
  /** The room the token is being used for, when it differs per call; overrides the verifier's `roomName`. */
  roomName?: string;
}

/** Checks tokens with options checked and keys prepared once. Made by `createMeetingTokenVerifier`. */
export interface MeetingTokenVerifier {
  /** Verifies a token; never throws for a bad token. */
  verify(token: string, options?: VerifyOptions): Promise<VerifyResult>;
  /**
   * The same, synchronously, where the HMAC backend is synchronous (node:crypto in Node, Bun and Deno);
   * throws `TypeError` on Web Crypto (browsers, edge workers), where only `verify` works.
   */
  verifySync(token: string, options?: VerifyOptions): VerifyResult;
}

export interface VerifyResult {
  /**
   * True when Daily would accept this token and the caller's own constraints hold (key, domain, room):
   * there is no problem. A claim Daily cannot read is a warning, not a problem, unless `strict`.
   */
  valid: boolean;
  /**
   * What Daily does with the token: `refuses` it ("Meeting token ignored: invalid-token"), applies it
   * without the claims it cannot read (`drops-claims`), or `applies` it all.
   */
  verdict: DailyVerdict;
  /** Why the token is refused (each `effect: 'refuses'`, or a dropped claim under `strict`). */
  problems: Problem[];
  /**
   * What Daily does not read or what is worth knowing, with the token still accepted: claims it drops
   * (`effect: 'drops'`) and claims it applies but that look like mistakes (`effect: 'applies'`).
   */
  warnings: readonly Problem[];
  header?: JwtHeader;
  claims?: MeetingTokenClaims & Record<string, unknown>;
  properties?: MeetingTokenProperties;
  /** The `id` of the keyring entry whose secret signed the token. */
  keyId?: string;
  /** True when there were more problems than the `MAX_ISSUES` reported. */
  truncated?: boolean;
}

const MAX_CLOCK_TOLERANCE = 300;
const DOMAIN = claimKeyOf('domain_id');
const ROOM = claimKeyOf('room_name');
const EXP = claimKeyOf('exp');
const NBF = claimKeyOf('nbf');
/** Every option `prepare` reads; a verifier refuses `now` itself, with a better message. */
const VERIFY_OPTIONS = optionNames<VerifyMeetingTokenOptions>()([
  'apiKey',
  'keys',
  'domainId',
  'roomName',
  'clockTolerance',
  'ignoreNbf',
  'now',
  'strict',
]);
const VERIFY_CALL_OPTIONS = optionNames<VerifyOptions>()(['now', 'roomName']);

interface RingEntry {
  readonly id: string | undefined;
  readonly key: PreparedKey;
}

/** Verifier options, checked once, with every secret prepared. */
interface Prepared {
  readonly active: readonly RingEntry[];
  readonly inactive: readonly RingEntry[];
  readonly sync: boolean;
  readonly domainId: string | undefined;
  readonly roomName: string | undefined;
  readonly tolerance: number;
  readonly ignoreNbf: boolean;
  readonly strict: boolean;
}

function prepare(options: MeetingTokenVerifierOptions, caller: string): Prepared {
  if (!isPlainObject(options)) throw new TypeError(`${caller} needs options with apiKey or keys`);
  assertKnownOptions(options, VERIFY_OPTIONS, caller);
  const { apiKey, keys } = options;
  if ((apiKey === undefined) === (keys === undefined)) {
    throw new TypeError('pass exactly one of apiKey (one secret) or keys (a keyring)');
  }
  const backend = hmac();
  const active: RingEntry[] = [];
  const inactive: RingEntry[] = [];
  if (apiKey !== undefined) {
    assertSecret(apiKey, 'apiKey');
    active.push({ id: undefined, key: backend.prepare(apiKey) });
  } else {
    if (!Array.isArray(keys) || keys.length === 0)
      throw new TypeError('keys must be a non-empty array of { id?, secret, active? }');
    keys.forEach((k, i) => {
      if (!isPlainObject(k)) throw new TypeError(`keys[${i}] must be an object { id?, secret, active? }`);
      assertSecret(k.secret, `keys[${i}].secret`);
      if (k.active !== undefined && typeof k.active !== 'boolean')
        throw new TypeError(`keys[${i}].active must be a boolean`);
      if (k.id !== undefined && typeof k.id !== 'string') throw new TypeError(`keys[${i}].id must be a string`);
      (k.active === false ? inactive : active).push({ id: k.id as string | undefined, key: backend.prepare(k.secret) });
    });
  }
  assertOptionalName(options.domainId, 'domainId');
  assertOptionalName(options.roomName, 'roomName');
  let tolerance = 0;
  if (options.clockTolerance !== undefined) {
    tolerance = parseDuration(options.clockTolerance, 'clockTolerance');
    if (tolerance > MAX_CLOCK_TOLERANCE)
      throw new TypeError(`clockTolerance is capped at 5 minutes (300 s), got ${tolerance} s`);
  }
  if (options.ignoreNbf !== undefined && typeof options.ignoreNbf !== 'boolean')
    throw new TypeError('ignoreNbf must be a boolean');
  if (options.strict !== undefined && typeof options.strict !== 'boolean')
    throw new TypeError('strict must be a boolean');
  return {
    active,
    inactive,
    sync: backend.sync,
    domainId: options.domainId as string | undefined,
    roomName: options.roomName as string | undefined,
    tolerance,
    ignoreNbf: options.ignoreNbf === true,
    strict: options.strict === true,
  };
}

function assertOptionalName(value: unknown, name: string): void {
  if (value !== undefined && (typeof value !== 'string' || value === '')) {
    throw new TypeError(`${name} must be a non-empty string`);
  }
}

/**
 * The first entry whose key produced `signature`. Synchronous on synchronous backends (node:crypto),
 * so the common case pays for no extra promise.
 */
function findSigner(
  entries: readonly RingEntry[],
  input: string,
  signature: string,
): RingEntry | undefined | Promise<RingEntry | undefined> {
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as RingEntry;
    const r = entry.key.verify(input, signature);
    if (typeof r !== 'boolean') return findSignerAsync(entries.slice(i), r, input, signature);
    if (r) return entry;
  }
  return undefined;
}

async function findSignerAsync(
  entries: readonly RingEntry[],
  first: Promise<boolean>,
  input: string,
  signature: string,
): Promise<RingEntry | undefined> {
  if (await first) return entries[0];
  for (const entry of entries.slice(1)) if (await entry.key.verify(input, signature)) return entry;
  return undefined;
}

/**
 * Makes a verifier: the options are checked and every key prepared once, so each check costs only the
 * token. The way to verify many tokens (a service); `verifyMeetingToken` is the one-off form.
 *
 * @example
 * ```ts
 * const verifier = createMeetingTokenVerifier({ keys: [{ id: 'k2', secret: newKey }, { id: 'k1', secret: oldKey, active: false }], domainId });
 * const result = await verifier.verify(token, { roomName: 'standup' });
 * if (!result.valid) console.log(result.problems.map((p) => p.code));
 * ```
 */
export function createMeetingTokenVerifier(options: MeetingTokenVerifierOptions): MeetingTokenVerifier {
  const p = prepare(options, 'createMeetingTokenVerifier');
  if ((options as VerifyMeetingTokenOptions).now !== undefined) {
    throw new TypeError('a verifier takes now per call: verifier.verify(token, { now })');
  }
  const call = (token: string, o: VerifyOptions | undefined, method: string) => {
    if (o === undefined) return check(token, p, nowSeconds(undefined), p.roomName);
    if (!isPlainObject(o)) throw new TypeError('verify options must be an object such as { now, roomName }');
    assertKnownOptions(o, VERIFY_CALL_OPTIONS, method);
    assertOptionalName(o.roomName, 'roomName');
    return check(token, p, nowSeconds(o.now), (o.roomName as string | undefined) ?? p.roomName);
  };
  return {
    verify: async (token, o) => call(token, o, 'verifier.verify'),
    verifySync(token, o) {
      if (!p.sync) {
        throw new TypeError(
          'verifySync needs node:crypto; this runtime verifies with Web Crypto, so use await verify()',
        );
      }
      return call(token, o, 'verifier.verifySync') as VerifyResult;
    },
  };
}

/**
 * Verifies a meeting token against a domain's key(s) and reports every problem at once (at most
 * `MAX_ISSUES`; `truncated` says when there were more).
 *
 * Checks, in order: size (≤ 8 KiB) and shape, `alg` (HS256 only), the signature against the keyring
 * (a match on a retired key is `inactive-key`), claim types, `exp`/`nbf`, `d` and `r`. A token is
 * expired when `now >= exp` (after `clockTolerance`): at the second of `exp` it no longer works.
 * Bad tokens never throw; bad options throw `TypeError`. To verify many tokens, make a verifier once
 * with `createMeetingTokenVerifier`.
 *
 * @example
 * ```ts
 * const result = await verifyMeetingToken(token, { apiKey, domainId, roomName: 'standup' });
 * if (!result.valid) for (const p of result.problems) console.log(p.code, p.message, p.fix);
 * ```
 */
export async function verifyMeetingToken(token: string, options: VerifyMeetingTokenOptions): Promise<VerifyResult> {
  const p = prepare(options, 'verifyMeetingToken');
  return check(token, p, nowSeconds(options.now), p.roomName);
}

/** The warnings of the common token, which has none: shared, so a clean verify allocates no array for them. */
const NO_WARNINGS: readonly Problem[] = Object.freeze([]);

/** A problem that makes Daily refuse the token. */
function refusal(
  code: Exclude<Problem['code'], ClaimIssueCode>,
  message: string,
  fix: string,
  at?: Pick<Problem, 'claim' | 'expected' | 'actual'>,
): Problem {
  return { code, effect: EFFECTS[code], message, fix, ...at };
}

/** The checks behind every verify: synchronous unless the backend is not. */
function check(
  token: string,
  p: Prepared,
  now: number,
  roomName: string | undefined,
): VerifyResult | Promise<VerifyResult> {
  const problems: Problem[] = [];
  const parsed = parseToken(token);
  if (typeof parsed === 'string') {
    problems.push(
      refusal(
        'malformed',
        parsed,
        'Pass the whole token: three base64url parts joined by dots, with no quotes, spaces or "Bearer ".',
      ),
    );
    return { valid: false, verdict: 'refuses', problems, warnings: NO_WARNINGS };
  }
  const { header, signatureAt } = parsed;
  const signingInput = token.slice(0, signatureAt - 1);
  const signature = token.slice(signatureAt);
  const result: VerifyResult = { valid: false, verdict: 'refuses', problems, warnings: NO_WARNINGS, header };

  // Signature first: everything after it is only worth trusting if it holds.
  if (header.alg !== 'HS256') {
    problems.push(
      refusal(
        'unsupported-algorithm',
        header.alg === undefined
          ? 'the header has no "alg"'
          : `the header says alg ${show(header.alg)}; Daily meeting tokens are HS256 only`,
        'Sign with HS256 and the domain API key as the secret.',
        { claim: 'alg', expected: 'HS256', actual: header.alg },
      ),
    );
  } else if (header.crit !== undefined) {
    problems.push(
      refusal(
        'malformed',
        'the header has "crit" extensions, which no Daily token uses',
        'Remove "crit" from the header: a Daily token header is {"alg":"HS256","typ":"JWT"}.',
        { claim: 'crit', actual: header.crit },
      ),
    );
  } else if (signature.length === 0) {
    problems.push(
      refusal(
        'malformed',
        'the signature (part 3) is empty (an unsigned token)',
        'Sign the token with HS256; unsigned tokens are never accepted.',
      ),
    );
  } else if (signature.length !== SIGNATURE_LENGTH) {
    problems.push(malformedSignature(signature));
  } else {
    const run: Run = { token: parsed, signingInput, signature, result, p, now, roomName };
    const matched = findSigner(p.active, signingInput, signature);
    return matched instanceof Promise ? matched.then((m) => afterActive(m, run)) : afterActive(matched, run);
  }
  return finish({ token: parsed, signingInput, signature, result, p, now, roomName });
}

/** One verification in progress: the token, the result being filled, and what it is checked against. */
interface Run {
  readonly token: ParsedToken;
  /** `header.payload`, the bytes the signature covers, and the signature as it stands in the token. */
  readonly signingInput: string;
  readonly signature: string;
  readonly result: VerifyResult;
  readonly p: Prepared;
  readonly now: number;
  readonly roomName: string | undefined;
}

function afterActive(matched: RingEntry | undefined, run: Run): VerifyResult | Promise<VerifyResult> {
  const { signingInput, signature, result, p } = run;
  if (matched) {
    if (matched.id !== undefined) result.keyId = matched.id;
    return finish(run);
  }
  // A signature equal to one we computed is canonical by construction, so the form is only checked
  // when no key matches, to tell a mangled signature from a wrong key.
  if (!isCanonicalBase64url(signature)) {
    result.problems.push(malformedSignature(signature));
    return finish(run);
  }
  const retired = findSigner(p.inactive, signingInput, signature);
  return retired instanceof Promise ? retired.then((r) => afterInactive(r, run)) : afterInactive(retired, run);
}

function afterInactive(matched: RingEntry | undefined, run: Run): VerifyResult {
  const { result } = run;
  if (matched) {
    if (matched.id !== undefined) result.keyId = matched.id;
    result.problems.push(
      refusal(
        'inactive-key',
        `signed with ${matched.id ? `key ${show(matched.id)}` : 'a key'} that is no longer active (rotated out or deactivated); Daily ignores such tokens`,
        'Mint a new token with the active API key.',
      ),
    );
  } else {
    result.problems.push(
      refusal(
        'bad-signature',
        'the signature does not match the given key: the token was signed with another key (another domain, a regenerated key) or altered',
        "Sign with this domain's current API key, and pass the token unmodified.",
      ),
    );
  }
  return finish(run);
}

/** Claim checks, times and binding, once the signature's verdict is in. */
function finish({ token, result, p, now, roomName }: Run): VerifyResult {
  const { payload, payloadError } = token;
  const problems = result.problems;
  if (!payload) {
    problems.push(
      refusal('malformed', payloadError as string, 'The payload must be a base64url-encoded JSON object of claims.'),
    );
    return result;
  }
  const issues: ValidationIssue[] = [];
  const properties = readClaims(payload, issues);
  result.claims = payload as VerifyResult['claims'];
  result.properties = properties;
  if (issues.length > 0) {
    const warnings: Problem[] = [];
    for (const issue of issues) {
      const warning = claimProblem(issue, payload);
      (p.strict && warning.effect === 'drops' ? problems : warnings).push(warning);
    }
    if (warnings.length > 0) result.warnings = warnings;
  }
  checkTimes(properties, payload, now, p.tolerance, p.ignoreNbf, problems);
  checkBinding(properties, payload, p.domainId, roomName, problems);
  // Reading stops at MAX_ISSUES issues and problems are cut there: either way the answer says so.
  if (problems.length > MAX_ISSUES) {
    problems.length = MAX_ISSUES;
    result.truncated = true;
  }
  if (issues.length >= MAX_ISSUES) result.truncated = true;
  result.valid = problems.length === 0;
  result.verdict = !result.valid ? 'refuses' : result.warnings.length > 0 ? verdictOf(result.warnings) : 'applies';
  return result;
}

/**
 * A decoding issue as verify reports it: the code, effect, words and fix lint gives the same claim.
 *
 * @internal Shared with lint so that both say one thing about one claim.
 */
export function claimProblem(issue: ValidationIssue, payload: Record<string, unknown>): Problem {
  const code = issue.code ?? (issue.severity === 'error' ? 'invalid-claim' : 'legacy-value');
  return {
    code,
    effect: EFFECTS[code],
    message: `${issue.path} ${issue.message}`,
    fix: issue.fix ?? fixForPath(issue.path),
    claim: issue.path,
    actual: valueAt(payload, issue.path),
  };
}

function malformedSignature(signature: string): Problem {
  return refusal(
    'malformed',
    signature.length === SIGNATURE_LENGTH
      ? 'the signature (part 3) is not canonical base64url'
      : `the signature (part 3) has ${signature.length} characters; an HS256 signature has ${SIGNATURE_LENGTH}`,
    'Pass the token exactly as it was signed.',
  );
}

function checkTimes(
  props: MeetingTokenProperties,
  payload: Record<string, unknown>,
  now: number,
  tolerance: number,
  ignoreNbf: boolean,
  problems: Problem[],
): void {
  const { exp, nbf } = props;
  if (exp !== undefined && now >= exp + tolerance) {
    const { message, fix } = expiredNote(exp, now);
    problems.push(
      refusal('expired', message, fix, { claim: EXP, expected: `> ${now - tolerance}`, actual: payload[EXP] }),
    );
  }
  if (nbf !== undefined && !ignoreNbf && now + tolerance < nbf) {
    const { message, fix } = notYetValidNote(nbf, now);
    problems.push(
      refusal('not-yet-valid', message, fix, { claim: NBF, expected: `<= ${now + tolerance}`, actual: payload[NBF] }),
    );
  }
}

function checkBinding(
  props: MeetingTokenProperties,
  payload: Record<string, unknown>,
  domainId: string | undefined,
  roomName: string | undefined,
  problems: Problem[],
): void {
  if (props.domain_id === undefined) {
    // Absent, or not a string: either way Daily cannot tie the token to a domain.
    const { message, fix } = noDomainNote(DOMAIN, payload[DOMAIN]);
    problems.push(
      refusal('missing-claim', message, fix, {
        claim: DOMAIN,
        expected: domainId ?? 'the domain id',
        ...(payload[DOMAIN] !== undefined ? { actual: payload[DOMAIN] } : {}),
      }),
    );
  } else if (domainId !== undefined && props.domain_id !== domainId) {
    problems.push(
      refusal(
        'wrong-domain',
        `made for domain ${show(props.domain_id)}, not ${show(domainId)}`,
        "Mint the token with this domain's id and API key.",
        {
          claim: DOMAIN,
          expected: domainId,
          actual: props.domain_id,
        },
      ),
    );
  }
  if (roomName !== undefined && props.room_name !== undefined && props.room_name !== roomName) {
    problems.push(
      refusal(
        'wrong-room',
        `made for room ${show(props.room_name)}, not ${show(roomName)}`,
        `Mint a token with room_name ${show(roomName)}.`,
        {
          claim: ROOM,
          expected: roomName,
          actual: props.room_name,
        },
      ),
    );
  }
}

/** The raw value at a claim path such as `p.cs`, for `actual` in problems. */
function valueAt(payload: Record<string, unknown>, path: string): unknown {
  let v: unknown = payload;
  for (const part of path.split('.')) {
    const key = part.replace(/\[.*$/, '');
    if (!isPlainObject(v) || !Object.hasOwn(v, key)) return undefined;
    v = v[key];
  }
  return v;
}
