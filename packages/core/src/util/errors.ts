/**
 * Typed errors with stable `code`s. Messages are for people; codes are for programs.
 *
 * Token problems found by `verifyMeetingToken` are *reported*, never thrown; these classes are for
 * operations that cannot produce a result (decoding garbage, minting from invalid properties).
 */

import type { DailyEffect } from '../verdict/effects.js';

/**
 * Codes of what decoding finds in single claims (a `ValidationIssue`'s `code`): verify reports them as
 * `warnings`, lint as findings of the rule with the same id.
 */
export const CLAIM_ISSUE_CODES = [
  'invalid-claim',
  'permissions-array',
  'user-id-too-long',
  'milliseconds-timestamp',
  'legacy-value',
  'unknown-option',
  'full-name-claim',
  'unknown-claim',
] as const;

/** The code of an issue found in a single claim. */
export type ClaimIssueCode = (typeof CLAIM_ISSUE_CODES)[number];

// Built in a pure call below, so that a bundle which never reads it drops it (and CLAIM_ISSUE_CODES too).
/**
 * Stable codes of problems a token can have: first those that make Daily refuse it, in the order
 * `verifyMeetingToken` checks for them, then the facts about single claims.
 *
 * @example
 * ```ts
 * PROBLEM_CODES.includes('expired') // true
 * ```
 */
export const PROBLEM_CODES = /* @__PURE__ */ (() =>
  [
    'malformed',
    'unsupported-algorithm',
    'bad-signature',
    'inactive-key',
    'expired',
    'not-yet-valid',
    'wrong-domain',
    'wrong-room',
    'missing-claim',
    ...CLAIM_ISSUE_CODES,
  ] as const)();

/** A stable code of a problem a token can have. */
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/**
 * Validation stops collecting issues after this many, and verify reports at most this many problems: a
 * hostile payload full of mistakes costs little work and a small answer.
 */
export const MAX_ISSUES = 20;

/** One thing wrong with a token, as `verifyMeetingToken` reports it. */
export interface Problem {
  code: ProblemCode;
  /**
   * What it does to Daily's handling of the token: `refuses` (Daily ignores the whole token), `drops`
   * (Daily leaves this claim out and applies the rest) or `applies` (advice; Daily applies the token).
   */
  effect: DailyEffect;
  /** What is wrong, in words a person can act on. */
  message: string;
  /** How to fix it. */
  fix: string;
  /** The JWT claim concerned (`exp`, `r`, `p.cs` …), where there is one. */
  claim?: string;
  expected?: unknown;
  actual?: unknown;
}

/** One problem with a set of properties or claims, located by its path (`permissions.canSend[2]`). */
export interface ValidationIssue {
  path: string;
  message: string;
  /**
   * `error`: the value cannot be used (create refuses it; in a token, Daily cannot read the claim and
   * drops it); `warning`: accepted, as Daily accepts it, but worth knowing (a legacy value, an option
   * Daily's types do not list, a timestamp in milliseconds inside a token).
   */
  severity: 'error' | 'warning';
  /** What kind of issue it is, where more precise than `invalid-claim` (errors) or `legacy-value` (warnings). */
  code?: ClaimIssueCode;
  /** How to fix it, where more precise than the claim's general fix (`fixForPath`). */
  fix?: string;
}

/** Adds an error at `path` to `issues` (the one helper every validator uses); `undefined`, to return as the value. */
export function pushError(
  issues: ValidationIssue[],
  path: string,
  message: string,
  code?: ClaimIssueCode,
  fix?: string,
): undefined {
  issues.push(
    code ? { path, message, severity: 'error', code, ...(fix ? { fix } : {}) } : { path, message, severity: 'error' },
  );
  return undefined;
}

/** Error codes thrown by this library. */
export type MeetingTokenErrorCode = 'malformed' | 'invalid-properties' | 'invalid-claims';

/**
 * Thrown when a token cannot be decoded or a token cannot be minted from the given input.
 *
 * @example
 * ```ts
 * try { decodeUnverified(input) } catch (e) {
 *   if (e instanceof MeetingTokenError && e.code === 'malformed') console.error(e.message)
 * }
 * ```
 */
export class MeetingTokenError extends Error {
  override name = 'MeetingTokenError';
  readonly code: MeetingTokenErrorCode;
  /** Every issue found, for `invalid-properties` and `invalid-claims`. */
  readonly issues: readonly ValidationIssue[];

  constructor(code: MeetingTokenErrorCode, message: string, issues: readonly ValidationIssue[] = []) {
    super(message);
    this.code = code;
    this.issues = issues;
  }
}

/** Builds the error for a list of validation issues, naming each with its path. */
export function invalidInput(
  code: 'invalid-properties' | 'invalid-claims',
  issues: readonly ValidationIssue[],
): MeetingTokenError {
  const errors = issues.filter((i) => i.severity === 'error');
  const what = code === 'invalid-properties' ? 'meeting token properties' : 'meeting token claims';
  const lines = errors.map((i) => `  - ${i.path}: ${i.message}`).join('\n');
  return new MeetingTokenError(
    code,
    `Invalid ${what} (${errors.length} problem${errors.length === 1 ? '' : 's'}):\n${lines}`,
    issues,
  );
}
