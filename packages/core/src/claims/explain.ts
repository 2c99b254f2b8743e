/** Words for claims and permissions, for people: used by the CLI's explain and by the inspector. */
import { isPlainObject, show } from '../util/object.js';
import { isoFromSeconds, relativeTime } from '../util/time.js';
import { CLAIM_MEANINGS } from './meanings.js';
import { ADMIN_CODES, MEDIA_CODES, type Permissions } from './permissions.js';
import { CLAIM_REGISTRY, PROPERTY_BY_CLAIM, type ClaimSpec, type PropertyName } from './registry.js';

export interface ClaimRow {
  /** The key as it appears in the token. */
  claim: string;
  /** The full property name, or undefined for a claim Daily does not know. */
  name?: PropertyName;
  value: unknown;
  /** The registry's one-line meaning, or why an unknown claim is ignored. */
  meaning: string;
  /** For timestamps: ISO date and "in 42 min" / "3 days ago". */
  time?: { iso: string; relative: string };
  /** For permissions: the same in words. */
  words?: string;
  spec?: ClaimSpec;
}

const list = (items: readonly string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;

/** `screenVideo` → `screen video`. */
const words = (name: string) => name.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
const MEDIA_WORDS: Record<string, string> = Object.fromEntries(Object.keys(MEDIA_CODES).map((k) => [k, words(k)]));
const ALL_ADMIN = list(Object.keys(ADMIN_CODES));

function setWords(
  v: boolean | readonly string[] | undefined,
  all: string,
  none: string,
  words: Record<string, string> = {},
) {
  if (v === true) return all;
  if (v === false || v === undefined || v.length === 0) return none;
  return list(v.map((x) => words[x] ?? x));
}

/**
 * Permissions in words: "can send video and audio; can admin participants".
 *
 * @example
 * ```ts
 * describePermissions({ canSend: ['video', 'audio'], canAdmin: ['participants'] })
 * // 'can send video and audio; can admin participants'
 * ```
 */
export function describePermissions(p: Permissions): string {
  const parts: string[] = [];
  if (p.hasPresence === false) parts.push('hidden from other participants');
  if (p.canSend !== undefined) parts.push(`can send ${setWords(p.canSend, 'all media', 'nothing', MEDIA_WORDS)}`);
  if (p.canReceive !== undefined) {
    const { base, byUserId, byParticipantId } = p.canReceive;
    if (base === true) parts.push('can receive everything');
    else if (base === false) parts.push('can receive nothing by default');
    else if (isPlainObject(base)) {
      const yes = Object.entries(base)
        .filter(([, v]) => v === true || (isPlainObject(v) && v['*'] === true))
        .map(([k]) => MEDIA_WORDS[k] ?? k);
      parts.push(`can receive ${yes.length ? list(yes) : 'nothing'} by default`);
    }
    const n = Object.keys(byUserId ?? {}).length + Object.keys(byParticipantId ?? {}).length;
    if (n) parts.push(`with ${n} per-user/participant override${n === 1 ? '' : 's'}`);
  }
  if (p.canAdmin !== undefined) parts.push(`can admin ${setWords(p.canAdmin, ALL_ADMIN, 'nothing')}`);
  return parts.length ? parts.join('; ') : 'no permissions set (room and domain defaults apply)';
}

/**
 * One row per claim of a payload: abbreviation, full name, value and meaning, with times and
 * permissions put in words. `properties` are the decoded claims (from `decodeUnverified`).
 */
export function explainClaims(
  claims: Record<string, unknown>,
  properties: { permissions?: Permissions },
  now: number,
): ClaimRow[] {
  return Object.keys(claims).map((claim) => {
    const value = claims[claim];
    const name = PROPERTY_BY_CLAIM.get(claim);
    if (!name) {
      const full = Object.hasOwn(CLAIM_REGISTRY, claim) ? CLAIM_REGISTRY[claim as PropertyName] : undefined;
      const meaning = full?.claim
        ? `Full property name used as a claim: Daily ignores it (write "${full.claim}").`
        : 'Not a Daily claim: ignored by Daily.';
      return { claim, value, meaning };
    }
    const spec: ClaimSpec = CLAIM_REGISTRY[name];
    const row: ClaimRow = { claim, name, value, meaning: CLAIM_MEANINGS[name].meaning, spec };
    if (spec.kind === 'timestamp' && typeof value === 'number' && Number.isFinite(value)) {
      row.time = { iso: isoFromSeconds(value), relative: relativeTime(value, now) };
    }
    if (spec.kind === 'permissions' && properties.permissions) row.words = describePermissions(properties.permissions);
    return row;
  });
}

/** A short text form of a claim value for tables. */
export function formatValue(v: unknown): string {
  return typeof v === 'string' ? v : show(v, 200);
}
