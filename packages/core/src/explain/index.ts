/**
 * `daily-tokens/explain`: the registry in words. What each claim and permission means, a token's claims
 * explained row by row, and the markdown tables of claims and lint rules. A separate entry, so code that
 * only mints, verifies or decodes tokens does not ship the prose.
 *
 * @example
 * ```ts
 * import { decodeUnverified } from 'daily-tokens';
 * import { explainClaims } from 'daily-tokens/explain';
 * const { claims, properties } = decodeUnverified(token);
 * for (const row of explainClaims(claims, properties, Date.now() / 1000)) console.log(row.claim, row.meaning);
 * ```
 * @packageDocumentation
 */
export { CLAIM_MEANINGS, PERMISSION_MEANINGS } from '../claims/meanings.js';
export type { ClaimMeaning } from '../claims/meanings.js';
export { describePermissions, explainClaims } from '../claims/explain.js';
export type { ClaimRow } from '../claims/explain.js';
export { claimTableMarkdown } from '../claims/table.js';
// Times and durations in words, as the CLI and the inspector show them.
export { formatDuration } from '../util/duration.js';
export { isoFromSeconds, relativeTime } from '../util/time.js';
export { lintRulesMarkdown } from '../lint/table.js';
export { VERDICT_TITLES, verdictSentence } from '../verdict/words.js';
export {
  CLAIM_EVIDENCE,
  describeEvidence,
  EFFECT_EVIDENCE,
  EVIDENCE_SOURCE_WORDS,
  PERMISSION_EVIDENCE,
} from '../verdict/evidence.js';
export type { Evidence, EvidenceSource } from '../verdict/evidence.js';
