/**
 * The one model of Daily's verdict on a token. Every problem, lint finding and decoding issue has an
 * effect on what Daily does with the token, and the token's verdict is the strongest of them:
 *
 * - `refuses`: Daily ignores the whole token ("Meeting token ignored: invalid-token"): signature, key,
 *   expiry, nbf, domain, a malformed JWT, or a constraint of the caller's (room, domain) that fails;
 * - `drops`: Daily cannot read one claim (a known claim with a value it does not accept), leaves it out,
 *   and applies the rest;
 * - `applies`: Daily applies the token as written; a finding with this effect is advice (a danger or a
 *   likely mistake), not a change in what Daily does.
 *
 * Verify, lint, explain, the CLI, the inspector and the service all read this table, so they give one
 * token one verdict. Where each effect comes from (Daily's docs, its SDKs, our inference) is in
 * `daily-tokens/explain` (`EVIDENCE`), kept apart so that code which only signs and verifies stays small.
 */

/** What one problem or finding does to Daily's handling of a token. */
export type DailyEffect = 'refuses' | 'drops' | 'applies';

/** What Daily does with a whole token: refuse it, apply it without the claims it cannot read, or apply it all. */
export type DailyVerdict = 'refuses' | 'drops-claims' | 'applies';

/**
 * The effect of each problem code and lint rule id. The codes verify reports as refusals come first; the
 * rest are the facts about single claims that verify reports as warnings and lint as findings.
 */
export const EFFECTS = {
  malformed: 'refuses',
  'unsupported-algorithm': 'refuses',
  'bad-signature': 'refuses',
  'inactive-key': 'refuses',
  expired: 'refuses',
  'not-yet-valid': 'refuses',
  'wrong-domain': 'refuses',
  'wrong-room': 'refuses',
  'missing-claim': 'refuses',
  'no-domain': 'refuses',
  'not-before-after-expiry': 'refuses',
  'invalid-claim': 'drops',
  'permissions-array': 'drops',
  'user-id-too-long': 'drops',
  'milliseconds-timestamp': 'applies',
  'legacy-value': 'applies',
  'unknown-option': 'applies',
  'full-name-claim': 'applies',
  'unknown-claim': 'applies',
  'no-expiry': 'applies',
  'no-room': 'applies',
  'token-too-long': 'applies',
  'long-lifetime': 'applies',
  'user-id-not-uuid': 'applies',
  'personal-data': 'applies',
  'weak-key': 'applies',
  'eject-without-expiry': 'applies',
  'recording-not-enabled': 'applies',
  'no-issued-at': 'applies',
} as const satisfies Record<string, DailyEffect>;

/** A problem code or lint rule id that has an effect in the model. */
export type EffectCode = keyof typeof EFFECTS;

/**
 * The verdict of a set of effects: `refuses` if any refuses, else `drops-claims` if any drops, else `applies`.
 *
 * @example
 * ```ts
 * verdictOf([{ effect: 'applies' }, { effect: 'drops' }]) // 'drops-claims'
 * verdictOf((await verifyMeetingToken(token, { apiKey })).problems) // 'refuses' when there is a problem
 * ```
 */
export function verdictOf(items: Iterable<{ readonly effect: DailyEffect }>): DailyVerdict {
  let verdict: DailyVerdict = 'applies';
  for (const item of items) {
    if (item.effect === 'refuses') return 'refuses';
    if (item.effect === 'drops') verdict = 'drops-claims';
  }
  return verdict;
}
