/** The README's lint-rule table, generated from `LINT_RULES` (a test fails when the README copy is stale). */
import { LINT_RULES } from './rules.js';

/**
 * Markdown table of every lint rule: id, severity, what it finds.
 *
 * @example
 * ```ts
 * console.log(lintRulesMarkdown())
 * ```
 */
export function lintRulesMarkdown(): string {
  const rows = LINT_RULES.map((r) => `| \`${r.id}\` | ${r.severity} | ${r.summary.replace(/\|/g, '\\|')} |`);
  return ['| Rule | Severity | What it finds |', '|---|---|---|', ...rows].join('\n');
}
