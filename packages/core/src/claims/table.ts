/** The README's claim table, generated from the registry (a test fails when the README copy is stale). */
import { CLAIM_MEANINGS } from './meanings.js';
import { CLAIM_REGISTRY, PROPERTY_NAMES } from './registry.js';

const KIND_WORDS: Record<string, string> = {
  string: 'string',
  boolean: 'boolean',
  timestamp: 'unix seconds',
  seconds: 'seconds',
  url: 'URL',
  permissions: 'object',
  'recording-options': 'object',
};

const ORIGIN_WORDS = { rest: 'REST + JWT', signer: 'set by signer', 'jwt-only': 'JWT only' } as const;

/**
 * Markdown table of every property: full name, claim, type, default, where it is set, meaning.
 *
 * @example
 * ```ts
 * console.log(claimTableMarkdown())
 * ```
 */
export function claimTableMarkdown(): string {
  const rows = PROPERTY_NAMES.map((name) => {
    const s = CLAIM_REGISTRY[name] as (typeof CLAIM_REGISTRY)[typeof name] & {
      values?: readonly string[];
      maxLength?: number;
    };
    const type =
      s.kind === 'enum'
        ? (s.values ?? []).map((v) => `\`${v}\``).join(' ')
        : `${KIND_WORDS[s.kind]}${s.maxLength ? ` (≤ ${s.maxLength})` : ''}`;
    const def = 'default' in s && s.default !== undefined ? `\`${JSON.stringify(s.default)}\`` : '';
    const claim = s.claim ? `\`${s.claim}\`` : '(full name)';
    const meaning = CLAIM_MEANINGS[name].meaning.replace(/\|/g, '\\|');
    return `| \`${name}\` | ${claim} | ${type} | ${def} | ${ORIGIN_WORDS[s.origin]} | ${meaning} |`;
  });
  return ['| Property | Claim | Type | Default | Set via | Meaning |', '|---|---|---|---|---|---|', ...rows].join('\n');
}
