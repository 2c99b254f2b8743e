/** What Daily does with a claim it does not know: the one wording of it, for decode, verify and lint. */
import type { ValidationIssue } from '../util/errors.js';
import { closest } from '../util/object.js';
import { ABBREVIATED_PROPERTY_NAMES, CLAIM_REGISTRY, PROPERTY_BY_CLAIM, type PropertyName } from './registry.js';

const CLAIM_KEYS = /* @__PURE__ */ (() => [...PROPERTY_BY_CLAIM.keys()])();

/**
 * The issue for a claim key Daily does not read: a full property name where Daily reads the abbreviation
 * (`room_name` for `r`), or a key Daily does not know at all (misspelt or custom). Daily applies the
 * token without it.
 */
export function ignoredClaimIssue(key: string): ValidationIssue {
  if (ABBREVIATED_PROPERTY_NAMES.has(key)) {
    const abbr = CLAIM_REGISTRY[key as PropertyName].claim as string;
    return {
      path: key,
      message: `is not read inside a token; Daily reads "${abbr}" and ignores "${key}"`,
      severity: 'warning',
      code: 'full-name-claim',
      fix: `Rename "${key}" to "${abbr}".`,
    };
  }
  const hint = closest(key, CLAIM_KEYS, key.length <= 3 ? 1 : 2);
  return {
    path: key,
    message: `is not a Daily claim; Daily ignores it${hint ? ` (did you mean "${hint}", ${PROPERTY_BY_CLAIM.get(hint)}?)` : ''}`,
    severity: 'warning',
    code: 'unknown-claim',
    fix: hint ? `Rename it to "${hint}", or remove it.` : 'Remove it; the token is readable by anyone who holds it.',
  };
}
