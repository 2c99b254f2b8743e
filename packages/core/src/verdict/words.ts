/** Daily's verdict on a token in words: the one sentence the CLI, the inspector and the docs show. */
import type { DailyVerdict } from './effects.js';

const list = (items: readonly string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;

/**
 * Daily's verdict in one sentence. `dropped` names the claims Daily cannot read (the `claim` of each
 * problem or finding whose effect is `drops`).
 *
 * @example
 * ```ts
 * const result = await verifyMeetingToken(token, { apiKey });
 * const dropped = result.warnings.filter((w) => w.effect === 'drops').map((w) => w.claim ?? w.code);
 * console.log(verdictSentence(result.verdict, dropped));
 * // 'Daily accepts this token but cannot read p.ca: it drops that claim and applies the rest.'
 * ```
 */
export function verdictSentence(verdict: DailyVerdict, dropped: readonly string[] = []): string {
  if (verdict === 'refuses')
    return 'Daily refuses this token ("Meeting token ignored: invalid-token"): the join goes on without its rights.';
  if (verdict === 'drops-claims') {
    const what = dropped.length ? [...new Set(dropped)] : ['some claims'];
    return `Daily accepts this token but cannot read ${list(what)}: it drops ${what.length === 1 && dropped.length ? 'that claim' : 'them'} and applies the rest.`;
  }
  return 'Daily accepts this token and applies every claim.';
}

/** A one-word title for each verdict, for badges and headings. */
export const VERDICT_TITLES: Readonly<Record<DailyVerdict, string>> = {
  refuses: 'Refused',
  'drops-claims': 'Accepted, claims dropped',
  applies: 'Accepted',
};
